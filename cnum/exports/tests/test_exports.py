import csv
import io
import re
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from cnum.accounts.models import Organisation
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.allocation.testing import make_validated_structure
from cnum.candidates.testing import make_profile
from cnum.matching.enums import MatchStatus
from cnum.matching.models import Match
from cnum.structures.enums import PrefetOpinionValue, Status
from cnum.structures.models import PrefetOpinion
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")
    return list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))


def read_xlsx(response):
    """Rows of the first sheet, as text (inline or shared strings, numbers as written)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in root]
    sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for cell in row.findall("m:c", ns):
            column = re.match(r"[A-Z]+", cell.get("r")).group()
            kind = cell.get("t")
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(f"{{{ns['m']}}}t"))
            elif kind == "s":
                value = shared[int(cell.find("m:v", ns).text)]
            else:
                value = cell.find("m:v", ns).text
            cells[column] = value
        rows.append(cells)
    return rows


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


@pytest.fixture
def prefet_rhone(client):
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement="69")
    return login(client, make_user(Role.PREFET, organisation=prefecture))


def download(client, slug, **params):
    return client.get(reverse("exports:download", args=[slug]), params)


def test_candidates_csv_contents(client, admin):
    profile = make_profile(commune="69123", pix_level=2, pix_score_1=70, has_diploma=True,
                           diploma_name="Titre REMN")  # fmt: skip
    rows = read_csv(download(client, "candidats"))
    assert rows[0][:3] == ["Nom", "Prénom", "Adresse électronique"]
    (row,) = rows[1:]
    user = profile.user
    assert row[:7] == [user.last_name, user.first_name, user.email, "0612345678", "Lyon",
                       "69123", "69"]  # fmt: skip
    assert row[7] == "Demandeur d'emploi, Diplômé de la médiation numérique"
    assert row[11] == "Niveau 2 — intermédiaire" and row[12] == "70" and row[-1] == "Oui"
    assert profile.motivation not in ";".join(row)


def test_structures_csv_has_the_decisions(client, admin):
    structure = make_validated_structure(posts=3, departement="69", name="Mairie test")
    Match.objects.create(candidate=make_profile(), structure=structure, status=MatchStatus.RECRUTEE)
    PrefetOpinion.objects.create(
        structure=structure, opinion=PrefetOpinionValue.FAVORABLE, comment="Très bon dossier",
        author=make_user(Role.PREFET),
    )  # fmt: skip
    make_structure(departement="75", status=Status.CREEE)
    rows = read_csv(download(client, "structures", status=Status.VALIDATION_COSELEC))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nom"] == "Mairie test" and row["Statut"] == "Validée par le comité"
    assert (row["Postes attribués"], row["Postes pourvus"]) == ("3", "1")
    assert row["Dernier avis du préfet"] == "Favorable"
    assert row["Dernière décision du comité"] == "Positif"


def test_matches_export_in_xlsx_opens(client, admin):
    structure = make_validated_structure(posts=2, departement="69", name="Centre social")
    candidate = make_profile()
    Match.objects.create(candidate=candidate, structure=structure, status=MatchStatus.INTERESSEE)
    response = download(client, "mises-en-relation", format="xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="mises-en-relation')
    rows = read_xlsx(response)
    assert rows[0]["A"] == "Candidat — nom" and rows[0]["H"] == "Statut"
    assert rows[1]["A"] == candidate.user.last_name
    assert rows[1]["E"] == "Centre social" and rows[1]["H"] == "Présélectionnée"


def test_formulas_are_neutralised_in_csv_and_xlsx(client, admin):
    user = make_user(Role.CANDIDAT, last_name='=HYPERLINK("http://x")', first_name="@SUM(A1)")
    make_profile(user, phone="+33612345678")
    row = read_csv(download(client, "candidats"))[1]
    assert row[:2] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert row[3] == "'+33612345678"
    cells = read_xlsx(download(client, "candidats", format="xlsx"))[1]
    assert cells["A"] == '\'=HYPERLINK("http://x")' and cells["B"] == "'@SUM(A1)"


def test_a_prefet_exports_their_departement_only(client, prefet_rhone):
    lyon = make_structure(departement="69", name="À Lyon")
    make_structure(departement="75", name="À Paris")
    make_profile(commune="69123")
    make_profile(commune="75056")
    Match.objects.create(candidate=make_profile(commune="75056"), structure=lyon)
    structures = read_csv(download(client, "structures"))
    assert [r[0] for r in structures[1:]] == ["À Lyon"]
    candidates = read_csv(download(client, "candidats"))
    assert [r[6] for r in candidates[1:]] == ["69"]
    assert len(read_csv(download(client, "mises-en-relation"))) == 2


def test_a_forged_departement_is_refused_with_a_message(client, prefet_rhone):
    make_structure(departement="75", name="À Paris")
    response = download(client, "structures", departement="75")
    assert response.status_code == 400
    body = response.content.decode()
    assert "n&#x27;est pas dans votre périmètre" in body and "À Paris" not in body
    # Garbage and unknown statuses: a clear error, never a 500.
    assert download(client, "structures", departement="<script>").status_code == 400
    assert download(client, "structures", status="NIMPORTE").status_code == 400
    assert client.get(reverse("exports:download", args=["inconnu"])).status_code == 404


def test_the_index_lists_the_prefet_departement(client, prefet_rhone):
    body = client.get(reverse("exports:index")).content.decode()
    assert "Rhône (69)" in body and "Paris (75)" not in body
    assert Organisation.objects.filter(kind=OrganisationKind.PREFECTURE).count() == 1


def test_exports_stream_with_a_fixed_query_budget(client, admin, django_assert_max_num_queries):
    for _ in range(30):
        structure = make_validated_structure(posts=1, departement="69")
        Match.objects.create(candidate=make_profile(), structure=structure)
    for slug in ("candidats", "structures", "mises-en-relation"):
        with django_assert_max_num_queries(8):
            response = download(client, slug)
            assert len(read_csv(response)) == 31


def test_recruitments_carry_their_contract(client, admin):
    from cnum.recruitment.testing import recruited

    match = recruited()
    row = dict(zip(*read_csv(download(client, "mises-en-relation")), strict=True))
    contract = match.contracts.get()
    assert row["Statut"] == "Recrutement demandé"
    assert row["Type de contrat"] == "Contrat à durée déterminée (CDD)"
    assert row["Début du contrat"] == contract.start_date.strftime("%d/%m/%Y")
    assert row["Fin du contrat"] == contract.end_date.strftime("%d/%m/%Y")
