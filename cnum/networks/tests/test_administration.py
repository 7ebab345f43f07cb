"""The administration grants the hub and network roles from its account screens, and keeps the
list of networks; structures choose theirs from that list."""

import pytest
from django.urls import reverse

from cnum.accounts.models import AccountLog, Membership
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_user
from cnum.structures.forms import ApplicationForm
from cnum.structures.models import Network
from cnum.structures.networks import network_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


def test_a_hub_is_granted_per_region_and_its_scope_can_move(client, admin):
    person = make_user()
    url = reverse("accounts:admin_grant", args=[person.pk])
    response = client.post(url, {"role": "hub"})
    assert response.status_code == 200
    assert "Choisissez la région couverte par le hub." in response.content.decode()
    assert not person.memberships.exists()
    for region in ("84", "11"):  # a hub covering two régions holds the role twice
        assert client.post(url, {"role": "hub", "region": region}).status_code == 302
    held = Membership.objects.filter(user=person, role=Role.HUB).order_by("pk")
    assert [m.organisation.region_id for m in held] == ["84", "11"]
    assert {m.organisation.kind for m in held} == {OrganisationKind.HUB}
    assert AccountLog.objects.filter(user=person, role=Role.HUB).count() == 2
    # The administration moves the second one to another région.
    scope_url = reverse("accounts:admin_scope", args=[held[1].pk])
    assert "Région" in client.get(scope_url).content.decode()
    assert client.post(scope_url, {"region": "93"}).status_code == 302
    held[1].refresh_from_db()
    assert held[1].organisation.region_id == "93"


def test_a_network_role_is_granted_in_an_active_network_only(client, admin):
    poste, closed = network_named("La Poste"), network_named("Réseau fermé")
    closed.active = False
    closed.save()
    person = make_user()
    url = reverse("accounts:admin_grant", args=[person.pk])
    form_page = client.get(url).content.decode()
    assert "La Poste" in form_page and "Réseau fermé" not in form_page
    response = client.post(url, {"role": "grand_reseau", "network": closed.pk})
    assert response.status_code == 200 and not person.memberships.exists()
    assert client.post(url, {"role": "grand_reseau", "network": poste.pk}).status_code == 302
    membership = person.memberships.get()
    assert membership.role == Role.GRAND_RESEAU and membership.organisation_id == poste.pk
    detail = client.get(reverse("accounts:admin_account", args=[person.pk])).content.decode()
    assert "Réseau La Poste" in detail


def test_invited_hub_needs_two_factor(client, admin):
    response = client.post(
        reverse("accounts:admin_invite"),
        {
            "first_name": "Dominique",
            "last_name": "Hub",
            "email": "dominique.hub@exemple.fr",
            "role": "hub",
            "region": "84",
        },
    )
    assert response.status_code == 302
    person = Membership.objects.get(role=Role.HUB).user
    assert person.email == "dominique.hub@exemple.fr" and person.requires_2fa


def test_the_administration_keeps_the_list_of_networks(client, admin):
    create = reverse("networks:admin_create")
    assert client.post(create, {"name": "  Emmaüs   Connect "}).status_code == 302
    network = Network.objects.get()
    assert network.name == "Emmaüs Connect" and network.slug == "emmaus-connect"
    # Same name but for case or accents: refused, with the reason, nothing created.
    response = client.post(create, {"name": "EMMAUS connect"})
    assert response.status_code == 400
    assert "Un grand réseau porte déjà ce nom" in response.content.decode()
    assert Network.objects.count() == 1
    rename = reverse("networks:admin_rename", args=[network.pk])
    assert client.post(rename, {"name": "Emmaüs Connect France"}).status_code == 302
    network.refresh_from_db()
    assert network.name == "Emmaüs Connect France"
    listing = client.get(reverse("networks:admin_list")).content.decode()
    assert "Emmaüs Connect France" in listing
    # Deactivated: no longer offered to applications; reactivated: offered again.
    client.post(reverse("networks:admin_toggle", args=[network.pk]))
    network.refresh_from_db()
    assert not network.active
    assert network not in ApplicationForm().fields["network"].queryset
    client.post(reverse("networks:admin_toggle", args=[network.pk]))
    assert network in ApplicationForm().fields["network"].queryset


def test_others_cannot_change_the_list(client):
    network = network_named("La Poste")
    login(client, make_user(Role.GRAND_RESEAU, organisation=network))
    assert client.post(reverse("networks:admin_create"), {"name": "Autre"}).status_code == 403
    response = client.post(reverse("networks:admin_rename", args=[network.pk]), {"name": "X"})
    assert response.status_code == 403
    assert client.post(reverse("networks:admin_toggle", args=[network.pk])).status_code == 403
    network.refresh_from_db()
    assert network.name == "La Poste" and network.active
    assert list(Network.objects.values_list("name", flat=True)) == ["La Poste"]


def test_unknown_network_is_404_for_the_administration(client, admin):
    assert client.get(reverse("networks:admin_rename", args=[999999])).status_code == 404
