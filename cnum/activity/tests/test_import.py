import csv
import json

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from cnum.activity import legacy
from cnum.activity.enums import AGE_FIELDS
from cnum.activity.importer import file_sha256, run_import
from cnum.activity.models import Cra, ImportErrorRow, ImportJob
from cnum.activity.testing import make_conseiller

pytestmark = pytest.mark.django_db

CONSEILLER_OID = "5f9b1c2e8a1b2c3d4e5f6a7b"
UNKNOWN_OID = "000000000000000000000000"


def v1(n, *, conseiller=CONSEILLER_OID, **cra):
    values = {
        "canal": "rattachement",
        "activite": "individuel",
        "nbParticipants": 1,
        "age": {"moins12ans": 0, "de12a18ans": 0, "de18a35ans": 1, "de35a60ans": 0},
        "statut": {"etudiant": 0, "sansEmploi": 0, "enEmploi": 1, "retraite": 0},
        "themes": ["courriel", "smartphone"],
        "duree": "30-60",
        "dateAccompagnement": {"$date": "2023-05-04T22:30:00.000Z"},
        "codeCommune": "69123",
        **cra,
    }
    return {
        "_id": {"$oid": f"{n:024x}"},
        "cra": values,
        "conseiller": {"$ref": "conseillers", "$id": {"$oid": conseiller}},
        "structure": {"$ref": "structures", "$id": {"$oid": "a" * 24}},
        "permanence": None,
        "createdAt": {"$date": "2023-05-04T09:12:00.000Z"},
    }


@pytest.fixture
def mapping(tmp_path):
    make_conseiller(email="conseillere@exemple.fr")
    path = tmp_path / "mapping.csv"
    path.write_text(f"legacy_id,email\n{CONSEILLER_OID},Conseillere@exemple.fr\n")
    return path


def write_jsonl(tmp_path, docs, name="cra.jsonl"):
    path = tmp_path / name
    path.write_text("".join((d if isinstance(d, str) else json.dumps(d)) + "\n" for d in docs))
    return path


def test_mapping_table():
    values = legacy.map_record(v1(1))
    assert values["type"] == "individuel"
    assert values["type_lieu"] == "lieu_activite"
    assert values["duree"] == 45
    assert values["thematiques"] == ["email", "prendre_en_main_du_materiel"]
    assert values["date"].isoformat() == "2023-05-05"  # Paris day
    assert values["age_vingt_cinq_trente_neuf"] == 1 and values["statut_en_emploi"] == 1
    assert values["genre_non_communique"] == 1
    assert legacy.map_record(v1(1, duree="0-30"))["duree"] == 15
    assert legacy.map_record(v1(1, duree=135))["duree"] == 135
    assert legacy.map_record(v1(1, canal="distance"))["type_lieu"] == "a_distance"
    group = legacy.map_record(
        v1(1, activite="collectif", nbParticipants=5, age="de35a60ans", statut={"retraite": 3})
    )
    assert group["type"] == "collectif" and group["titre"]
    assert group["age_quarante_cinquante_neuf"] == 5
    assert (group["statut_retraite"], group["statut_non_communique"]) == (3, 2)
    oriented = legacy.map_record(v1(1, organisme="CAF"))
    assert (
        oriented["oriente"] and oriented["orientation_kind"] == "operateur_ou_organisme_en_charge"
    )
    free = legacy.map_record(v1(1, organismes=[{"Notaire": 1}]))
    assert free["orientation_kind"] == "autre"
    for key, value in legacy.THEMES.items():
        assert legacy.map_record(v1(1, themes=[key]))["thematiques"] == [value]


@pytest.mark.parametrize(
    ("cra", "message"),
    [
        ({"canal": "fusée"}, "canal"),
        ({"themes": ["cuisine"]}, "thème"),
        ({"nbParticipants": 0}, "nbParticipants"),
        ({"statut": {"retraite": 3}}, "dépasse"),
        ({"duree": "longtemps"}, "durée"),
        ({"activite": "autre"}, "activité"),
    ],
)
def test_mapping_errors(cra, message):
    with pytest.raises(legacy.LegacyError, match=message):
        legacy.map_record(v1(1, **cra))


def test_import_is_idempotent_and_reports_errors(tmp_path, mapping):
    docs = [
        v1(1),
        v1(2, activite="collectif", nbParticipants=8, age={}, statut={}, canal="autre lieu"),
        v1(3, conseiller=UNKNOWN_OID),
        "{pas du json",
        v1(4, canal="domicile", codeCommune=""),
        v1(5, dateAccompagnement={"$date": "2019-06-01T10:00:00Z"}),
        v1(1),  # the same record twice
    ]
    path = write_jsonl(tmp_path, docs)
    job = run_import(path, mapping, batch_size=3)
    assert (job.imported, job.errors, job.skipped) == (2, 4, 1)
    errors = {row.line: row.message for row in ImportErrorRow.objects.all()}
    assert "conseiller inconnu" in errors[3] and UNKNOWN_OID in errors[3]
    assert "JSON illisible" in errors[4]
    assert "commune" in errors[5]
    assert "2020" in errors[6]
    first = Cra.objects.get(legacy_id=f"{1:024x}")
    assert first.place is not None and first.structure is not None
    snapshot = list(Cra.objects.order_by("pk").values())
    job = run_import(path, mapping)
    assert (job.imported, job.errors, job.skipped) == (0, 4, 3)
    assert list(Cra.objects.order_by("pk").values()) == snapshot
    assert ImportJob.objects.count() == 1


def test_import_resumes_after_the_last_committed_batch(tmp_path, mapping):
    path = write_jsonl(tmp_path, [v1(n) for n in range(1, 8)])
    ImportJob.objects.create(sha256=file_sha256(path), file_name="cra.jsonl", offset=4)
    job = run_import(path, mapping, resume=True, batch_size=2)
    assert job.offset == 7 and job.imported == 3
    assert sorted(Cra.objects.values_list("legacy_id", flat=True)) == [
        f"{n:024x}" for n in range(5, 8)
    ]


def test_csv_import_and_command(tmp_path, mapping, capsys):
    path = tmp_path / "cra.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        header = "_id conseiller cra.canal cra.activite cra.nbParticipants cra.themes cra.duree"
        writer.writerow([*header.split(), "cra.dateAccompagnement", "cra.codeCommune"])
        writer.writerow([f"{9:024x}", CONSEILLER_OID, "distance", "ponctuel", "1",
                         "internet|securite", "90", "2022-03-01T10:00:00Z", ""])  # fmt: skip
        writer.writerow([f"{10:024x}", UNKNOWN_OID, "distance", "ponctuel", "1",
                         "internet", "90", "2022-03-01T10:00:00Z", ""])  # fmt: skip
    report = tmp_path / "erreurs.csv"
    call_command("import_legacy_cra", str(path), mapping=str(mapping), report=str(report))
    cra = Cra.objects.get()
    assert cra.thematiques == ["navigation_sur_internet", "securite_numerique"]
    assert cra.duree == 90
    assert "1 importé(s)" in capsys.readouterr().out
    assert "conseiller inconnu" in report.read_text()


@given(
    counts=st.dictionaries(st.sampled_from(list(legacy.AGES)), st.integers(0, 60), max_size=5),
    total=st.integers(1, 100),
)
def test_v1_age_counts_always_sum_to_the_participants(counts, total):
    try:
        mapped = legacy.breakdown(counts, legacy.AGES, AGE_FIELDS, total, "âge")
    except legacy.LegacyError:
        assert sum(counts.values()) > total
    else:
        assert sum(mapped.values()) == total
        assert sum(counts.values()) <= total


@given(st.one_of(st.integers(-100, 1000), st.sampled_from(["0-30", "30-60", "x", "", "45.5"])))
def test_v1_durations(value):
    try:
        minutes = legacy.duree(value)
    except legacy.LegacyError:
        assert value in ("x", "", "45.5") or (isinstance(value, int) and value <= 0)
    else:
        assert minutes > 0
