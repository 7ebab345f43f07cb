import csv
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.activity import legacy
from cnum.activity.enums import AGE_FIELDS
from cnum.activity.importer import file_sha256, run_import
from cnum.activity.models import Cra, ImportErrorRow, ImportJob
from cnum.activity.signals import records_changed
from cnum.activity.testing import make_conseiller
from cnum.places.models import PlaceConseiller
from cnum.places.testing import make_place
from cnum.structures.testing import make_structure

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


def test_a_record_invalid_in_itself_is_reported_as_such_whoever_its_conseiller(tmp_path, mapping):
    docs = [
        v1(1, conseiller=UNKNOWN_OID, dateAccompagnement={"$date": "2019-06-01T10:00:00Z"}),
        v1(2, conseiller=UNKNOWN_OID, canal="domicile", codeCommune=""),
        v1(3, conseiller=UNKNOWN_OID, statut={"retraite": 3}),
        {**v1(4, conseiller=UNKNOWN_OID), "_id": None},
        v1(5, conseiller=UNKNOWN_OID),
    ]
    job = run_import(write_jsonl(tmp_path, docs), mapping)
    assert (job.imported, job.errors) == (0, 5)
    errors = dict(ImportErrorRow.objects.values_list("line", "message"))
    assert "2020" in errors[1]
    assert "commune" in errors[2]
    assert "dépasse" in errors[3]
    assert "_id" in errors[4]
    assert all("conseiller" not in errors[line] for line in range(1, 5))
    assert "conseiller inconnu" in errors[5]


def test_mapping_lines_naming_no_conseiller_are_refused(tmp_path, capsys):
    make_conseiller(email="conseillere@exemple.fr")
    make_user(Role.CANDIDAT, email="candidate@exemple.fr")
    make_user(Role.GESTIONNAIRE_STRUCTURE, email="gestion@exemple.fr")
    candidate, manager, nobody = "c" * 24, "d" * 24, "e" * 24
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        f"legacy_id,email\n{CONSEILLER_OID},conseillere@exemple.fr\n"
        f"{candidate},candidate@exemple.fr\n{manager},gestion@exemple.fr\n"
        f"{nobody},personne@exemple.fr\n"
    )
    docs = [v1(1), v1(2, conseiller=candidate), v1(3, conseiller=manager), v1(4, conseiller=nobody)]
    report = tmp_path / "erreurs.csv"
    path = write_jsonl(tmp_path, docs)
    call_command("import_legacy_cra", str(path), mapping=str(mapping), report=str(report))
    assert list(Cra.objects.values_list("legacy_id", flat=True)) == [f"{1:024x}"]
    errors = dict(ImportErrorRow.objects.values_list("line", "message"))
    assert "« candidate@exemple.fr » n'est pas un conseiller" in errors[2]
    assert "ligne 3 du fichier de correspondance" in errors[2]
    assert "« gestion@exemple.fr » n'est pas un conseiller" in errors[3]
    assert "aucun compte n'a l'e-mail « personne@exemple.fr »" in errors[4]
    out = capsys.readouterr().out
    assert "Correspondance refusée : le compte « candidate@exemple.fr » n'est pas un" in out
    assert "n'est pas un conseiller" in report.read_text()


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


def at(n, permanence, **cra):
    """A v1 document of the conseillère's `permanence` (the v1 place document, or None)."""
    return {**v1(n, **cra), "permanence": permanence}


def conseillere():
    return User.objects.get(email="conseillere@exemple.fr")


def test_permanence_designates_the_conseillers_place(tmp_path, mapping):
    user = conseillere()
    main = PlaceConseiller.objects.get(conseiller=user, is_main=True).place
    # Same SIRET as the main place: only its name and commune tell them apart.
    mediatheque = make_place(structure=main.structure, nom="Médiathèque du Centre", commune="75056")
    other = make_place(structure=make_structure(), nom="Mairie annexe")
    for place in (mediatheque, other):
        PlaceConseiller.objects.create(conseiller=user, place=place)
    stranger = make_place(nom="Tiers-lieu voisin", commune="75056")  # not hers
    by_name = {
        "siret": main.pivot,
        "nomEnseigne": "  MEDIATHEQUE du  centre ",
        "adresse": {"codePostal": "75001", "codeCommune": "75056"},
    }
    docs = [
        at(1, {"siret": other.pivot, "nomEnseigne": "Ancien nom"}),
        at(2, by_name),
        at(3, {"siret": stranger.pivot, "nom": stranger.nom, "codeCommune": "75056"}),
        at(4, None),
        at(5, by_name, canal="distance"),
        at(6, {"pivot": int(other.pivot)}),
    ]
    job = run_import(write_jsonl(tmp_path, docs), mapping)
    assert job.imported == 6
    place = dict(Cra.objects.values_list("legacy_id", "place"))
    assert [place[f"{n:024x}"] for n in range(1, 7)] == [
        other.pk, mediatheque.pk, main.pk, main.pk, None, other.pk,
    ]  # fmt: skip
    kept = Cra.objects.get(legacy_id=f"{5:024x}").legacy_data
    assert kept["permanence"] == by_name
    assert "permanence" not in Cra.objects.get(legacy_id=f"{4:024x}").legacy_data


def test_permanence_reading():
    assert legacy.permanence(v1(1)) is None
    found = legacy.permanence(at(1, {"siret": " 12345678901234 ", "nom": "Espace Éclair"}))
    assert found == legacy.Permanence("12345678901234", "espace eclair", None)
    assert legacy.normalise_name("Médiathèque  DU centre") == "mediatheque du centre"


# A free organisation name with what separates COPY's values and rows, and its escape.
SEPARATORS = "Maison\tdes services\r\nde C:\\Lyon \\N"


def every_shape(n):
    """v1 documents of the three schema shapes, a broken line and refused records."""
    docs = []
    for k in range(n):
        shape = k % 4
        if shape == 0:  # earliest: single strings
            docs.append(v1(k + 1, age="plus60ans", statut="retraite", organisme="Mairie"))
        elif shape == 1:
            docs.append(
                v1(k + 1, activite="collectif", nbParticipants=4, canal="autre lieu",
                   organisme="CAF", dateAccompagnement={"$date": {"$numberLong": "1651356000000"}})
            )  # fmt: skip
        elif shape == 2:
            docs.append(v1(k + 1, organismes=[{"CPAM": 2}, {SEPARATORS: 1}], duree=90))
        else:
            docs.append(v1(k + 1, themes=["cuisine"]) if k % 8 == 3 else "{cassé")
    docs.append(v1(1))  # already in the file
    return docs


def stored_rows():
    ignored = {"id", "created_at", "updated_at"}
    return [
        {k: v for k, v in row.items() if k not in ignored}
        for row in Cra.objects.order_by("legacy_id").values()
    ]


def test_fast_path_stores_what_the_orm_would(tmp_path, mapping):
    """Rows written by COPY (PostgreSQL) or executemany (SQLite) read back exactly as the same
    values saved through the ORM: run on both engines, the same file gives the same rows."""
    started = timezone.now()
    job = run_import(write_jsonl(tmp_path, every_shape(24)), mapping, batch_size=5)
    assert (job.imported, job.errors, job.skipped) == (18, 6, 1)
    imported = stored_rows()
    stamps = Cra.objects.values_list("created_at", "updated_at")
    assert all(started <= created == updated <= timezone.now() for created, updated in stamps)
    Cra.objects.all().delete()
    Cra.objects.bulk_create(Cra(**row) for row in imported)
    assert stored_rows() == imported
    early = Cra.objects.get(legacy_id=f"{1:024x}")
    assert early.age_soixante_soixante_neuf == 1 and early.orientation_kind == "administration"
    assert early.legacy_data["age"] == "plus60ans"
    collective = Cra.objects.get(legacy_id=f"{2:024x}")
    assert collective.date.isoformat() == "2022-05-01" and collective.commune_id == "69123"
    assert collective.legacy_data["organisme"] == "CAF" and not collective.oriente
    oriented = Cra.objects.get(legacy_id=f"{3:024x}")
    assert oriented.precision_demarche == f"CPAM, {SEPARATORS}"
    assert oriented.legacy_data["organismes"] == [{"CPAM": 2}, {SEPARATORS: 1}]


def test_interrupted_import_resumed_gives_the_same_result_as_one_run(tmp_path, mapping):
    path = write_jsonl(tmp_path, every_shape(30))
    batches = []

    def interrupt(done, size, job):
        batches.append(job.offset)
        if len(batches) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(path, mapping, batch_size=4, progress=interrupt)
    assert ImportJob.objects.get().offset == 12
    assert Cra.objects.count() == 9
    call_command(
        "import_legacy_cra", str(path), mapping=str(mapping), resume=True, batch_size=4, readers=2
    )
    resumed_job = ImportJob.objects.values("offset", "imported", "skipped", "errors").get()
    resumed = (stored_rows(), list(ImportErrorRow.objects.values_list("line", "message")))

    Cra.objects.all().delete()
    ImportJob.objects.all().delete()
    run_import(path, mapping, batch_size=7)
    assert ImportJob.objects.values("offset", "imported", "skipped", "errors").get() == (
        resumed_job
    )
    assert (stored_rows(), list(ImportErrorRow.objects.values_list("line", "message"))) == resumed


def test_bom_and_bytes_that_are_not_utf8_are_reported_not_fatal(tmp_path, mapping):
    path = tmp_path / "cra.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(v1(1)).encode()
        + b"\n\n"
        + json.dumps(v1(2, nomCommune="Lyon")).encode().replace(b"Lyon", b"Ly\xe9on")
        + b"\n"
    )
    job = run_import(path, mapping)
    assert (job.imported, job.errors, job.offset) == (1, 1, 3)
    assert "UTF-8" in ImportErrorRow.objects.get(line=3).message


def test_each_batch_announces_its_new_records(tmp_path, mapping):
    announced = []

    def receiver(sender, queryset, **kwargs):
        announced.append(sorted(queryset.values_list("legacy_id", flat=True)))

    path = write_jsonl(tmp_path, [v1(1), v1(2), v1(3, themes=["cuisine"]), v1(4), v1(1)])
    records_changed.connect(receiver, sender=Cra)
    try:
        run_import(path, mapping, batch_size=2)
        run_import(path, mapping, batch_size=2)  # nothing new: nothing announced
    finally:
        records_changed.disconnect(receiver, sender=Cra)
    assert announced == [[f"{1:024x}", f"{2:024x}"], [f"{4:024x}"]]


@pytest.mark.django_db(transaction=True)
def test_import_outside_a_transaction_commits_batch_by_batch_and_resumes(tmp_path, mapping):
    """Called outside any transaction (the command), batches are committed one by one (on
    PostgreSQL by a writer of their own while the next batch is read): an interruption keeps
    every batch reported done, and the resumed import ends as a single run would."""
    path = write_jsonl(tmp_path, every_shape(30))
    seen = []

    def interrupt(done, size, job):
        seen.append((job.offset, Cra.objects.count()))
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(path, mapping, batch_size=4, progress=interrupt)
    assert seen == [(4, 3), (8, 6), (12, 9)]
    assert ImportJob.objects.get().offset == 12 and Cra.objects.count() == 9
    job = run_import(path, mapping, resume=True, batch_size=4)
    resumed = (stored_rows(), list(ImportErrorRow.objects.values_list("line", "message")))
    assert (job.offset, job.imported, job.errors) == (31, 23, 7)
    Cra.objects.all().delete()
    ImportJob.objects.all().delete()
    run_import(path, mapping, batch_size=7)
    assert (stored_rows(), list(ImportErrorRow.objects.values_list("line", "message"))) == resumed


@pytest.mark.django_db(transaction=True)
def test_reading_processes_store_what_one_process_stores(tmp_path, mapping):
    """A large file is read by processes of their own while the importer writes: the same
    rows, errors and counts as when the importer reads it itself, batches committed in the
    file's order, and the same resume after an interruption."""
    path = write_jsonl(tmp_path, every_shape(40))
    run_import(path, mapping, batch_size=4, readers=0)
    counts = ("offset", "imported", "skipped", "errors")
    alone = (
        stored_rows(),
        list(ImportErrorRow.objects.order_by("line").values_list("line", "legacy_id", "message")),
        ImportJob.objects.values(*counts).get(),
    )
    Cra.objects.all().delete()
    ImportJob.objects.all().delete()
    seen = []

    def interrupt(done, size, job):
        seen.append((done, job.offset, Cra.objects.count()))
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(path, mapping, batch_size=4, readers=2, progress=interrupt)
    assert [(offset, count) for _, offset, count in seen] == [(4, 3), (8, 6), (12, 9)]
    assert seen[0][0] < seen[1][0] < seen[2][0] < path.stat().st_size  # bytes read, in order
    run_import(path, mapping, resume=True, batch_size=4, readers=2)
    assert (
        stored_rows(),
        list(ImportErrorRow.objects.order_by("line").values_list("line", "legacy_id", "message")),
        ImportJob.objects.values(*counts).get(),
    ) == alone
