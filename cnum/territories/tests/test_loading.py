"""load_territories on small hand-made files, in an emptied copy of the reference tables."""

import copy
import gzip
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cnum.accounts.models import Organisation
from cnum.accounts.roles import OrganisationKind
from cnum.territories.loading import DataFileError, load_territories
from cnum.territories.models import (
    CodePostal,
    Commune,
    CommuneSearchKey,
    Departement,
    FormerCommune,
    ReferenceDataset,
    Region,
)
from cnum.territories.services import search_communes

pytestmark = pytest.mark.django_db


def commune(code, nom, departement, region, codes_postaux, population, **extra):
    return {
        "code": code,
        "nom": nom,
        "type": "COM",
        "departement": departement,
        "region": region,
        "parent": None,
        "codes_postaux": codes_postaux,
        "population": population,
        "lat": 45.0,
        "lon": 5.0,
        "precision": "exacte",
        **extra,
    }


DATA = {
    "source": {"test": "1"},
    "regions": [{"code": "94", "nom": "Corse"}, {"code": "11", "nom": "Île-de-France"}],
    "departements": [
        {"code": "2A", "nom": "Corse-du-Sud", "region": "94"},
        {"code": "75", "nom": "Paris", "region": "11"},
        {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": None},
    ],
    "communes": [
        commune("2A004", "Ajaccio", "2A", "94", ["20000", "20090"], 76_000),
        commune("2A006", "Alata", "2A", "94", ["20167"], 3_000),
        commune("75056", "Paris", "75", "11", ["75001", "75002"], 2_100_000),
        commune(
            "75101",
            "Paris 1er Arrondissement",
            "75",
            "11",
            ["75001"],
            15_000,
            type="ARM",
            parent="75056",
        ),
        commune("97502", "Saint-Pierre", "975", None, ["97500"], 5_000, lat=46.78, lon=-56.18),
    ],
}


def write(path, data, compress=True):
    raw = json.dumps(data).encode()
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


@pytest.fixture
def empty_territories():
    """Empty the reference tables inside the test's transaction (rolled back afterwards)."""
    with connection.cursor() as cursor:
        for model in (
            CommuneSearchKey,
            FormerCommune,
            CodePostal,
            Commune,
            Departement,
            Region,
            ReferenceDataset,
        ):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture
def data_file(tmp_path, empty_territories):
    return write(tmp_path / "territoires.json.gz", DATA)


def test_first_load(data_file):
    report = load_territories(data_file)
    assert not report.up_to_date
    assert report.counts == {
        "régions": 2,
        "départements": 3,
        "communes": 5,
        "codes postaux": 7,
        "anciennes communes": 0,
    }
    assert report.changes["communes"] == (5, 0)
    assert Commune.objects.count() == 5
    assert Departement.objects.get(pk="975").region is None
    paris_1 = Commune.objects.get(pk="75101")
    assert (paris_1.parent_id, paris_1.nom_recherche) == ("75056", "paris 1er arrondissement")
    assert set(CodePostal.objects.filter(code="75001").values_list("commune", flat=True)) == {
        "75056",
        "75101",
    }
    assert set(CommuneSearchKey.objects.filter(commune="97502").values_list("key", flat=True)) == {
        "saint pierre",
        "pierre",
    }
    dataset = ReferenceDataset.objects.get()
    assert dataset.checksum == report.checksum
    assert dataset.summary["source"] == {"test": "1"}


def test_second_load_of_the_same_file_does_nothing(data_file, django_assert_num_queries):
    load_territories(data_file)
    with django_assert_num_queries(1):
        report = load_territories(data_file)
    assert report.up_to_date
    assert report.counts["communes"] == 5


def test_force_reloads_without_changes(data_file):
    load_territories(data_file)
    report = load_territories(data_file, force=True)
    assert not report.up_to_date
    assert all(change == (0, 0) for change in report.changes.values())
    assert report.deleted == 0


def test_changed_file_is_merged(data_file, tmp_path):
    load_territories(data_file)
    data = copy.deepcopy(DATA)
    ajaccio, alata = data["communes"][0], data["communes"][1]
    ajaccio.update(nom="Ajaccio-Nouveau", codes_postaux=["20000"], population=80_000)
    data["communes"].remove(alata)  # e.g. merged into another commune
    data["communes"].append(commune("2A017", "Appietto", "2A", "94", ["20167"], 1_800))
    report = load_territories(write(tmp_path / "v2.json.gz", data))

    assert report.changes["communes"] == (1, 1)
    assert report.changes["codes postaux"] == (1, 2)
    assert report.deleted == 1 and report.kept == []
    assert not Commune.objects.filter(pk="2A006").exists()
    ajaccio = Commune.objects.get(pk="2A004")
    assert (ajaccio.nom, ajaccio.population, ajaccio.codes_postaux) == (
        "Ajaccio-Nouveau",
        80_000,
        ["20000"],
    )
    assert [c.code_insee for c in search_communes("ajaccio nouveau")] == ["2A004"]
    assert search_communes("alata") == []
    assert [c.code_insee for c in search_communes("20167")] == ["2A017"]
    assert not CodePostal.objects.filter(code="20090").exists()


def test_rows_still_referenced_are_kept(data_file, tmp_path):
    load_territories(data_file)
    Organisation.objects.create(
        kind=OrganisationKind.values[0], name="Structure", departement_id="975"
    )
    data = copy.deepcopy(DATA)
    data["departements"] = [d for d in data["departements"] if d["code"] != "975"]
    data["communes"] = [c for c in data["communes"] if c["departement"] != "975"]
    report = load_territories(write(tmp_path / "v2.json", data, compress=False))
    assert report.kept == ["975"]
    assert Departement.objects.filter(pk="975").exists()
    assert not Commune.objects.filter(pk="97502").exists()


def test_arrondissements_and_their_city_can_leave_together(data_file, tmp_path):
    load_territories(data_file)
    data = copy.deepcopy(DATA)
    data["communes"] = [c for c in data["communes"] if c["departement"] != "75"]
    report = load_territories(write(tmp_path / "v2.json.gz", data))
    assert report.kept == []
    assert not Commune.objects.filter(departement="75").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "Fichier de données invalide"),
        (gzip.compress(b"[1, 2]", mtime=0), "objet JSON attendu"),
        (json.dumps({"regions": []}).encode(), "non conforme"),
        (
            json.dumps({**DATA, "departements": DATA["departements"][:1]}).encode(),
            "département 75 inconnu",
        ),
    ],
    ids=["pas-du-json", "liste", "incomplet", "departement-inconnu"],
)
def test_invalid_files(tmp_path, empty_territories, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message):
        load_territories(path)
    assert not Commune.objects.exists()


def test_command(data_file, capsys):
    call_command("load_territories", file=str(data_file))
    assert "Référentiel des territoires chargé" in capsys.readouterr().out
    call_command("load_territories", file=str(data_file))
    assert "déjà à jour (5 communes" in capsys.readouterr().out


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier de données illisible"):
        call_command("load_territories", file=str(tmp_path / "absent.json.gz"))


def test_command_on_the_real_file_is_a_no_op_in_tests(capsys):
    call_command("load_territories")
    assert "déjà à jour" in capsys.readouterr().out


def test_former_communes_are_loaded_and_merged(data_file, tmp_path):
    load_territories(data_file)
    data = copy.deepcopy(DATA)
    data["communes"].remove(data["communes"][1])  # Alata merged into Ajaccio
    data["anciennes_communes"] = [["Alata", "2A006", "2A004", "D"]]
    v2 = write(tmp_path / "v2.json.gz", data)
    report = load_territories(v2)
    assert report.changes["anciennes communes"] == (1, 0)
    assert [(c.code_insee, c.matched_as) for c in search_communes("alata")] == [
        ("2A004", "Alata, commune déléguée d'Ajaccio")
    ]
    assert load_territories(v2).up_to_date

    data["anciennes_communes"] = []
    load_territories(write(tmp_path / "v3.json.gz", data))
    assert not FormerCommune.objects.exists()
    assert search_communes("alata") == []
    assert CommuneSearchKey.objects.filter(commune="2A004").count() == 1
