"""The CSV parser on its own (no database): any text gives lines or French errors, never a crash."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from cnum.structures.testing import luhn_complete
from cnum.training.csvparse import Line, LineError, decode, parse

TODAY = datetime.date(2026, 11, 26)
HEADER = "email;siret;date_debut;date_fin;certification;resultat;date_certification"
SIRET = luhn_complete("7000000010001")

dates = st.dates(min_value=datetime.date(2020, 11, 17), max_value=TODAY)
emails = st.from_regex(r"[a-z]{1,10}\.[a-z]{1,10}@[a-z]{2,8}\.fr", fullmatch=True)


@given(st.text(max_size=400))
def test_any_text_gives_lines_or_errors_never_a_crash(text):
    lines, errors = parse(text, TODAY)
    assert all(isinstance(line, Line) for line in lines)
    assert all(isinstance(e, LineError) and e.message and e.number >= 1 for e in errors)


@given(st.binary(max_size=300))
def test_any_bytes_decode(data):
    assert isinstance(decode(data), str)


@st.composite
def valid_rows(draw):
    start = draw(dates)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=TODAY)))
    certification = draw(st.sampled_from(["", "CCP1", "PIX", "pix", "ccp1"]))
    result = draw(st.sampled_from(["admis", "ajourne", "en_attente"])) if certification else ""
    certified = (
        draw(st.dates(min_value=start, max_value=TODAY)) if result in ("admis", "ajourne") else None
    )
    fmt = draw(st.sampled_from(["%d/%m/%Y", "%Y-%m-%d"]))
    return {
        "start": start,
        "end": end,
        "certification": certification,
        "result": result,
        "certified": certified,
        "cells": [
            start.strftime(fmt),
            end.strftime(fmt) if end else "",
            certification,
            result,
            certified.strftime(fmt) if certified else "",
        ],
    }


@given(st.lists(st.tuples(emails, valid_rows()), min_size=1, max_size=8, unique_by=lambda r: r[0]))
def test_valid_rows_round_trip(rows):
    text = "\n".join([HEADER] + [";".join([e, SIRET, *row["cells"]]) for e, row in rows])
    lines, errors = parse(text, TODAY)
    assert errors == []
    assert [line.number for line in lines] == list(range(2, len(rows) + 2))
    for line, (email, row) in zip(lines, rows, strict=True):
        assert (line.email, line.siret, line.started_on, line.ended_on) == (
            email,
            SIRET,
            row["start"],
            row["end"],
        )
        assert line.certification_type == row["certification"].upper()
        assert (line.result, line.certified_on) == (row["result"], row["certified"])


BAD_CELLS = {
    0: ("pas-une-adresse", "email"),
    1: ("12345678901234", "siret"),
    2: ("31/02/2024", "date_debut"),
    3: ("2020-11-16", "17/11/2020"),
    4: ("CCP9", "certification"),
    5: ("recu", "resultat"),
}


@given(
    st.lists(st.tuples(emails, valid_rows()), min_size=2, max_size=6, unique_by=lambda r: r[0]),
    st.data(),
)
def test_one_bad_cell_is_reported_on_its_own_line(rows, data):
    bad_row = data.draw(st.integers(0, len(rows) - 1))
    column, (value, expected) = data.draw(st.sampled_from(sorted(BAD_CELLS.items())))
    cells = [[email, SIRET, *row["cells"]] for email, row in rows]
    cells[bad_row][column] = value
    if column == 3:  # an end date needs a start date before it
        cells[bad_row][2] = "01/01/2020"
    if column == 5:
        cells[bad_row][4] = "PIX"
    text = "\n".join([HEADER] + [",".join(c) for c in cells]).replace(";", ",")
    lines, errors = parse(text, TODAY)
    assert [e.number for e in errors] == [bad_row + 2]
    assert expected in errors[0].message
    assert len(lines) == len(rows) - 1


def test_header_bom_blank_lines_and_duplicates():
    text = (
        f"\ufeff{HEADER.upper()}\r\n"
        f"a@b.fr;{SIRET};06/01/2025;09/05/2025;CCP1;Ajourné;02/05/2025\r\n"
        "\r\n"
        f"A@B.fr;{SIRET};;;;;\r\n"
    )
    lines, errors = parse(text, TODAY)
    assert [(line.number, line.result) for line in lines] == [(2, "ajourne")]
    assert errors == [LineError(4, "a@b.fr figure déjà ligne 2.")]


def test_missing_columns_and_future_dates():
    assert parse("email;date_debut\nx@y.fr;01/01/2025", TODAY)[1] == [
        LineError(1, "Colonnes obligatoires absentes de l'en-tête : siret.")
    ]
    _, errors = parse(f"{HEADER}\nx@y.fr;{SIRET};01/12/2026;;;;", TODAY)
    assert "date_debut est dans le futur" in errors[0].message
    _, errors = parse(f"{HEADER}\nx@y.fr;{SIRET};01/01/2025;;PIX;admis;", TODAY)
    assert "date_certification manquante" in errors[0].message
