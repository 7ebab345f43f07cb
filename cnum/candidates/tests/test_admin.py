import pytest
from django.urls import reverse

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.candidates.models import CandidateProfile
from cnum.candidates.testing import make_profile

pytestmark = pytest.mark.django_db
LIST = reverse("candidates:admin_list")


def detail(profile):
    return reverse("candidates:admin_detail", kwargs={"pk": profile.pk})


def prefet_of(departement=None, region=None):
    organisation = make_organisation(
        OrganisationKind.PREFECTURE, departement=departement, region=region
    )
    return make_user(Role.PREFET, organisation=organisation)


@pytest.fixture
def candidates():
    return {
        "lyon": make_profile(commune="69123"),
        "villeurbanne": make_profile(commune="69266", is_available=False),
        "grenoble": make_profile(commune="38185", has_diploma=True, diploma_name="REMN"),
        "paris": make_profile(commune="75056"),
        "pointe_a_pitre": make_profile(commune="97120"),
        "pending": make_profile(commune="69123", active=False),
    }


def names(response):
    return {p.pk for p in response.context["page"].object_list}


def test_prefet_of_a_departement_sees_only_it(client, candidates):
    login(client, prefet_of(departement="69"))
    response = client.get(LIST)
    assert names(response) == {candidates["lyon"].pk, candidates["villeurbanne"].pk}
    assert client.get(detail(candidates["lyon"])).status_code == 200
    assert client.get(detail(candidates["paris"])).status_code == 404
    assert client.get(detail(candidates["pending"])).status_code == 404


def test_prefet_of_a_region_sees_its_departements(client, candidates):
    login(client, prefet_of(region="84"))  # Auvergne-Rhône-Alpes: Rhône and Isère
    assert names(client.get(LIST)) == {
        candidates["lyon"].pk,
        candidates["villeurbanne"].pk,
        candidates["grenoble"].pk,
    }


def test_administration_sees_every_active_candidate_and_filters(client, candidates):
    admin = make_user(
        Role.ADMINISTRATEUR, organisation=make_organisation(OrganisationKind.ADMINISTRATION)
    )
    login(client, admin)
    everyone = {p.pk for key, p in candidates.items() if key != "pending"}
    assert names(client.get(LIST)) == everyone
    assert names(client.get(LIST, {"departement": "971"})) == {candidates["pointe_a_pitre"].pk}
    assert names(client.get(LIST, {"disponible": "non"})) == {candidates["villeurbanne"].pk}
    situation = {"situation": "diplome_mediation_numerique"}
    assert names(client.get(LIST, situation)) == {candidates["grenoble"].pk}
    # Unknown filter values are ignored with a message, never an error page.
    response = client.get(LIST, {"departement": "' OR 1=1 --", "situation": "x", "page": "abc"})
    assert response.status_code == 200
    page = client.get(detail(candidates["paris"])).content.decode()
    assert candidates["paris"].user.email in page


def test_list_is_paginated_with_a_fixed_query_budget(client, django_assert_max_num_queries):
    for _ in range(60):
        make_profile()
    login(client, prefet_of(departement="69"))
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 60
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 10


def test_visible_to_is_empty_for_other_roles(candidates):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    assert not CandidateProfile.objects.visible_to(manager).exists()
    own = candidates["lyon"]
    assert list(CandidateProfile.objects.visible_to(own.user)) == [own]
