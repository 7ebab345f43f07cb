"""Recruitment, validation, rupture and renewal: what each move does to people and posts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import today
from cnum.candidates.signals import profile_changed
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment import services, signals
from cnum.recruitment.effects import RecruitmentRefused
from cnum.recruitment.enums import ContractState, ContractType, RuptureMotif, RuptureState
from cnum.recruitment.models import Contract, Rupture
from cnum.recruitment.testing import (
    contract_data,
    employed,
    make_match,
    make_validated_structure,
    recruited,
)
from cnum.structures.enums import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return make_user(Role.GESTIONNAIRE_STRUCTURE)


@pytest.fixture
def admin():
    return make_user(Role.ADMINISTRATEUR)


@pytest.fixture
def received():
    """Collect what the recruitment signals send."""
    calls = []

    def receiver(signal, **kwargs):
        calls.append((signal, kwargs))

    hooks = [signals.recruitment_validated, signals.rupture_validated, signals.contract_ended]
    for hook in hooks:
        hook.connect(receiver, dispatch_uid="test")
    yield calls
    for hook in hooks:
        hook.disconnect(dispatch_uid="test")


def renewal_of(contract):
    start = contract.end_date + datetime.timedelta(days=1)
    return contract_data(start_date=start, end_date=start + datetime.timedelta(days=365))


def conseiller_membership(match):
    return Membership.objects.filter(
        user=match.candidate.user, role=Role.CONSEILLER, organisation_id=match.structure_id
    ).first()


# Request, quota, cancellation


def test_a_pre_selected_candidate_is_recruited_with_a_contract(manager):
    structure = make_validated_structure(posts=2, manager=manager)
    match = make_match(structure)
    services.request_recruitment(match, manager, contract_data(), "Entretien concluant")
    match.refresh_from_db()
    assert match.status == S.RECRUTEE
    contract = Contract.objects.get(match=match)
    assert (contract.state, contract.type, contract.created_by) == (
        ContractState.CURRENT,
        ContractType.CDD,
        manager,
    )
    assert structure.filled_posts() == 1


def test_the_last_post_cannot_be_taken_twice(manager):
    structure = make_validated_structure(posts=1, manager=manager)
    recruited(structure, manager)
    second = make_match(structure)
    with pytest.raises(RecruitmentRefused, match="Tous les postes attribués"):
        services.request_recruitment(second, manager, contract_data())
    second.refresh_from_db()
    assert second.status == S.INTERESSEE
    assert not Contract.objects.filter(match=second).exists()


def test_a_structure_not_validated_cannot_recruit(manager):
    structure = make_validated_structure(posts=2, manager=manager)
    structure.status = Status.ABANDON
    structure.save(update_fields=["status"])
    match = make_match(structure)
    with pytest.raises(RecruitmentRefused, match="validée par le comité"):
        services.request_recruitment(match, manager, contract_data())
    match.refresh_from_db()
    assert match.status == S.INTERESSEE


def test_an_invalid_contract_changes_nothing(manager):
    match = make_match(make_validated_structure(manager=manager))
    with pytest.raises(ValidationError) as error:
        services.request_recruitment(match, manager, contract_data(end_date=None))
    assert "end_date" in error.value.message_dict
    match.refresh_from_db()
    assert match.status == S.INTERESSEE
    assert not Contract.objects.exists()


def test_another_structure_cannot_recruit_for_it(manager):
    match = make_match(make_validated_structure(manager=make_user()))
    make_validated_structure(manager=manager)
    with pytest.raises(PermissionDenied):
        services.request_recruitment(match, manager, contract_data())
    assert not Contract.objects.exists()


def test_cancelling_frees_the_post_and_voids_the_contract(manager):
    match = recruited(manager=manager)
    services.cancel_recruitment(match, manager, "Le candidat a renoncé")
    match.refresh_from_db()
    assert match.status == S.INTERESSEE
    assert Contract.objects.get(match=match).state == ContractState.DROPPED
    assert match.structure.filled_posts() == 0
    # A new request can then be made for the same person.
    services.request_recruitment(match, manager, contract_data())
    assert Contract.objects.filter(match=match, state=ContractState.CURRENT).count() == 1


# Validation


def test_validation_makes_the_candidate_a_conseiller(
    manager, admin, received, send_emails, mailoutbox
):
    match = recruited(manager=manager)
    profile = match.candidate
    elsewhere_new = make_match(make_validated_structure(manager=make_user()), S.NOUVELLE, profile)
    elsewhere_requested = recruited(make_validated_structure(manager=make_user()), candidate=None)
    # The same person was also requested by another structure.
    elsewhere_requested.candidate = profile
    elsewhere_requested.save(update_fields=["candidate"])
    changes = []
    profile_changed.connect(
        lambda **kw: changes.append(kw["changed_fields"]), weak=False, dispatch_uid="changes"
    )
    try:
        with send_emails():
            services.validate_recruitment(match, admin, "Dossier complet")
    finally:
        profile_changed.disconnect(dispatch_uid="changes")

    match.refresh_from_db()
    assert match.status == S.FINALISEE
    membership = conseiller_membership(match)
    assert membership is not None and membership.is_active
    assert match.candidate.user.has_role(Role.CONSEILLER)
    assert CandidateProfile.objects.get(pk=profile.pk).is_available is False
    assert frozenset({"is_available"}) in changes
    for other in (elsewhere_new, elsewhere_requested):
        other.refresh_from_db()
        assert other.status == S.FINALISEE_NON_DISPONIBLE
    assert Contract.objects.get(match=elsewhere_requested).state == ContractState.DROPPED
    assert [(s, kw["match"].pk, kw["conseiller"], kw["structure"].pk) for s, kw in received] == [
        (signals.recruitment_validated, match.pk, profile.user, match.structure_id)
    ]
    by_recipient = {tuple(m.to): m for m in mailoutbox}
    assert "Recrutement validé" in by_recipient[(manager.email,)].subject.capitalize() or (
        "recrutement validé" in by_recipient[(manager.email,)].subject
    )
    assert "vous êtes désormais conseiller" in by_recipient[(profile.user.email,)].body
    other_managers = elsewhere_requested.structure.manager_emails()
    assert "recruté par une autre structure" in by_recipient[tuple(other_managers)].subject


def test_only_the_administration_validates(manager):
    match = recruited(manager=manager)
    with pytest.raises(PermissionDenied):
        services.validate_recruitment(match, manager)
    match.refresh_from_db()
    assert match.status == S.RECRUTEE
    assert conseiller_membership(match) is None


# Rupture


def test_a_validated_rupture_frees_the_post_and_the_person(manager, admin, received):
    match = employed(manager=manager, admin=admin)
    structure, profile = match.structure, match.candidate
    closed = make_match(
        make_validated_structure(manager=make_user()), S.FINALISEE_NON_DISPONIBLE, profile
    )
    vacant_before = structure.vacant_posts()
    end = Contract.objects.get(match=match).end_date
    services.notify_rupture(
        match, manager, motif=RuptureMotif.DEMISSION, date=end - datetime.timedelta(days=30)
    )
    match.refresh_from_db()
    assert match.status == S.NOUVELLE_RUPTURE
    assert structure.vacant_posts() == vacant_before  # still held until validated
    received.clear()

    services.validate_rupture(match, admin, "Pièces reçues")
    match.refresh_from_db()
    profile.refresh_from_db()
    closed.refresh_from_db()
    assert match.status == S.FINALISEE_RUPTURE
    assert structure.vacant_posts() == vacant_before + 1
    assert conseiller_membership(match).is_active is False
    assert profile.is_available and profile.is_former_conseiller
    assert closed.status == S.NOUVELLE
    rupture = Rupture.objects.get(match=match)
    assert (rupture.state, rupture.decided_by) == (RuptureState.VALIDATED, admin)
    assert Contract.objects.get(match=match).state == ContractState.PAST
    [(signal, kwargs)] = received
    assert signal is signals.rupture_validated
    assert kwargs["rupture_date"] == rupture.date and kwargs["conseiller"] == profile.user


def test_a_rupture_date_beyond_the_contract_is_refused(manager):
    match = employed(manager=manager)
    end = Contract.objects.get(match=match).end_date
    with pytest.raises(ValidationError) as error:
        services.notify_rupture(
            match, manager, motif=RuptureMotif.LICENCIEMENT, date=end + datetime.timedelta(days=1)
        )
    assert "ne peut pas dépasser la fin du contrat" in error.value.message_dict["date"][0]
    match.refresh_from_db()
    assert match.status == S.FINALISEE
    assert not Rupture.objects.exists()


def test_a_cancelled_rupture_keeps_the_conseiller(manager, admin):
    match = employed(manager=manager, admin=admin)
    services.notify_rupture(
        match, manager, motif=RuptureMotif.DEMISSION, date=today() + datetime.timedelta(days=10)
    )
    services.decide(match, admin, accept=False, comment="Démission retirée")
    match.refresh_from_db()
    assert match.status == S.FINALISEE
    assert Rupture.objects.get(match=match).state == RuptureState.CANCELLED
    assert conseiller_membership(match).is_active


# Renewal


def test_a_validated_renewal_becomes_the_current_contract(manager, admin):
    match = employed(manager=manager, admin=admin)
    first = Contract.objects.get(match=match)
    new_start = first.end_date + datetime.timedelta(days=1)
    services.draft_renewal(
        match,
        manager,
        contract_data(start_date=new_start, end_date=new_start + datetime.timedelta(days=365)),
    )
    match.refresh_from_db()
    assert match.status == S.RENOUVELLEMENT_INITIE
    # The post stays held while the renewal is examined.
    other = make_match(match.structure)
    services.request_recruitment(other, manager, contract_data())
    with pytest.raises(RecruitmentRefused):
        services.request_recruitment(make_match(match.structure), manager, contract_data())

    services.validate_renewal(match, admin)
    match.refresh_from_db()
    assert match.status == S.FINALISEE
    current = Contract.objects.get(match=match, state=ContractState.CURRENT)
    assert current.start_date == new_start and current.approved_by == admin
    assert Contract.objects.get(pk=first.pk).state == ContractState.PAST


def test_a_dropped_renewal_keeps_the_current_contract(manager, admin, send_emails, mailoutbox):
    match = employed(manager=manager, admin=admin)
    first = Contract.objects.get(match=match)
    services.draft_renewal(match, manager, renewal_of(first))
    with send_emails():
        services.withdraw(match, manager, "Budget non reconduit")
    match.refresh_from_db()
    assert match.status == S.FINALISEE
    assert Contract.objects.get(match=match, state=ContractState.CURRENT).pk == first.pk
    assert Contract.objects.filter(match=match, state=ContractState.DROPPED).count() == 1
    assert all("abandonné" in m.subject for m in mailoutbox) and mailoutbox


def test_a_cdi_is_not_renewed(manager):
    match = employed(manager=manager, type=ContractType.CDI, end_date=None)
    with pytest.raises(ValidationError, match="CDI ne se renouvelle pas"):
        services.draft_renewal(match, manager, contract_data())
    match.refresh_from_db()
    assert match.status == S.FINALISEE


def test_a_manager_cannot_validate_their_own_renewal(manager):
    match = employed(manager=manager)
    first = Contract.objects.get(match=match)
    services.draft_renewal(match, manager, renewal_of(first))
    with pytest.raises(PermissionDenied):
        services.validate_renewal(match, manager)
    assert Contract.objects.get(match=match, state=ContractState.DRAFT).approved_by is None


# End of contract (daily task)


def past_contract(days_ago):
    end = today() - datetime.timedelta(days=days_ago)
    return {"start_date": end - datetime.timedelta(days=365), "end_date": end}


def test_the_daily_task_ends_expired_contracts(run_tasks, received, send_emails, mailoutbox):
    from cnum.recruitment.tasks import end_contracts_task

    expired = employed(**past_contract(1))
    ends_today = employed(**past_contract(0))
    renewing = employed(**past_contract(3))
    services.draft_renewal(
        renewing, renewing.structure.managers().first().user, contract_data(start_date=today())
    )
    received.clear()
    with send_emails():
        end_contracts_task.enqueue()
        run_tasks()  # the real worker runs the daily task; its e-mails follow on commit
    for match in (expired, ends_today, renewing):
        match.refresh_from_db()
    assert expired.status == S.TERMINEE
    assert ends_today.status == S.FINALISEE
    assert renewing.status == S.RENOUVELLEMENT_INITIE
    assert conseiller_membership(expired).is_active is False
    profile = CandidateProfile.objects.get(pk=expired.candidate_id)
    assert profile.is_available and profile.is_former_conseiller
    assert [s for s, _ in received] == [signals.contract_ended]
    assert any(
        "Contrat terminé" in m.subject.capitalize() or "contrat terminé" in m.subject
        for m in mailoutbox
    )


def test_the_daily_command_reports_what_it_closed():
    from io import StringIO

    from django.core.management import call_command

    expired = employed(**past_contract(2))
    out = StringIO()
    call_command("end_contracts", stdout=out)
    assert out.getvalue().strip() == "1 contrat(s) clos."
    expired.refresh_from_db()
    assert expired.status == S.TERMINEE
    call_command("end_contracts", stdout=out)
    assert out.getvalue().strip().endswith("0 contrat(s) clos.")


def test_a_coordinator_who_leaves_loses_the_role_and_frees_the_coordinator_post(manager, admin):
    from cnum.accounts import grants
    from cnum.structures.enums import DesignationStatus
    from cnum.structures.models import CoordinatorDesignation

    match = employed(manager=manager, admin=admin)
    structure, user = match.structure, match.candidate.user
    designation = CoordinatorDesignation.objects.create(
        structure=structure, conseiller=user, requested_by=manager, status="VALIDEE"
    )
    grants.grant(user, Role.COORDINATEUR, structure)
    filled = structure.filled_coordinator_posts()
    end = Contract.objects.get(match=match).end_date
    services.notify_rupture(
        match, manager, motif=RuptureMotif.DEMISSION, date=end - datetime.timedelta(days=30)
    )
    services.validate_rupture(match, admin, "Pièces reçues")
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.TERMINEE
    assert structure.filled_coordinator_posts() == filled - 1
    assert not Membership.objects.filter(user=user, role=Role.COORDINATEUR, is_active=True)
