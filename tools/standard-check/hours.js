#!/usr/bin/env node
/*
 * Reads JSON lines on standard input, each {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "texts": [...]},
 * and answers one JSON line per request: for each text, what the OpenStreetMap reference parser
 * (opening_hours) says is open from `from` to `to` (excluded), in mainland France (its public
 * holidays), as ["YYYY-MM-DD HH:MM-HH:MM", ...] cut at midnight, or {"error": message};
 * an empty text is never open.
 * Run with TZ=UTC: times are wall-clock times, with no daylight-saving jumps to blur them.
 */
"use strict";

const readline = require("readline");
const OpeningHours = require("opening_hours");

const FRANCE = { lat: 48.85, lon: 2.35, address: { country_code: "fr", state: "Île-de-France" } };
const DAY = 24 * 60 * 60 * 1000;

function clock(date) {
  return date.toISOString().slice(11, 16);
}

function openSlots(text, from, to) {
  if (!text.trim()) return []; // no hours: never open (the export omits the field)
  let hours;
  try {
    hours = new OpeningHours(text, FRANCE);
  } catch (error) {
    return { error: String(error) };
  }
  const slots = [];
  for (const [start, end] of hours.getOpenIntervals(from, to)) {
    for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
      const left = new Date(Math.max(start, day));
      const right = new Date(Math.min(end, day + DAY));
      if (right > left) {
        const close = right.getTime() === day + DAY ? "24:00" : clock(right);
        slots.push(`${left.toISOString().slice(0, 10)} ${clock(left)}-${close}`);
      }
    }
  }
  return slots;
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  const from = new Date(`${request.from}T00:00:00Z`);
  const to = new Date(`${request.to}T00:00:00Z`);
  const answer = request.texts.map((text) => openSlots(text, from, to));
  process.stdout.write(JSON.stringify(answer) + "\n");
});
