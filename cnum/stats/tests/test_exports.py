"""Exports of a dashboard and of its anonymised records: contents, scope, no personal data."""

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

import pytest

from cnum.accounts.testing import login
from cnum.activity.enums import CraType, TypeLieu
from cnum.activity.testing import make_beneficiary, make_cra
from cnum.stats.exports import RECORDS_HEADER
from cnum.stats.tests.dashboard_data import main_place, make_world

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture
def world(db):
    return make_world()


def read_csv(response):
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")
    return list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))


def read_xlsx(response):
    """Rows of the first sheet as {column letter: text}."""
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root]
    sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{NS['m']}}}row"):
        cells = {}
        for cell in row.findall("m:c", NS):
            column = re.match(r"[A-Z]+", cell.get("r")).group()
            if cell.get("t") == "inlineStr":  # what constant_memory mode writes
                cells[column] = "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
            elif cell.get("t") == "s":
                cells[column] = shared[int(cell.find("m:v", NS).text)]
            else:
                cells[column] = cell.find("m:v", NS).text
        rows.append(cells)
    return rows


def test_the_figures_export_holds_what_the_dashboard_shows(client, world):
    login(client, world.managers["A"])
    response = client.get("/statistiques/export/indicateurs.csv?type=individuel")
    assert response.status_code == 200
    assert 'filename="statistiques-indicateurs-' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Rubrique", "Libellé", "Série", "Valeur", "Unité", "Part (%)"]
    assert ["Sélection", "Type d'activité", "", "Individuel", "", ""] in rows
    assert ["Indicateurs clés", "Personnes accompagnées", "", "4", "accompagnements", ""] in rows
    assert ["Indicateurs clés", "Heures d'accompagnement", "", "3,5", "heures", ""] in rows
    assert ["Thématiques", "E-mail", "", "3", "CRA", "75,0"] in rows
    assert ["Thématiques", "Santé", "", "1", "CRA", "25,0"] in rows
    assert ["Genre", "Non communiqué", "", "4", "personnes", "100,0"] in rows
    c1 = world.conseillers["c1"].get_full_name()
    assert ["Par conseiller", c1, "Accompagnements", "3", "", "75,0"] in rows
    assert ["Par conseiller", c1, "Heures", "3,0", "heures", ""] in rows
    sections = {row[0] for row in rows[1:]}
    assert {"Évolution par mois", "Lieux les plus fréquentés", "Durée", "Statut social"} <= sections


def test_the_figures_export_in_xlsx_keeps_numbers_as_numbers(client, world):
    login(client, world.admin)
    rows = read_xlsx(client.get("/statistiques/export/indicateurs.xlsx"))
    assert rows[0]["A"] == "Rubrique"
    by_label = {(r.get("A"), r.get("B"), r.get("C", "")): r.get("D") for r in rows[1:]}
    assert by_label[("Indicateurs clés", "Personnes accompagnées", "")] == "12"
    assert by_label[("Par région", "Auvergne-Rhône-Alpes", "Accompagnements")] == "9"
    assert by_label[("Indicateurs clés", "Heures d'accompagnement", "")] == "7"


def test_records_export_is_anonymised_and_neutralised(client, world):
    c1 = world.conseillers["c1"]
    followed = make_beneficiary(c1, prenom="Zoé", nom="Secrète", email="zoe@exemple.fr")
    place = main_place(c1)
    place.nom = '=HYPERLINK("http://exemple.fr")'
    place.save()
    make_cra(
        c1,
        beneficiary=followed,
        participants_anonymes=0,
        genre_non_communique=0,
        age_non_communique=0,
        statut_non_communique=0,
        notes="Note privée sur la personne",
        precision_demarche="Dossier de Zoé",
        type_lieu=TypeLieu.LIEU_ACTIVITE,
        place=place,
        thematiques=["sante"],
    )
    login(client, c1)
    response = client.get("/statistiques/export/activites.csv")
    assert response.status_code == 200
    rows = read_csv(response)
    assert tuple(rows[0]) == RECORDS_HEADER
    assert len(rows) == 1 + 5  # c1's four records and the new one
    raw = "\n".join(";".join(row) for row in rows)
    for secret in ("Zoé", "Secrète", "zoe@exemple.fr", "Note privée", "Atelier courriel"):
        assert secret not in raw
    assert c1.get_full_name() not in raw and c1.email not in raw
    record = dict(zip(rows[0], rows[-1], strict=True))
    assert record["Lieu d'activité"] == '\'=HYPERLINK("http://exemple.fr")'
    assert record["Bénéficiaires suivis (nombre)"] == "1"
    assert record["Participants anonymes"] == "0"
    assert record["Thématiques"] == "Santé"
    assert record["Conseiller (numéro)"] == str(c1.pk)
    assert record["Département"] == "69"
    workshop = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[2] == "Collectif")
    assert workshop["Participants anonymes – Féminin"] == "5"
    assert workshop["Participants anonymes – 70 ans et plus"] == "5"
    assert workshop["Tranche de durée"] == "2 h et plus"
    assert workshop["Niveau de l'atelier"] == "Débutant"


def test_records_export_stays_within_the_scope_and_filters(client, world):
    login(client, world.managers["A"])
    rows = read_csv(client.get("/statistiques/export/activites.csv"))
    conseillers = {row[RECORDS_HEADER.index("Conseiller (numéro)")] for row in rows[1:]}
    assert conseillers == {str(world.conseillers["c1"].pk), str(world.conseillers["c2"].pk)}
    rows = read_csv(client.get("/statistiques/export/activites.csv?thematique=sante"))
    assert len(rows) == 2
    login(client, world.admin)
    rows = read_xlsx(client.get("/statistiques/export/activites.xlsx?region=11"))
    assert len(rows) == 1 + 2  # Paris: c3's two records
    assert {r["L"] for r in rows[1:]} == {str(world.conseillers["c3"].pk)}
    rows = read_csv(client.get(f"/statistiques/export/activites.csv?type={CraType.COLLECTIF}"))
    assert len(rows) == 2


def test_an_unknown_format_is_a_404(client, world):
    login(client, world.admin)
    assert client.get("/statistiques/export/activites.pdf").status_code == 404
    assert client.get("/statistiques/export/indicateurs.ods").status_code == 404
