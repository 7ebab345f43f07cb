"""The generic engine (cnum.workflow.engine) through the structure status machine."""

import pytest
from django.core.exceptions import PermissionDenied

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.structures.testing import make_structure
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

D = Status


@pytest.mark.parametrize(
    ("start", "to", "allowed_roles"),
    [
        (D.CREEE, D.VALIDATION_COSELEC, {Role.ADMINISTRATEUR}),
        (D.CREEE, D.REFUS_COSELEC, {Role.ADMINISTRATEUR}),
        (D.CREEE, D.EXAMEN_COMPLEMENTAIRE_COSELEC, {Role.ADMINISTRATEUR}),
        (D.EXAMEN_COMPLEMENTAIRE_COSELEC, D.VALIDATION_COSELEC, {Role.ADMINISTRATEUR}),
        (D.REFUS_COSELEC, D.VALIDATION_COSELEC, {Role.ADMINISTRATEUR}),
        (D.CREEE, D.ABANDON, {Role.ADMINISTRATEUR, "manager"}),
        (D.EXAMEN_COMPLEMENTAIRE_COSELEC, D.ABANDON, {Role.ADMINISTRATEUR, "manager"}),
        (D.VALIDATION_COSELEC, D.ABANDON, {Role.ADMINISTRATEUR}),
        (D.CREEE, D.ANNULEE, {Role.ADMINISTRATEUR}),
        (D.ANNULEE, D.CREEE, {Role.ADMINISTRATEUR}),
        (D.ABANDON, D.CREEE, {Role.ADMINISTRATEUR}),
    ],
)
@pytest.mark.parametrize(
    "actor_kind", [Role.ADMINISTRATEUR, Role.PREFET, "manager", "other_manager", Role.CANDIDAT]
)
def test_each_transition_allowed_or_refused_per_role(start, to, allowed_roles, actor_kind):
    manager = make_user()
    structure = make_structure(status=start, manager=manager)
    if actor_kind == "manager":
        actor = manager
    elif actor_kind == "other_manager":
        actor = make_user()
        make_structure(manager=actor)
    else:
        actor = make_user(actor_kind)
    if actor_kind in allowed_roles:
        log = apply_transition(structure, to, actor, "motif")
        assert Structure.objects.get(pk=structure.pk).status == to
        assert (log.from_status, log.to_status, log.actor, log.comment) == (
            start,
            to,
            actor,
            "motif",
        )
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(structure, to, actor)
        assert Structure.objects.get(pk=structure.pk).status == start
        assert not TransitionLog.objects.exists()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (D.DOUBLON, D.VALIDATION_COSELEC),  # a duplicate is reopened (CREEE) first
        (D.ABANDON, D.VALIDATION_COSELEC),
        (D.ANNULEE, D.REFUS_COSELEC),
        (D.CREEE, D.CREEE),
    ],
)
def test_moves_outside_the_table_are_refused(start, to):
    original = make_structure()
    extra = {"duplicate_of": original} if start == D.DOUBLON else {}
    structure = make_structure(status=start, **extra)
    with pytest.raises(InvalidTransition):
        apply_transition(structure, to, make_user(Role.ADMINISTRATEUR))
    assert Structure.objects.get(pk=structure.pk).status == start


def test_the_platform_is_no_decider():
    structure = make_structure()
    with pytest.raises(PermissionDenied):
        apply_transition(structure, D.VALIDATION_COSELEC, PLATFORM)


def test_transition_reads_the_locked_row_not_a_stale_object():
    admin = make_user(Role.ADMINISTRATEUR)
    structure = make_structure()
    stale = Structure.objects.get(pk=structure.pk)
    apply_transition(structure, D.ANNULEE, admin)
    # The stale copy still says CREEE; the table is applied to the stored status.
    with pytest.raises(InvalidTransition):
        apply_transition(stale, D.VALIDATION_COSELEC, admin)


def test_log_is_found_from_the_object():
    admin = make_user(Role.ADMINISTRATEUR)
    structure = make_structure()
    other = make_structure()
    apply_transition(structure, D.ANNULEE, admin, "erreur de saisie")
    apply_transition(other, D.ANNULEE, admin)
    logs = TransitionLog.objects.for_object(structure)
    assert [(log.to_status, log.comment) for log in logs] == [(D.ANNULEE, "erreur de saisie")]
    assert logs[0].subject == structure


def test_side_effect_mail_sent_after_commit_only(send_emails, mailoutbox):
    manager = make_user()
    structure = make_structure(manager=manager)
    with send_emails():
        apply_transition(structure, D.ABANDON, manager, "plus de budget")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [manager.email]
    assert "Abandonnée" in mailoutbox[0].subject
    assert "plus de budget" in mailoutbox[0].body
