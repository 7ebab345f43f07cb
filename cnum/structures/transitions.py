"""The structure and post-amendment status machines: who may make each move, what follows."""

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.structures.enums import AmendmentStatus as A
from cnum.structures.enums import CoordinatorRequestStatus as C
from cnum.structures.enums import DesignationStatus as D
from cnum.structures.enums import Status as S
from cnum.workflow.engine import PLATFORM


def is_admin(actor, obj=None):
    return actor.has_role(Role.ADMINISTRATEUR)


def platform_or_admin(actor, obj=None):
    return actor is PLATFORM or is_admin(actor)


def manages(actor, structure):
    from cnum.accounts.models import Membership

    return Membership.objects.filter(
        user_id=actor.pk,
        organisation_id=structure.pk,
        role=Role.GESTIONNAIRE_STRUCTURE,
        is_active=True,
    ).exists()


def admin_or_manager(actor, structure):
    return is_admin(actor) or manages(actor, structure)


DECIDED = (S.VALIDATION_COSELEC, S.REFUS_COSELEC, S.EXAMEN_COMPLEMENTAIRE_COSELEC)
OPEN = (S.CREEE, *DECIDED)

STRUCTURE_TRANSITIONS = {
    # Committee decisions (made through record_decision), in any order across sessions.
    **{(frm, to): is_admin for frm in OPEN for to in DECIDED if frm != to},
    # A structure may withdraw its own application before it is validated.
    **{(frm, S.ABANDON): admin_or_manager for frm in (S.CREEE, S.EXAMEN_COMPLEMENTAIRE_COSELEC)},
    (S.VALIDATION_COSELEC, S.ABANDON): is_admin,
    (S.REFUS_COSELEC, S.ABANDON): is_admin,
    **{(frm, S.ANNULEE): is_admin for frm in OPEN},
    **{(frm, S.DOUBLON): is_admin for frm in OPEN},
    # An application confirmed with the SIRET of another live one: a possible duplicate.
    (S.CREEE, S.DOUBLON): platform_or_admin,
    # Reopening a closed file (an abandon, a cancellation or a duplicate made by mistake).
    (S.ABANDON, S.CREEE): is_admin,
    (S.ANNULEE, S.CREEE): is_admin,
    (S.DOUBLON, S.CREEE): is_admin,
    # A committee decision cancelled by a correction (services.correct_decision).
    **{(frm, S.CREEE): is_admin for frm in DECIDED},
}


# How the pages name each move (the history of a structure).
STRUCTURE_LABELS = {
    S.VALIDATION_COSELEC: "Validation par le comité de sélection",
    S.REFUS_COSELEC: "Refus par le comité de sélection",
    S.EXAMEN_COMPLEMENTAIRE_COSELEC: "Examen complémentaire demandé par le comité",
    S.ABANDON: "Abandon de la candidature",
    S.ANNULEE: "Annulation par l'administration",
    S.DOUBLON: "Signalée comme doublon",
    S.CREEE: "Dossier rouvert",
}


def amendment_manager(actor, amendment):
    return manages(actor, amendment.structure)


AMENDMENT_TRANSITIONS = {
    (A.DEMANDEE, A.ACCEPTEE): is_admin,
    (A.DEMANDEE, A.REFUSEE): is_admin,
    (A.DEMANDEE, A.ANNULEE): amendment_manager,
}
AMENDMENT_LABELS = {
    A.ACCEPTEE: "Avenant accepté",
    A.REFUSEE: "Avenant refusé",
    A.ANNULEE: "Avenant retiré par la structure",
}


# Coordinator posts (docs/domaine.md#coordinateurs): granted or refused by a committee decision.
def request_manager(actor, request):
    return manages(actor, request.structure)


COORDINATOR_REQUEST_TRANSITIONS = {
    (C.DEMANDEE, C.ACCORDEE): is_admin,
    (C.DEMANDEE, C.REFUSEE): is_admin,
    (C.DEMANDEE, C.ANNULEE): request_manager,
}
COORDINATOR_REQUEST_LABELS = {
    C.ACCORDEE: "Poste de coordinateur accordé par le comité",
    C.REFUSEE: "Poste de coordinateur refusé par le comité",
    C.ANNULEE: "Demande de coordinateur retirée par la structure",
}

DESIGNATION_TRANSITIONS = {
    (D.PROPOSEE, D.VALIDEE): is_admin,
    (D.PROPOSEE, D.REFUSEE): is_admin,
    (D.PROPOSEE, D.ANNULEE): request_manager,
    # The designated conseiller's employment there ended (recruitment: rupture, end of contract).
    (D.PROPOSEE, D.TERMINEE): platform_or_admin,
    (D.VALIDEE, D.TERMINEE): platform_or_admin,
}
DESIGNATION_LABELS = {
    D.VALIDEE: "Désignation du coordinateur validée",
    D.REFUSEE: "Désignation du coordinateur refusée",
    D.ANNULEE: "Désignation retirée par la structure",
    D.TERMINEE: "Désignation terminée : le conseiller a quitté la structure",
}


def grant_coordinator_role(designation, log):
    """Validated: the conseiller becomes coordinator, scoped to the structure."""
    from cnum.accounts import grants

    grants.grant(
        designation.conseiller,
        Role.COORDINATEUR,
        designation.structure,
        actor=log.actor,
        reason="Désignation validée par l'administration",
    )


def revoke_coordinator_role(designation, log):
    """Ended: the coordinator post is vacant again and the role goes with the employment."""
    from cnum.accounts import grants

    grants.revoke_role(
        designation.conseiller,
        Role.COORDINATEUR,
        designation.structure,
        actor=None if log.actor is PLATFORM else log.actor,
        reason="Départ du conseiller de la structure",
    )


def notify_coordinator_request(request, log):
    emails = request.structure.manager_emails()
    if emails and log.to_status != C.ANNULEE:
        send_templated_email(
            "structures/emails/coordinator_request_decided",
            {"request": request, "structure": request.structure, "log": log},
            emails,
        )


def notify_designation(designation, log):
    if log.to_status in (D.ANNULEE, D.TERMINEE):
        return
    template = "validated" if log.to_status == D.VALIDEE else "refused"
    send_templated_email(
        f"structures/emails/designation_{template}",
        {"designation": designation, "structure": designation.structure, "log": log},
        [*designation.structure.manager_emails(), designation.conseiller.email],
    )


def merge_into_original(structure, log):
    """DOUBLON by an administrator: the duplicate's managers become managers of the original
    (kept on both). The platform only flags a possible duplicate: nobody gains access."""
    from cnum.accounts import grants

    original = structure.duplicate_of
    if original is None:
        raise ValueError("Un doublon doit désigner la structure d'origine.")
    if log.actor_id is None:
        return
    for membership in structure.managers():
        grants.grant(membership.user, Role.GESTIONNAIRE_STRUCTURE, original, actor=log.actor)


def notify_structure_status(structure, log):
    # Committee decisions send their own, fuller e-mail (services.record_decision).
    if log.to_status in DECIDED:
        return
    emails = structure.manager_emails()
    if emails:
        send_templated_email(
            "structures/emails/status_changed",
            {"structure": structure, "log": log, "status": structure.get_status_display()},
            emails,
        )


def notify_amendment_status(amendment, log):
    emails = amendment.structure.manager_emails()
    if emails:
        send_templated_email(
            "structures/emails/amendment_decided",
            {"amendment": amendment, "structure": amendment.structure, "log": log},
            emails,
        )
