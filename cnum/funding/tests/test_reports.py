"""National screens: envelope dashboard, accounting export, cost report, envelopes."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.candidates.testing import make_profile
from cnum.funding import ledger
from cnum.funding.models import Envelope
from cnum.funding.testing import funded_structure
from cnum.matching.models import Match
from cnum.recruitment.signals import recruitment_validated
from cnum.structures.enums import StructureType

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    return login(client, make_user(Role.OPERATEUR_FINANCIER))


def test_the_dashboard_by_region_and_departement(client, operator, django_assert_max_num_queries):
    funded_structure(posts=2, departement="69")
    funded_structure(posts=1, departement="13")
    lyon, _ = funded_structure(posts=1, departement="69", type=StructureType.PRIVATE)
    ledger.pay(lyon, 1_000_000, author=operator, reason="Versement")
    funded_structure(posts=1, departement="971")
    client.get(reverse("funding:dashboard"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("funding:dashboard"))
    data = response.context["data"]
    assert not data.mismatches
    assert data.selected.code == "conseillers-2020"
    regions = {r.label: r for r in data.regions}
    rhone_alpes = regions["Auvergne-Rhône-Alpes"]
    assert rhone_alpes.committed == 2 * 5_000_000 + 3_200_000
    assert rhone_alpes.paid == 1_000_000
    assert [d.label for d in rhone_alpes.children] == ["69 — Rhône"]
    assert regions["Provence-Alpes-Côte d'Azur"].committed == 5_000_000
    assert regions["Guadeloupe"].committed == 7_000_000
    page = response.content.decode()
    assert "200\u202f000\u202f000,00\u00a0€" in page  # the ceiling
    assert "Totaux à vérifier" not in page


def test_the_dashboard_warns_when_the_cache_differs_from_the_rows(client, operator):
    funded_structure(posts=1)
    Envelope.objects.filter(code="conseillers-2020").update(committed_cents=1)
    assert "Totaux à vérifier" in client.get(reverse("funding:dashboard")).content.decode()


def _period():
    today = timezone.localdate()
    return {
        "start": (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        "end": today.strftime("%d/%m/%Y"),
    }


def test_the_csv_export_streams_the_rows_and_neutralises_formulas(client, operator):
    structure, _ = funded_structure(posts=2, name='=HYPERLINK("http://x")')
    response = client.get(reverse("funding:export"), {**_period(), "format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["numero", "date", "enveloppe", "mouvement", "montant_euros"]
    [row] = rows[1:]
    assert row[2:6] == ["conseillers-2020", "Engagement", "100000,00", "10000000"]
    assert row[6] == '\'=HYPERLINK("http://x")'
    assert row[7] == structure.siret


def test_the_xlsx_export(client, operator):
    funded_structure(posts=1, name="@SUM(A1)")
    response = client.get(reverse("funding:export"), {**_period(), "format": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        strings = (
            archive.read("xl/sharedStrings.xml").decode()
            if "xl/sharedStrings.xml" in archive.namelist()
            else ""
        )
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    content = strings + sheet
    assert "'@SUM(A1)" in content and "<f>" not in sheet
    assert "5000000" in sheet  # the exact amount in cents


def test_the_export_form_explains_bad_periods(client, operator):
    response = client.get(reverse("funding:export"), {"start": "31/12/2026", "end": "01/01/2026"})
    assert response.status_code == 400
    assert "La fin de la période précède son début" in response.content.decode()
    response = client.get(reverse("funding:export"), {"start": "hier", "end": "", "format": "pdf"})
    assert response.status_code == 400


def test_the_cost_report_against_the_target(client, operator, django_assert_max_num_queries):
    for departement in ("69", "971"):
        structure, _ = funded_structure(posts=1, departement=departement)
        match = Match.objects.create(candidate=make_profile(), structure=structure)
        recruitment_validated.send(
            Match, match=match, conseiller=make_user(Role.CANDIDAT), structure=structure
        )
    client.get(reverse("funding:cost_report"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("funding:cost_report"))
    totals = response.context["totals"]
    state = 480_500 + 29_723 + 32_660
    assert totals["count"] == 2
    assert totals["total"] == 5_000_000 + 7_000_000 + 2 * state
    page = response.content.decode()
    assert "5\u202f428,83\u00a0€ au-delà de l'objectif" in page
    assert "25\u202f428,83\u00a0€ au-delà de l'objectif" in page


def test_an_administrator_opens_an_envelope_for_a_later_phase(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("funding:envelopes")
    data = {
        "name": "Conseillers — phase 2",
        "code": "conseillers-2026",
        "purpose": "CONSEILLERS",
        "ceiling": "-5",
        "opens_on": "01/01/2026",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "montant positif" in response.content.decode()
    assert client.post(url, {**data, "ceiling": "150 000 000"}).status_code == 302
    envelope = Envelope.objects.get(code="conseillers-2026")
    assert envelope.ceiling_cents == 15_000_000_000
    assert ledger.open_envelope("CONSEILLERS") == envelope


def test_the_grid_page(client, operator):
    page = client.get(reverse("funding:grid")).content.decode()
    for amount in (
        "50\u202f000,00",
        "32\u202f000,00",
        "70\u202f000,00",
        "67\u202f500,00",
        "4\u202f805,00",
        "297,23",
        "326,60",
    ):
        assert amount in page
