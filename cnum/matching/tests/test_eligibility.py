"""Who a structure sees: distance against the candidate's own maximum, territory, availability."""

import datetime
import math

import pytest

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates import services as candidate_services
from cnum.candidates.testing import make_profile
from cnum.matching import screen
from cnum.matching.eligibility import KM_PER_DEGREE, Eligibility, local_communes, territory_codes
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import CommitteeSession
from cnum.structures.services import record_decision
from cnum.structures.testing import make_structure
from cnum.territories.models import Commune
from cnum.territories.services import distance_km

pytestmark = pytest.mark.django_db

# Great-circle distances from Lyon (69123): Montluel 19.885 km, Morancé 20.133 km.
MONTLUEL, MORANCE = "01262", "69140"


def new_ids(structure):
    result = screen.build(structure)
    return {row.profile.pk for row in result.rows}, result.counts[screen.NEW]


def test_distance_boundary_against_own_maximum(structure):
    inside = make_profile(commune=MONTLUEL, max_distance_km=20)
    make_profile(commune=MORANCE, max_distance_km=20)  # 20.13 km: out
    make_profile(commune=MONTLUEL, max_distance_km=15)  # within 20 km, beyond their own 15
    farther_ok = make_profile(commune=MORANCE, max_distance_km=40)
    ids, count = new_ids(structure)
    assert ids == {inside.pk, farther_ok.pk}
    assert count == 2
    assert 19 < Eligibility(structure).distance_to(inside.commune) < 20
    assert set(Eligibility(structure).candidates().values_list("pk", flat=True)) == ids


def test_nearest_first_with_the_exact_distance_on_each_row(structure):
    far = make_profile(commune=MORANCE, max_distance_km=40)
    near = make_profile(commune="69123", max_distance_km=5)
    middle = make_profile(commune=MONTLUEL, max_distance_km=20)
    rows = screen.build(structure).rows
    assert [row.profile.pk for row in rows] == [near.pk, middle.pk, far.pk]
    assert [round(row.distance_km, 1) for row in rows] == [0.0, 19.9, 20.1]


def test_mainland_and_corsica_together_overseas_alone(structure):
    ajaccio = make_profile(commune="2A004", max_distance_km=2000)
    guadeloupe = make_profile(commune="97105", max_distance_km=2000)
    ajaccio_local = make_profile(commune="2A004", max_distance_km=100)
    ids, _ = new_ids(structure)
    assert ajaccio.pk in ids
    assert guadeloupe.pk not in ids
    assert ajaccio_local.pk not in ids  # Ajaccio is ~ 480 km from Lyon

    basse_terre = make_structure(departement="971", status=Status.VALIDATION_COSELEC)
    assert new_ids(basse_terre)[0] == {guadeloupe.pk}
    martinique = make_structure(
        departement="971",
        commune=Commune.objects.get(pk="97209"),
        status=Status.VALIDATION_COSELEC,
    )
    # Guadeloupe and Martinique are ~ 150 km apart: within 2 000 km, yet another territory.
    assert new_ids(martinique)[0] == set()


def test_territory_ranges_follow_the_communes_departement():
    """The INSEE-code ranges used as index ranges hold exactly each territory's communes."""
    for code, departement in Commune.objects.values_list("code_insee", "departement_id"):
        territory = "metropole" if len(departement) == 2 else departement
        first, last = territory_codes(territory)
        assert first <= code <= last


def test_ordering_key_error_bound_within_100_km():
    """The key orders only; within 100 km it stays within 2 % of the great-circle distance,
    and communes beyond 100 km never rank before one within 90 km."""
    for centre in ("69123", "59350", "2A004", "97411", "29019", "67482"):
        commune = Commune.objects.get(pk=centre)
        local = local_communes(centre)
        for code, (km, key) in local.items():
            approx = math.sqrt(key) * KM_PER_DEGREE
            assert abs(approx - km) <= 0.02 * km + 1e-9, (centre, code)
        eligibility = Eligibility(make_structure(departement="69", commune=commune))
        ring = Commune.objects.filter(
            latitude__range=(commune.latitude - 1.5, commune.latitude + 1.5),
            longitude__range=(commune.longitude - 2, commune.longitude + 2),
        ).exclude(pk__in=local)
        for c in ring:
            if distance_km((commune.latitude, commune.longitude), (c.latitude, c.longitude)) > 100:
                assert math.sqrt(eligibility.key(c.latitude, c.longitude)) * KM_PER_DEGREE > 90


def test_later_availability_is_shown_and_flagged(structure):
    late = make_profile(availability_date=structure.mission_start + datetime.timedelta(days=1))
    on_time = make_profile(availability_date=structure.mission_start)
    rows = {row.profile.pk: row for row in screen.build(structure).rows}
    assert rows[late.pk].late is True
    assert rows[on_time.pk].late is False


def test_unavailable_and_inactive_candidates_are_not_listed(structure):
    make_profile(is_available=False)
    make_profile(active=False)
    former = make_profile(is_former_conseiller=True)
    assert new_ids(structure) == ({former.pk}, 1)


def test_a_structure_not_validated_sees_nobody(manager):
    make_profile()
    make_profile(max_distance_km=2000)
    pending = make_structure(departement="69", manager=manager, status=Status.CREEE)
    assert new_ids(pending) == (set(), 0)


def test_candidate_changes_show_at_once(structure):
    profile = make_profile(commune="75056", max_distance_km=20)
    assert new_ids(structure)[0] == set()
    data = {f: getattr(profile, f) for f in candidate_services.PROFILE_FIELDS}
    candidate_services.update_profile(
        profile, {**data, "commune": Commune.objects.get(pk=MONTLUEL)}
    )
    assert new_ids(structure)[0] == {profile.pk}
    data = {f: getattr(profile, f) for f in candidate_services.PROFILE_FIELDS}
    candidate_services.update_profile(profile, {**data, "max_distance_km": 15})
    assert new_ids(structure)[0] == set()
    candidate_services.update_profile(profile, {**data, "max_distance_km": 2000})
    assert new_ids(structure)[0] == {profile.pk}
    candidate_services.set_availability(profile, False)
    assert new_ids(structure)[0] == set()
    candidate_services.set_availability(profile, True)
    assert new_ids(structure)[0] == {profile.pk}


def test_structure_decision_shows_at_once(manager):
    profile = make_profile()
    pending = make_structure(departement="69", manager=manager, status=Status.CREEE)
    assert new_ids(pending)[0] == set()
    admin = make_user(Role.ADMINISTRATEUR)
    session = CommitteeSession.objects.create(number=7, date=datetime.date(2026, 3, 1))
    record_decision(
        pending, admin, session=session, opinion=CommitteeOpinion.POSITIF, posts_granted=1
    )
    assert new_ids(pending)[0] == {profile.pk}
