"""Hubs and national networks see their scope, and nothing outside it: two hubs, two networks."""

import csv
import io

import pytest
from django.urls import reverse

from cnum.accounts import grants
from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.stats import scopes
from cnum.structures.networks import network_named
from cnum.structures.testing import make_structure
from cnum.territories.models import Departement, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    poste, croix_rouge = network_named("La Poste"), network_named("Croix-Rouge française")
    lyon = make_structure(departement="69", name="Lyon Poste", network=poste)
    paris = make_structure(departement="75", name="Paris Poste", network=poste)
    marseille = make_structure(departement="13", name="Marseille Croix-Rouge", network=croix_rouge)
    villeurbanne = make_structure(departement="69", name="Villeurbanne sans réseau")
    for structure, last_name in [
        (lyon, "Lyonnais"),
        (paris, "Parisien"),
        (marseille, "Marseillais"),
        (villeurbanne, "Villeurbannais"),
    ]:
        grants.grant(make_user(last_name=last_name), Role.CONSEILLER, structure)
    ara, idf = Region.objects.get(code="84"), Region.objects.get(code="11")
    hub_ara = make_user(Role.HUB, organisation=grants.hub_for(ara))
    hub_idf = make_user(Role.HUB, organisation=grants.hub_for(idf))
    return {
        "hub_ara": hub_ara,
        "hub_idf": hub_idf,
        "poste": make_user(Role.GRAND_RESEAU, organisation=poste),
        "croix_rouge": make_user(Role.GRAND_RESEAU, organisation=croix_rouge),
    }


def page(client, user, name, **params):
    login(client, user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def exported(client, user, name, **params):
    login(client, user)
    response = client.get(reverse(name, args=["csv"]), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_hub_sees_the_structures_and_conseillers_of_its_regions_only(client, world):
    html = page(client, world["hub_ara"], "networks:structures")
    assert "Lyon Poste" in html and "Villeurbanne sans réseau" in html
    assert "Paris Poste" not in html and "Marseille" not in html
    html = page(client, world["hub_idf"], "networks:conseillers")
    assert "Parisien" in html
    assert "Lyonnais" not in html and "Marseillais" not in html


def test_a_network_sees_its_member_structures_wherever_they_are(client, world):
    html = page(client, world["poste"], "networks:structures")
    assert "Lyon Poste" in html and "Paris Poste" in html
    assert "Marseille" not in html and "Villeurbanne" not in html
    rows = exported(client, world["croix_rouge"], "networks:conseillers_export")
    assert rows[0][:4] == ["Nom", "Prénom", "Adresse électronique", "Structure"]
    assert [row[0] for row in rows[1:]] == ["Marseillais"]
    assert rows[1][3] == "Marseille Croix-Rouge"
    assert rows[1][6] == "Recrutement validé, formation à programmer"


def test_filters_narrow_the_scope_and_refuse_what_lies_outside(client, world):
    rows = exported(client, world["poste"], "networks:structures_export", departement="75")
    assert [row[0] for row in rows[1:]] == ["Paris Poste"]
    login(client, world["hub_ara"])
    # Paris is not in the Auvergne-Rhône-Alpes hub's scope: refused, and nothing listed.
    response = client.get(reverse("networks:conseillers"), {"departement": "75"})
    assert response.status_code == 400
    assert "Parisien" not in response.content.decode()
    marseille = world["croix_rouge"].memberships.get().organisation.as_network.structures.get()
    response = client.get(
        reverse("networks:conseillers_export", args=["csv"]), {"structure": marseille.pk}
    )
    assert response.status_code == 400
    html = page(client, world["hub_ara"], "networks:conseillers", departement="69")
    assert "Lyonnais" in html and "Villeurbannais" in html


def test_xlsx_export_and_unknown_format(client, world):
    login(client, world["poste"])
    response = client.get(reverse("networks:structures_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("networks:structures_export", args=["pdf"])).status_code == 404


def test_statistics_scopes_of_hubs_and_networks(client, world):
    hub = scopes.viewer_scope(world["hub_ara"])
    assert hub.is_territorial and hub.label == "Auvergne-Rhône-Alpes"
    assert set(hub.departements) == set(
        Departement.objects.filter(region_id="84").values_list("code", flat=True)
    )
    network = scopes.viewer_scope(world["poste"])
    names = set(network.structures().values_list("name", flat=True))
    assert names == {"Lyon Poste", "Paris Poste"}
    assert set(network.conseillers().values_list("last_name", flat=True)) == {
        "Lyonnais",
        "Parisien",
    }
    # The dashboard serves both, and refuses a structure outside the network.
    for user in (world["hub_ara"], world["poste"]):
        assert "Statistiques" in page(client, user, "stats:dashboard")
    login(client, world["croix_rouge"])
    lyon = network.structures().get(name="Lyon Poste")
    response = client.get(reverse("stats:dashboard"), {"structure": lyon.pk})
    assert response.status_code == 403
    login(client, world["hub_idf"])
    assert client.get(reverse("stats:dashboard"), {"departement": "69"}).status_code == 403
    assert client.get(reverse("stats:steering")).status_code == 403
