import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from cnum.accounts.models import Membership, Organisation
from cnum.accounts.policies import require_role
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    return {
        "lyon": make_organisation(OrganisationKind.STRUCTURE, departement="69"),
        "paris": make_organisation(OrganisationKind.STRUCTURE, departement="75"),
        "marseille": make_organisation(OrganisationKind.STRUCTURE, departement="13"),
    }


def visible(user):
    return set(Organisation.objects.visible_to(user))


def test_prefet_of_a_departement_sees_its_departement_only(organisations):
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement="69")
    prefet = make_user(Role.PREFET, organisation=prefecture)
    assert visible(prefet) == {organisations["lyon"], prefecture}


def test_prefet_de_region_sees_every_departement_of_the_region(organisations):
    from cnum.territories.models import Departement

    Departement.objects.get_or_create(code="01", defaults={"nom": "Ain", "region_id": "84"})
    bourg = make_organisation(OrganisationKind.STRUCTURE, departement="01")
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement=None, region="84")
    prefet = make_user(Role.PREFET, organisation=prefecture)
    assert visible(prefet) == {organisations["lyon"], bourg, prefecture}


@pytest.mark.parametrize("role", [Role.ADMINISTRATEUR, Role.OPERATEUR_FINANCIER])
def test_national_roles_see_everything(organisations, role):
    user = make_user(role)
    assert visible(user) == set(Organisation.objects.all())


def test_structure_manager_sees_own_structures_only(organisations):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE, organisation=organisations["lyon"])
    assert visible(manager) == {organisations["lyon"]}


def test_inactive_membership_gives_nothing(organisations):
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement="69")
    prefet = make_user(Role.PREFET, organisation=prefecture)
    Membership.objects.filter(user=prefet).update(is_active=False)
    prefet = type(prefet).objects.get(pk=prefet.pk)  # drop the cached roles
    assert visible(prefet) == set()


def test_candidate_and_anonymous_see_nothing(organisations):
    assert visible(make_user(Role.CANDIDAT)) == set()
    assert visible(AnonymousUser()) == set()


class TestRequireRole:
    @staticmethod
    def call(user):
        @require_role(Role.PREFET, Role.ADMINISTRATEUR)
        def view(request):
            return HttpResponse("ok")

        request = RequestFactory().get("/")
        request.user = user
        return view(request)

    @pytest.mark.parametrize("role", [Role.PREFET, Role.ADMINISTRATEUR])
    def test_allowed(self, role):
        assert self.call(make_user(role)).status_code == 200

    @pytest.mark.parametrize("role", [Role.CANDIDAT, Role.GESTIONNAIRE_STRUCTURE, None])
    def test_denied(self, role):
        with pytest.raises(PermissionDenied):
            self.call(make_user(role))

    def test_anonymous_denied(self):
        with pytest.raises(PermissionDenied):
            self.call(AnonymousUser())
