"""Who sees what: each audience's scope, and filters outside it refused (403, nothing shown)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.stats.scopes import OutOfScope, activity_filter, viewer_scope
from cnum.stats.tests.dashboard_data import make_world

pytestmark = pytest.mark.django_db

URLS = (
    "/statistiques/",
    "/statistiques/impression/",
    "/statistiques/export/indicateurs.csv",
    "/statistiques/export/activites.xlsx",
)


@pytest.fixture
def world():
    return make_world()


def test_each_audience_gets_its_own_scope(world):
    c1, c3 = world.conseillers["c1"], world.conseillers["c3"]
    assert viewer_scope(c1).conseiller_ids == (c1.pk,)
    assert viewer_scope(world.managers["A"]).structure_ids == (world.structures["A"].pk,)
    assert set(viewer_scope(world.coordinator).conseiller_ids) == {c1.pk, c3.pk}
    assert viewer_scope(world.prefet_rhone).departements == ("69",)
    region = viewer_scope(world.prefet_region)
    assert "69" in region.departements and "01" in region.departements
    assert "75" not in region.departements
    national = viewer_scope(world.admin)
    assert (national.departements, national.structure_ids, national.conseiller_ids) == (
        None,
        None,
        None,
    )


def test_widest_role_wins_and_other_roles_are_refused(world):
    user = make_user(Role.CONSEILLER, organisation=world.structures["A"])
    from cnum.accounts.models import Membership

    Membership.objects.create(
        user=user, role=Role.GESTIONNAIRE_STRUCTURE, organisation=world.structures["A"]
    )
    user = type(user).objects.get(pk=user.pk)  # roles are cached per instance
    assert viewer_scope(user).audience == Role.GESTIONNAIRE_STRUCTURE
    for role in (Role.CANDIDAT, Role.AIDANT, Role.ORGANISME_FORMATION, Role.OPERATEUR_FINANCIER):
        with pytest.raises(PermissionDenied):
            viewer_scope(make_user(role))


def test_choices_are_limited_to_the_scope(world):
    scope = viewer_scope(world.managers["A"])
    assert set(scope.conseillers()) == {world.conseillers["c1"], world.conseillers["c2"]}
    assert set(scope.places()) == {world.places["c1"], world.places["c2"]}
    assert not scope.regions().exists() and not scope.departements_qs().exists()
    prefet = viewer_scope(world.prefet_rhone)
    assert list(prefet.structures()) == [world.structures["A"]]
    assert not prefet.regions().exists()  # the Rhône alone does not cover its région
    assert list(viewer_scope(world.prefet_region).regions().values_list("code", flat=True)) == [
        "84"
    ]


def test_filters_narrow_the_scope_and_never_widen_it(world):
    scope = viewer_scope(world.managers["A"])
    c2 = world.conseillers["c2"]
    activity, selection = activity_filter(scope, {"conseiller": c2.pk})
    assert activity.conseiller_ids == (c2.pk,)
    assert activity.structure_ids == (world.structures["A"].pk,)  # still the manager's
    assert selection.conseiller == c2
    activity, _ = activity_filter(viewer_scope(world.prefet_region), {"departement": "01"})
    assert activity.departements == ("01",)


def test_unknown_objects_are_404_and_foreign_ones_refused(world):
    scope = viewer_scope(world.conseillers["c1"])
    with pytest.raises(Http404):
        activity_filter(scope, {"conseiller": 999_999_999})
    with pytest.raises(OutOfScope, match="Ce conseiller n'est pas dans votre périmètre"):
        activity_filter(scope, {"conseiller": world.conseillers["c2"].pk})


# Per audience: filters naming something outside the scope (the message shown), then filters
# within it that must be accepted.
REFUSALS = {
    "conseiller": [
        ("conseiller=c2", "Ce conseiller n'est pas dans votre périmètre."),
        ("departement=69", "Le filtre par territoire n'est pas disponible pour votre profil."),
        ("structure=A", "Cette structure n'est pas dans votre périmètre."),
        ("place=c2", "Ce lieu n'est pas dans votre périmètre."),
    ],
    "manager": [
        ("conseiller=c3", "Ce conseiller n'est pas dans votre périmètre."),
        ("structure=B", "Cette structure n'est pas dans votre périmètre."),
        ("place=c3", "Ce lieu n'est pas dans votre périmètre."),
        ("region=84", "Le filtre par territoire n'est pas disponible pour votre profil."),
    ],
    "coordinator": [
        ("conseiller=c2", "Ce conseiller n'est pas dans votre périmètre."),
        ("place=c4", "Ce lieu n'est pas dans votre périmètre."),
        ("structure=A", "Cette structure n'est pas dans votre périmètre."),
    ],
    "prefet_rhone": [
        ("departement=75", "Ce département n'est pas dans votre périmètre."),
        ("region=84", "Cette région n'est pas entièrement dans votre périmètre."),
        ("structure=B", "Cette structure n'est pas dans votre périmètre."),
        ("conseiller=c3", "Ce conseiller n'est pas dans votre périmètre."),
        ("place=c4", "Ce lieu n'est pas dans votre périmètre."),
    ],
    "prefet_region": [
        ("departement=13", "Ce département n'est pas dans votre périmètre."),
        ("region=11", "Cette région n'est pas entièrement dans votre périmètre."),
        ("structure=C", "Cette structure n'est pas dans votre périmètre."),
        ("region=84&departement=75", "Ce département n'est pas dans votre périmètre."),
    ],
    "admin": [
        ("region=84&departement=75", "Ce département n'est pas dans la région choisie."),
    ],
}
ACCEPTED = {
    "conseiller": ["conseiller=c1", "place=c1"],
    "manager": ["conseiller=c2", "structure=A", "place=c1"],
    "coordinator": ["conseiller=c3", "place=c1"],
    "prefet_rhone": ["departement=69", "structure=A", "conseiller=c2"],
    "prefet_region": ["region=84", "departement=01", "structure=A"],
    "admin": ["region=84", "departement=13", "structure=B", "conseiller=c4", "place=c3"],
}


def viewer(world, name):
    return {
        "conseiller": world.conseillers["c1"],
        "manager": world.managers["A"],
        "coordinator": world.coordinator,
        "prefet_rhone": world.prefet_rhone,
        "prefet_region": world.prefet_region,
        "admin": world.admin,
    }[name]


def resolve(world, query):
    """Turn « structure=A&conseiller=c2 » into real ids."""
    ids = {
        "structure": {k: s.pk for k, s in world.structures.items()},
        "conseiller": {k: u.pk for k, u in world.conseillers.items()},
        "place": {k: p.pk for k, p in world.places.items()},
    }
    parts = []
    for part in query.split("&"):
        key, value = part.split("=")
        parts.append(f"{key}={ids.get(key, {}).get(value, value)}")
    return "&".join(parts)


@pytest.mark.parametrize("audience", sorted(REFUSALS))
def test_a_filter_outside_the_scope_is_refused_everywhere(client, world, audience):
    login(client, viewer(world, audience))
    for query, message in REFUSALS[audience]:
        for url in URLS:
            response = client.get(f"{url}?{resolve(world, query)}")
            assert response.status_code == 403, (url, query)
            assert response["Content-Type"].startswith("text/html")
            page = response.content.decode()
            assert message.replace("'", "&#x27;") in page, (url, query)
            assert "Indicateurs clés" not in page


@pytest.mark.parametrize("audience", sorted(ACCEPTED))
def test_filters_within_the_scope_are_accepted(client, world, audience):
    login(client, viewer(world, audience))
    for query in ACCEPTED[audience]:
        response = client.get(f"/statistiques/?{resolve(world, query)}")
        assert response.status_code == 200, query
        assert "Indicateurs clés" in response.content.decode()


def test_unknown_objects_answer_404(client, world):
    login(client, world.admin)
    for query in ("departement=99", "region=99", "structure=999999", "place=999999"):
        assert client.get(f"/statistiques/?{query}").status_code == 404, query


def test_malformed_filters_are_explained_in_french(client, world):
    login(client, world.conseillers["c1"])
    response = client.get("/statistiques/?du=mars&au=2026-13&place=abc")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez un mois au format AAAA-MM, par exemple 2025-03." in page
    assert "Lieu inconnu." in page
    assert "Indicateurs clés" not in page
    response = client.get("/statistiques/?du=2026-05&au=2026-01")
    assert response.status_code == 400
    assert "Le dernier mois doit suivre le premier." in response.content.decode()
    csv = client.get("/statistiques/export/activites.csv?du=2019-12")
    assert csv.status_code == 400
    assert "Les statistiques commencent en janvier 2020." in csv.content.decode()
