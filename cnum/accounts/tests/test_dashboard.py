import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("accounts:dashboard")


def test_without_role_the_dashboard_says_what_to_do_next(client):
    login(client, make_user())
    html = client.get(DASHBOARD).content.decode()
    assert "Que faire maintenant" in html
    assert "Désactivée" in html and reverse("accounts:two_factor_setup") in html
    assert reverse("accounts:password_change") in html
    assert reverse("api_tokens:list") not in html


def test_roles_with_organisation_and_territory(client):
    prefecture = make_organisation(
        OrganisationKind.PREFECTURE, departement="69", name="Préfecture du Rhône"
    )
    user = login(client, make_user(Role.PREFET, organisation=prefecture))
    html = client.get(DASHBOARD).content.decode()
    assert "Préfet" in html and "Préfecture du Rhône" in html and "Rhône (69)" in html
    assert "Activée" in html
    assert "Que faire maintenant" not in html
    assert user.requires_2fa


def test_regional_and_national_territories(client):
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement=None, region="84")
    login(client, make_user(Role.PREFET, organisation=prefecture))
    assert "Région Auvergne-Rhône-Alpes" in client.get(DASHBOARD).content.decode()
    client.logout()
    national = make_organisation(OrganisationKind.ADMINISTRATION, departement=None)
    login(client, make_user(Role.ADMINISTRATEUR, organisation=national))
    html = client.get(DASHBOARD).content.decode()
    assert "<td>National</td>" in html
    assert reverse("api_tokens:list") in html


def test_dashboard_query_count_is_bounded(client, django_assert_max_num_queries):
    user = make_user(Role.GESTIONNAIRE_STRUCTURE)
    TOTPDevice.objects.create(user=user, confirmed=True)
    login(client, user)
    with django_assert_max_num_queries(12):
        assert client.get(DASHBOARD).status_code == 200
