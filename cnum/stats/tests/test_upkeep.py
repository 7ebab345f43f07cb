"""Rollups kept up by every write of the activity services and the legacy import equal a fresh
aggregation of the records (every row, every column)."""

import datetime
import json

import pytest

from cnum.activity import services
from cnum.activity.importer import run_import
from cnum.activity.models import Cra
from cnum.activity.testing import make_beneficiary, make_conseiller
from cnum.places.testing import make_place
from cnum.stats.models import ActivityRollup, Level
from cnum.stats.tests.activity_data import (
    assert_rollups_match_records,
    create,
    make_world,
    random_generator,
    random_operations,
)

pytestmark = pytest.mark.django_db


def rollup(level, scope, **filters):
    """The sums of `level`/`scope` rows (all months and types, no thématique)."""
    rows = ActivityRollup.objects.filter(level=level, scope=str(scope), thematique="", **filters)
    return {
        name: sum(getattr(r, name) for r in rows)
        for name in ("records", "accompagnements", "minutes", "participations_suivies")
    }


def test_a_record_created_then_edited_then_deleted_moves_the_rollups_with_it():
    rng = random_generator(1)
    world = make_world(rng, conseillers_per_structure=1)
    user = world.conseillers[0]
    cra = create(rng, world, user)
    assert rollup(Level.CONSEILLER, user.pk)["records"] == 1
    assert_rollups_match_records()

    # Another month, type, place, commune and thématiques.
    values, chosen = {"type": "collectif", "titre": "Atelier", "participants_anonymes": 3}, []
    values.update(
        date=datetime.date(2024, 12, 31),
        type_lieu="autre",
        place=None,
        commune_id="75056",
        thematiques=["sante", "email"],
        genre_feminin=3,
        genre_masculin=0,
        genre_non_communique=0,
        **{f"age_{v}": 0 for v in ("moins_de_douze", "douze_dix_huit", "dix_huit_vingt_quatre",
                                    "vingt_cinq_trente_neuf", "quarante_cinquante_neuf",
                                    "soixante_soixante_neuf", "soixante_dix_plus")},
        age_non_communique=3,
        statut_scolarise=0, statut_sans_emploi=0, statut_en_emploi=0, statut_retraite=0,
        statut_non_communique=3,
        autonomie="", oriente=False, orientation_kind="", orientation_place=None,
        beneficiary=None, niveau="",
    )  # fmt: skip
    chosen = world.beneficiaries[user.pk][:2]
    services.save_record(user, values, chosen, cra=cra)
    assert rollup(Level.COMMUNE, "75056") == {
        "records": 1, "accompagnements": 5, "minutes": cra.duree, "participations_suivies": 2
    }  # fmt: skip
    assert ActivityRollup.objects.filter(
        level=Level.DEPARTEMENT, month=datetime.date(2024, 12, 1), thematique="sante", records=1
    ).exists()
    assert_rollups_match_records()

    services.soft_delete(cra)
    assert rollup(Level.CONSEILLER, user.pk)["records"] == 0
    assert_rollups_match_records()


def test_random_creations_edits_and_deletions_keep_every_rollup_equal_to_the_records():
    rng = random_generator(7)
    world = make_world(rng)
    random_operations(rng, world, 60)
    assert Cra.objects.alive().exists() and Cra.objects.filter(deleted_at__isnull=False).exists()
    assert assert_rollups_match_records() > 50


def test_editing_or_deleting_a_followed_beneficiary_keeps_the_rollups_equal():
    user = make_conseiller()
    person = make_beneficiary(user, genre="feminin", annee_naissance=1950, statut="retraite")
    values = {
        "type": "individuel", "date": datetime.date(2025, 3, 4), "duree": 45,
        "type_lieu": "a_distance", "thematiques": ["email"], "participants_anonymes": 0,
        "beneficiary": person,
    }  # fmt: skip
    services.save_record(user, values)
    assert ActivityRollup.objects.get(level=Level.CONSEILLER, genre_feminin=1).age_soixante_dix_plus
    services.update_beneficiary(person, {"genre": "masculin", "annee_naissance": 1990})
    row = ActivityRollup.objects.get(level=Level.CONSEILLER)
    assert (row.genre_feminin, row.genre_masculin, row.age_vingt_cinq_trente_neuf) == (0, 1, 1)
    assert_rollups_match_records()
    services.delete_beneficiary(person)
    row = ActivityRollup.objects.get(level=Level.CONSEILLER)
    assert (row.participations_suivies, row.participants_anonymes, row.accompagnements) == (0, 1, 1)
    assert_rollups_match_records()


def v1(n, **cra):
    values = {
        "canal": "domicile",
        "activite": "collectif",
        "nbParticipants": 2 + n % 3,
        "age": {"moins12ans": 0, "de12a18ans": 0, "de18a35ans": 2 + n % 3, "de35a60ans": 0},
        "statut": {"etudiant": 0, "sansEmploi": 0, "enEmploi": 2 + n % 3, "retraite": 0},
        "themes": ["courriel", "smartphone"] if n % 2 else ["internet"],
        "duree": "30-60" if n % 3 else 90,
        "dateAccompagnement": {"$date": f"2023-0{1 + n % 4}-04T10:30:00.000Z"},
        "codeCommune": "69123" if n % 2 else "13055",
        **cra,
    }
    return {
        "_id": {"$oid": f"{n:024x}"},
        "cra": values,
        "conseiller": {"$ref": "conseillers", "$id": {"$oid": "5f9b1c2e8a1b2c3d4e5f6a7b"}},
        "structure": {"$ref": "structures", "$id": {"$oid": "a" * 24}},
        "permanence": None,
        "createdAt": {"$date": "2023-05-04T09:12:00.000Z"},
    }


def test_the_legacy_import_keeps_the_rollups_equal_and_counts_imported_records(tmp_path):
    user = make_conseiller(email="conseillere@exemple.fr")
    make_place(commune="13055")
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("legacy_id,email\n5f9b1c2e8a1b2c3d4e5f6a7b,conseillere@exemple.fr\n")
    path = tmp_path / "cra.jsonl"
    path.write_text("".join(json.dumps(v1(n)) + "\n" for n in range(1, 40)))
    job = run_import(path, mapping, batch_size=7)
    assert job.imported == 39
    assert rollup(Level.CONSEILLER, user.pk)["records"] == 39
    legacy = ActivityRollup.objects.filter(level=Level.CONSEILLER, thematique="")
    assert sum(r.legacy_records for r in legacy) == 39
    assert_rollups_match_records()
    # A second run imports nothing and changes nothing.
    run_import(path, mapping, batch_size=7)
    assert rollup(Level.CONSEILLER, user.pk)["records"] == 39
    assert_rollups_match_records()
