"""What one record counts, against figures computed by hand (docs/domaine.md#cra)."""

import datetime

import pytest
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.activity.models import Cra
from cnum.activity.policies import conseiller_structure
from cnum.activity.testing import individual_values, make_beneficiary, make_conseiller
from cnum.places.testing import make_place
from cnum.stats.contributions import (
    Tally,
    contribution,
    duree_bucket,
    keys,
    load_facts,
    stream_rows,
)
from cnum.stats.measures import MEASURE_COLUMNS
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 14)
MONTH = datetime.date(2025, 3, 1)


def record(user, **fields):
    structure = conseiller_structure(user)
    values = individual_values(date=DAY, **fields)
    return Cra.objects.create(conseiller=user, structure=structure, **values)


def collective(user, anonymous, followers=(), **fields):
    counts = {"genre_masculin": anonymous, "age_soixante_dix_plus": anonymous,
              "statut_retraite": anonymous}  # fmt: skip
    cra = Cra.objects.create(
        conseiller=user,
        structure=conseiller_structure(user),
        type="collectif", date=DAY, duree=120, type_lieu="a_distance", thematiques=["email"],
        titre="Atelier", niveau="debutant", participants_anonymes=anonymous, **counts, **fields,
    )  # fmt: skip
    cra.beneficiaries.set(followers)
    return cra


def test_an_anonymous_individual_record_counts_one_person_with_its_single_values():
    user = make_conseiller()
    cra = record(user, materiel=["ordinateur", "telephone"], autonomie="autonome")
    assert contribution(cra) == {
        "records": 1, "accompagnements": 1, "participants_anonymes": 1, "minutes": 30,
        "thematique_email": 1, "materiel_ordinateur": 1, "materiel_telephone": 1,
        "lieu_a_distance": 1, "duree_30_60": 1, "autonomie_autonome": 1,
        "genre_non_communique": 1, "age_non_communique": 1, "statut_non_communique": 1,
    }  # fmt: skip
    structure = cra.structure
    base = ("69", structure.pk, MONTH, "individuel")
    departement = ("69", 0, MONTH, "individuel")  # not split by structure
    france = ("", 0, MONTH, "individuel")
    assert sorted(keys(cra)) == sorted(
        [
            ("national", "", *france, ""),
            ("national", "", *france, "email"),
            ("departement", "69", *departement, ""),
            ("departement", "69", *departement, "email"),
            ("structure", str(structure.pk), *base, ""),
            ("structure", str(structure.pk), *base, "email"),
            ("conseiller", str(user.pk), *base, ""),
        ]
    )


def test_a_followed_beneficiary_counts_with_their_age_on_the_day_of_the_record():
    user = make_conseiller()
    person = make_beneficiary(user, genre="feminin", annee_naissance=2013, statut="scolarise")
    cra = record(
        user,
        participants_anonymes=0, beneficiary=person, genre_non_communique=0,
        age_non_communique=0, statut_non_communique=0,
    )  # fmt: skip
    counts = contribution(cra)
    assert counts["accompagnements"] == 1
    assert counts["participations_suivies"] == 1
    assert "participants_anonymes" not in counts
    assert (counts["genre_feminin"], counts["age_douze_dix_huit"], counts["statut_scolarise"]) == (
        1, 1, 1
    )  # fmt: skip
    # In 2024 the same person was 11.
    cra.date = datetime.date(2024, 6, 1)
    cra.save()
    assert contribution(cra)["age_moins_de_douze"] == 1


def test_a_collective_record_counts_one_accompaniment_per_participant():
    user = make_conseiller()
    followers = [
        make_beneficiary(user, genre="feminin", annee_naissance=1990, statut="en_emploi"),
        make_beneficiary(user),  # nothing communicated
    ]
    counts = contribution(collective(user, 4, followers))
    assert counts == {
        "records": 1, "accompagnements": 6, "participants_anonymes": 4,
        "participations_suivies": 2, "minutes": 120, "thematique_email": 1,
        "lieu_a_distance": 1, "duree_120_plus": 1, "niveau_debutant": 1,
        "genre_masculin": 4, "genre_feminin": 1, "genre_non_communique": 1,
        "age_soixante_dix_plus": 4, "age_vingt_cinq_trente_neuf": 1, "age_non_communique": 1,
        "statut_retraite": 4, "statut_en_emploi": 1, "statut_non_communique": 1,
    }  # fmt: skip
    assert set(counts) <= set(MEASURE_COLUMNS)


def test_a_legacy_record_counts_and_is_marked_imported():
    user = make_conseiller()
    cra = record(user, legacy_id="a" * 24, type_lieu="lieu_activite")
    counts = contribution(cra)
    assert (counts["records"], counts["legacy_records"], counts["lieu_lieu_activite"]) == (1, 1, 1)


def test_an_orientation_to_a_place_counts_the_orientation_its_kind_and_the_place():
    user = make_conseiller()
    other = make_place(commune="13055")
    cra = record(user, oriente=True, orientation_kind="aide_sociale", orientation_place=other)
    counts = contribution(cra)
    assert (counts["orientations"], counts["orientations_lieu"]) == (1, 1)
    assert counts["orientation_aide_sociale"] == 1
    without_place = record(user, oriente=True, orientation_kind="")
    assert contribution(without_place)["orientations"] == 1
    assert "orientations_lieu" not in contribution(without_place)


def test_procedures_count_once_each_with_their_thematique():
    user = make_conseiller()
    cra = record(
        user,
        thematiques=["aide_aux_demarches_administratives", "email"],
        demarches=["logement", "argent_impots"],
    )
    counts = contribution(cra)
    assert counts["thematique_aide_aux_demarches_administratives"] == 1
    assert counts["thematique_email"] == 1
    assert (counts["demarche_logement"], counts["demarche_argent_impots"]) == (1, 1)
    themes = sorted(k[-1] for k in keys(cra) if k[0] == "departement")
    assert themes == ["", "aide_aux_demarches_administratives", "email"]


@pytest.mark.parametrize(
    ("minutes", "bucket"),
    [(1, "moins_30"), (29, "moins_30"), (30, "30_60"), (59, "30_60"), (60, "60_120"),
     (119, "60_120"), (120, "120_plus"), (1440, "120_plus")],
)  # fmt: skip
def test_duration_buckets_include_their_lower_bound(minutes, bucket):
    assert duree_bucket(minutes) == bucket


def test_a_record_feeds_its_place_and_commune_and_takes_the_departement_of_its_structure():
    user = make_conseiller()  # structure in the Rhône
    place = make_place(commune="13055", structure=make_structure(departement="13"))
    cra = record(user, type_lieu="lieu_activite", place=place)
    found = {k[0]: k for k in keys(cra) if not k[-1] and k[0] != "national"}
    assert found["place"][1] == str(place.pk)
    assert found["commune"][1] == "13055"  # the place's commune
    assert {k[2] for k in found.values()} == {"69"}
    at_home = record(user, type_lieu="domicile", commune_id="75056")
    assert {k[1] for k in keys(at_home) if k[0] == "commune"} == {"75056"}


def test_without_structure_the_departement_is_the_places_then_the_communes():
    user = make_user(Role.CONSEILLER, organisation=make_structure())
    place = make_place(commune="13055")
    cra = Cra.objects.create(
        conseiller=user, structure=None,
        **individual_values(date=DAY, type_lieu="lieu_activite", place=place),
    )  # fmt: skip
    territorial = [k for k in keys(cra) if k[0] != "national"]  # national rows have none
    assert {k[2] for k in territorial} == {"13"}
    assert {k[3] for k in keys(cra)} == {0}
    cra.type_lieu, cra.place, cra.commune_id = "domicile", None, "75056"
    cra.save()
    assert {k[2] for k in keys(cra) if k[0] != "national"} == {"75"}


def test_a_deleted_record_counts_nothing():
    cra = record(make_conseiller())
    cra.deleted_at = timezone.now()
    cra.save()
    assert contribution(cra) == {}
    assert keys(cra) == []


def test_the_rebuild_reading_raw_rows_sums_every_kind_of_record_as_the_record_by_record_path():
    """The rebuild reads raw rows and computes each distinct content once: legacy, followed,
    collective, oriented and deleted records must sum exactly as `contribution` counts them."""
    user = make_conseiller()
    person = make_beneficiary(user, genre="feminin", annee_naissance=1990, statut="en_emploi")
    record(user, legacy_id="b" * 24)
    followed = dict(participants_anonymes=0, beneficiary=person, genre_non_communique=0,
                    age_non_communique=0, statut_non_communique=0)  # fmt: skip
    record(user, **followed)
    later = record(user, **followed)
    Cra.objects.filter(pk=later.pk).update(date=datetime.date(2026, 1, 5))  # another year
    collective(user, 3, [person, make_beneficiary(user)])
    collective(user, 3)
    record(user, oriente=True, orientation_kind="aide_sociale", orientation_place=make_place())
    record(user, deleted_at=timezone.now())
    by_record, by_row = Tally(), Tally()
    for facts in load_facts(Cra.objects.all()):
        by_record.add(facts)
    for rows, followers in stream_rows(Cra.objects.order_by("pk"), chunk=3):
        for row in rows:
            by_row.add_row(row, followers.get(row[0], ()))
    expected = by_record.rows()
    assert by_row.rows() == expected
    national = [k for k in expected if k[0] == "departement" and not k[6] and k[5] == "individuel"]
    assert sum(expected[k][MEASURE_COLUMNS.index("records")] for k in national) == 4
