import datetime

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from cnum.activity import rules
from cnum.activity.enums import (
    AGE_FIELDS,
    COUNT_FIELDS,
    DUREE_MAX,
    GENRE_FIELDS,
    STATUT_FIELDS,
    CraType,
    TrancheAge,
    TypeLieu,
    tranche_for_age,
)
from cnum.activity.testing import individual_values, make_conseiller, make_cra

TODAY = datetime.date(2026, 11, 26)


def check(**fields):
    return rules.validate(individual_values(**{"date": TODAY, **fields}), today=TODAY)


def collective(n, **fields):
    values = individual_values(
        date=TODAY, type=CraType.COLLECTIF, titre="Atelier e-mail", participants_anonymes=n
    )
    for breakdown in (GENRE_FIELDS, AGE_FIELDS, STATUT_FIELDS):
        values[breakdown["non_communique"]] = n
    values.update(fields)
    return values


def test_a_typical_individual_record_is_valid():
    assert check() == {}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "ponctuel"}, "type"),
        ({"date": None}, "date"),
        ({"date": datetime.date(2019, 12, 31)}, "date"),
        ({"date": TODAY + datetime.timedelta(days=1)}, "date"),
        ({"duree": 0}, "duree"),
        ({"duree": "30"}, "duree"),
        ({"type_lieu": "ailleurs"}, "type_lieu"),
        ({"type_lieu": TypeLieu.DOMICILE}, "commune"),
        ({"type_lieu": TypeLieu.AUTRE}, "commune"),
        ({"type_lieu": TypeLieu.LIEU_ACTIVITE}, "place"),
        ({"place_id": 3}, "place"),
        ({"thematiques": []}, "thematiques"),
        ({"thematiques": ["cuisine"]}, "thematiques"),
        ({"thematiques": ["email", "email"]}, "thematiques"),
        ({"materiel": ["aucun", "tablette"]}, "materiel"),
        ({"demarches": ["logement"]}, "demarches"),
        ({"titre": "Atelier"}, "titre"),
        ({"niveau": "debutant"}, "titre"),
        ({"participants_anonymes": 2}, "participants_anonymes"),
        ({GENRE_FIELDS["masculin"]: 1}, "participants_anonymes"),
        ({"autonomie": "totale"}, "autonomie"),
        ({"oriente": True}, "orientation_kind"),
        ({"orientation_kind": "administration"}, "orientation_kind"),
        ({"beneficiary_id": 1}, "beneficiary"),
        ({"beneficiary_ids": [1, 2]}, "beneficiaries"),
    ],
)
def test_invalid_individual_records(fields, field):
    assert field in check(**fields)


def test_valid_variants():
    assert check(type_lieu=TypeLieu.DOMICILE, commune_id="69123") == {}
    assert (
        rules.validate(
            individual_values(date=TODAY, type_lieu=TypeLieu.LIEU_ACTIVITE, place_id=3),
            today=TODAY,
            place_ids={3},
        )
        == {}
    )
    assert "place" in rules.validate(
        individual_values(date=TODAY, type_lieu=TypeLieu.LIEU_ACTIVITE, place_id=3),
        today=TODAY,
        place_ids={4},
    )
    assert check(thematiques=["aide_aux_demarches_administratives"], demarches=["logement"]) == {}
    assert check(oriente=True, orientation_kind="aide_sociale", orientation_place_id=5) == {}
    followed = {name: 0 for name in COUNT_FIELDS}
    assert check(beneficiary_id=1, participants_anonymes=0, **followed) == {}


def test_collective_rules():
    assert rules.validate(collective(12), today=TODAY) == {}
    assert "titre" in rules.validate(collective(12, titre=" "), today=TODAY)
    assert "niveau" in rules.validate(collective(12, niveau="expert"), today=TODAY)
    assert "autonomie" in rules.validate(collective(12, autonomie="autonome"), today=TODAY)
    assert "beneficiary" in rules.validate(collective(12, oriente=True), today=TODAY)
    assert "participants_anonymes" in rules.validate(collective(0), today=TODAY)
    # Followed beneficiaries alone make a workshop.
    assert rules.validate(collective(0, beneficiary_ids=[1, 2]), today=TODAY) == {}


@given(
    duree=st.integers(min_value=-1000, max_value=3 * DUREE_MAX),
)
def test_duree_property(duree):
    errors = check(duree=duree)
    assert ("duree" in errors) == (not 0 < duree <= DUREE_MAX)


@given(
    counts=st.tuples(*(st.integers(0, 40) for _ in range(3))),
    total=st.integers(0, 60),
)
def test_breakdowns_must_each_sum_to_the_anonymous_participants(counts, total):
    values = collective(total)
    values.update(dict.fromkeys(AGE_FIELDS.values(), 0))
    values[AGE_FIELDS["moins_de_douze"]] = counts[0]
    values[AGE_FIELDS["douze_dix_huit"]] = counts[1]
    values[AGE_FIELDS["non_communique"]] = counts[2]
    errors = rules.validate(values, today=TODAY)
    valid = sum(counts) == total and total >= 1
    assert (errors == {}) == valid


@given(st.integers(0, 120))
def test_age_brackets_cover_every_age(age):
    tranche = tranche_for_age(age)
    assert tranche in TrancheAge.values and tranche != TrancheAge.NON_COMMUNIQUE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"duree": 0},
        {"participants_anonymes": 2},
        {GENRE_FIELDS["masculin"]: 1},
        {"type_lieu": TypeLieu.DOMICILE},
        {"type_lieu": TypeLieu.LIEU_ACTIVITE},
        {"titre": "Atelier"},
        {"orientation_kind": "administration"},
        {"type": CraType.COLLECTIF, "titre": ""},
        {"type": CraType.COLLECTIF, "titre": "Atelier", "autonomie": "autonome"},
    ],
)
def test_the_database_refuses_what_the_rules_refuse(fields):
    conseiller = make_conseiller()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_cra(conseiller, **fields)
