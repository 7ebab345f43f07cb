"""One service grants, changes and withdraws roles, and journals each change."""

import pytest

from cnum.accounts import grants
from cnum.accounts.models import AccountEvent, AccountLog, Membership
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import make_user
from cnum.territories.models import Departement, Region

pytestmark = pytest.mark.django_db


def test_grant_then_change_scope_then_revoke_are_journaled_with_before_and_after():
    admin = make_user(Role.ADMINISTRATEUR)
    person = make_user()
    rhone = grants.prefecture_for(departement=Departement.objects.get(code="69"))
    membership = grants.grant(person, Role.PREFET, rhone, actor=admin)
    assert person.has_role(Role.PREFET)

    region = grants.prefecture_for(region=Region.objects.get(code="84"))
    grants.change_scope(membership, region, actor=admin)
    grants.revoke(membership, actor=admin, reason="Mutation")

    granted, changed, revoked = AccountLog.objects.filter(user=person).order_by("pk")
    assert (granted.event, granted.actor, granted.before) == (AccountEvent.GRANTED, admin, None)
    assert granted.after["territoire"] == "Rhône (69)" and granted.after["actif"] is True
    assert changed.event == AccountEvent.CHANGED
    assert changed.before["territoire"] == "Rhône (69)"
    assert changed.after["territoire"] == "Région Auvergne-Rhône-Alpes"
    assert (revoked.event, revoked.reason) == (AccountEvent.REVOKED, "Mutation")
    assert revoked.after["actif"] is False
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_role(Role.PREFET)


def test_granting_a_role_held_already_writes_nothing():
    person = make_user(Role.CANDIDAT)
    before = AccountLog.objects.filter(user=person).count()
    grants.grant(person, Role.CANDIDAT)
    assert AccountLog.objects.filter(user=person).count() == before
    assert Membership.objects.filter(user=person).count() == 1


def test_the_log_is_append_only():
    person = make_user(Role.CANDIDAT)
    entry = AccountLog.objects.get(user=person)
    entry.reason = "réécrit"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AccountLog.objects.filter(user=person).update(reason="x")
    with pytest.raises(TypeError):
        AccountLog.objects.filter(user=person).delete()


def test_prefecture_of_a_territory_is_reused():
    rhone = Departement.objects.get(code="69")
    first = grants.prefecture_for(departement=rhone)
    assert grants.prefecture_for(departement=rhone) == first
    assert first.kind == OrganisationKind.PREFECTURE and first.departement == rhone


def test_a_structure_adding_a_manager_goes_through_the_journal():
    from cnum.structures.services import add_manager
    from cnum.structures.testing import make_structure

    manager = make_user()
    structure = make_structure(manager=manager)
    membership = add_manager(structure, email="nouvelle@exemple.fr", invited_by=manager)
    entry = AccountLog.objects.get(user=membership.user, event=AccountEvent.GRANTED)
    assert entry.actor == manager and entry.role == Role.GESTIONNAIRE_STRUCTURE
    assert entry.after["organisation_name"] == structure.name
