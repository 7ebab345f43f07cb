"""The recruitments list: text search, département and structure filters; the decision page
links to the person, the structure and its post counter."""

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.recruitment.testing import make_validated_structure, recruited

pytestmark = pytest.mark.django_db
LIST = reverse("recruitment:list")


def people(response):
    return [m.candidate.user.email for m in response.context["page"].object_list]


def test_search_and_filters(client):
    lyon = make_validated_structure(name="Mairie de Bron", manager=make_user())
    paris = make_validated_structure(departement="75", name="Mairie du 11e", manager=make_user())
    in_lyon = recruited(lyon)
    in_paris = recruited(paris)
    login(client, make_user(Role.ADMINISTRATEUR))
    assert people(client.get(LIST, {"q": "bron"})) == [in_lyon.candidate.user.email]
    assert people(client.get(LIST, {"q": in_paris.candidate.user.email})) == [
        in_paris.candidate.user.email
    ]
    assert people(client.get(LIST, {"departement": "75"})) == [in_paris.candidate.user.email]
    response = client.get(LIST, {"structure": lyon.pk})
    assert people(response) == [in_lyon.candidate.user.email]
    assert "Structure : <strong>Mairie de Bron</strong>" in response.content.decode()


def test_a_prefet_filtering_on_a_structure_elsewhere_learns_nothing(client):
    from cnum.accounts.roles import OrganisationKind
    from cnum.accounts.testing import make_organisation

    paris = make_validated_structure(departement="75", name="Mairie du 11e", manager=make_user())
    recruited(paris)
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement="69")
    login(client, make_user(Role.PREFET, organisation=prefecture))
    response = client.get(LIST, {"structure": paris.pk})
    assert people(response) == [] and "Mairie du 11e" not in response.content.decode()


def test_decision_page_links_to_person_structure_and_post_counter(client):
    structure = make_validated_structure(posts=3, manager=make_user())
    match = recruited(structure)
    login(client, make_user(Role.ADMINISTRATEUR))
    html = client.get(reverse("recruitment:match", args=[match.pk])).content.decode()
    assert reverse("candidates:admin_detail", args=[match.candidate_id]) in html
    assert reverse("structures:decider_detail", args=[structure.pk]) in html
    assert f"{LIST}?structure={structure.pk}" in html
    assert "3 attribués, 1 occupé ou en cours de recrutement, 2 vacants" in html
