#!/usr/bin/env node
/*
 * Reads the places export (JSON array, or CSV with `--csv`) on standard input and feeds each
 * record to the reference library of the national standard (@gouvfr-anct/lieux-de-mediation-numerique):
 * a record is "rejected" when the library throws, "altered" when writing the library's model
 * back does not give the record unchanged. Prints a JSON report; exits 1 on any problem.
 */
"use strict";

const {
  fromSchemaLieuDeMediationNumerique,
  toSchemaLieuMediationNumerique,
} = require("@gouvfr-anct/lieux-de-mediation-numerique");

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...data] = rows;
  return data.map((cells) => Object.fromEntries(header.map((name, k) => [name, cells[k] ?? ""])));
}

// Absent and empty are the same thing in both formats; CSV coordinates are text.
function normalise(record) {
  const out = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined || value === "") continue;
    out[key] = (key === "latitude" || key === "longitude") ? Number(value) : value;
  }
  return out;
}

function differences(expected, got) {
  const keys = new Set([...Object.keys(expected), ...Object.keys(got)]);
  return [...keys]
    .filter((key) => expected[key] !== got[key])
    .map((key) => ({ field: key, expected: expected[key], got: got[key] }));
}

function check(records) {
  const report = { total: records.length, rejected: [], altered: [] };
  for (const raw of records) {
    const record = normalise(raw);
    let model;
    try {
      model = fromSchemaLieuDeMediationNumerique(record);
    } catch (error) {
      report.rejected.push({ id: record.id, error: `${error.name}: ${error.message}` });
      continue;
    }
    const diff = differences(record, toSchemaLieuMediationNumerique(model));
    if (diff.length) report.altered.push({ id: record.id, differences: diff });
  }
  return report;
}

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const text = Buffer.concat(chunks).toString("utf8");
  const records = process.argv.includes("--csv") ? parseCsv(text) : JSON.parse(text);
  const report = check(records);
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  process.exit(report.rejected.length || report.altered.length ? 1 : 0);
});
