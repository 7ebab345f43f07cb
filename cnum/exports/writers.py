"""Streamed CSV and XLSX writers: constant memory whatever the number of rows.

Every text cell is neutralised against spreadsheet formula injection: a value a user typed
(a name, a comment) must never run as a formula in the reader's spreadsheet software.
"""

import csv
import datetime
import os
import tempfile

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

# OWASP's list: a cell starting with one of these may be read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Prefix risky text with an apostrophe (shown as text, never evaluated)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _local(moment):
    """Paris time for display (settings.TIME_ZONE); naive values are taken as they are."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return neutralise(str(value)) if isinstance(value, str) else value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """UTF-8 with BOM and `;` separators: what French spreadsheet software opens directly."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_text(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def tabular_response(fmt, filename, title, header, rows):
    """The export in the format the person chose: « xlsx », or CSV for anything else."""
    if fmt == "xlsx":
        return xlsx_response(filename, title, header, rows)
    return csv_response(filename, header, rows)


def xlsx_response(filename, title, header, rows):
    """Written row by row (constant_memory) to a temporary file, then sent from disk."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    try:
        workbook = xlsxwriter.Workbook(
            handle.name,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        sheet = workbook.add_worksheet(title[:31])
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        datetime_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        sheet.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                _write_cell(sheet, r, c, value, date_format, datetime_format)
        workbook.close()
        stream = open(handle.name, "rb")  # noqa: SIM115 — FileResponse closes it
    finally:
        # The open stream keeps the data readable; the name disappears at once.
        os.unlink(handle.name)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _write_cell(sheet, r, c, value, date_format, datetime_format):
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(r, c, "Oui" if value else "Non")
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(r, c, _local(value).replace(tzinfo=None), datetime_format)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(r, c, value, date_format)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value)
    else:
        sheet.write_string(r, c, neutralise(str(value)))
