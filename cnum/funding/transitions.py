"""The funding status machines (convention, dossier, payment request, kit request)."""

from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.funding.enums import ConventionStatus as C
from cnum.funding.enums import DossierPhase
from cnum.funding.enums import DossierStatus as D
from cnum.funding.enums import KitStatus as K
from cnum.funding.enums import PaymentStatus as P
from cnum.structures.transitions import manages


def is_operator(actor, obj=None):
    return actor.has_role(Role.OPERATEUR_FINANCIER)


def convention_manager(actor, convention):
    return manages(actor, convention.structure)


def dossier_manager(actor, dossier):
    return manages(actor, dossier.convention.structure)


def request_manager(actor, request):
    return manages(actor, request.structure)


def operator_or_manager(actor, request):
    return is_operator(actor) or request_manager(actor, request)


CONVENTION_TRANSITIONS = {
    (C.NON_INTERESSE, C.CONVENTIONNEMENT_EN_COURS): convention_manager,
    (C.CONVENTIONNEMENT_EN_COURS, C.NON_INTERESSE): convention_manager,
    # Validations follow the operator's validation of the dossier (DOSSIER_EFFECTS).
    (C.CONVENTIONNEMENT_EN_COURS, C.CONVENTIONNEMENT_VALIDE): is_operator,
    (C.CONVENTIONNEMENT_VALIDE, C.RECONVENTIONNEMENT_INITIE): convention_manager,
    (C.RECONVENTIONNEMENT_INITIE, C.RECONVENTIONNEMENT_VALIDE): is_operator,
    (C.RECONVENTIONNEMENT_VALIDE, C.RECONVENTIONNEMENT_INITIE): convention_manager,
}


def _convention_validated(convention, log):
    if convention.validated_on is None:
        convention.validated_on = timezone.localdate()
        convention.save(update_fields=["validated_on"])


CONVENTION_EFFECTS = {C.CONVENTIONNEMENT_VALIDE: _convention_validated}

DOSSIER_TRANSITIONS = {
    (D.BROUILLON, D.DEPOSE): dossier_manager,
    (D.A_COMPLETER, D.DEPOSE): dossier_manager,
    (D.DEPOSE, D.VALIDE): is_operator,
    (D.DEPOSE, D.A_COMPLETER): is_operator,
    (D.DEPOSE, D.REFUSE): is_operator,
}


def _submitted(dossier, log):
    dossier.submitted_at = timezone.now()
    dossier.save(update_fields=["submitted_at"])


def _answered(dossier, log):
    dossier.operator_message = log.comment
    dossier.save(update_fields=["operator_message"])


def _validated(dossier, log):
    """The convention follows its dossier: validated (or renewed) with it."""
    from cnum.workflow.engine import apply_transition

    _answered(dossier, log)
    convention = dossier.convention
    to = (
        C.CONVENTIONNEMENT_VALIDE
        if dossier.phase == DossierPhase.INITIAL
        else C.RECONVENTIONNEMENT_VALIDE
    )
    apply_transition(convention, to, log.actor, "Dossier validé")


DOSSIER_EFFECTS = {
    D.DEPOSE: _submitted,
    D.A_COMPLETER: _answered,
    D.REFUSE: _answered,
    D.VALIDE: _validated,
}

PAYMENT_TRANSITIONS = {
    (P.DEMANDEE, P.APPROUVEE): is_operator,
    (P.DEMANDEE, P.REFUSEE): is_operator,
    (P.DEMANDEE, P.ANNULEE): request_manager,
    # Recorded through services.record_payment, which writes the ledger row first.
    (P.APPROUVEE, P.VERSEE): is_operator,
}

KIT_TRANSITIONS = {
    (K.DEMANDEE, K.ACCORDEE): is_operator,
    (K.DEMANDEE, K.REFUSEE): is_operator,
    (K.DEMANDEE, K.ANNULEE): request_manager,
    (K.ACCORDEE, K.EXPEDIEE): is_operator,
    (K.EXPEDIEE, K.LIVREE): operator_or_manager,
}


def _kit_granted(kit_request, log):
    """The kit's cost is charged to the kits envelope in the grant's transaction."""
    from cnum.funding import ledger

    _kit_reason(kit_request, log)
    ledger.charge_kit(kit_request, log.actor)


def _kit_reason(kit_request, log):
    kit_request.decision_reason = log.comment
    kit_request.save(update_fields=["decision_reason"])


KIT_EFFECTS = {K.ACCORDEE: _kit_granted, K.REFUSEE: _kit_reason}


# Notifications (after commit): the structure's managers hear of every decision.


def _notify(structure, what, log, status_label):
    emails = structure.manager_emails()
    if emails:
        send_templated_email(
            "funding/emails/status_changed",
            {"structure": structure, "what": what, "status": status_label, "log": log},
            emails,
        )


def notify_dossier(dossier, log):
    if log.to_status != D.DEPOSE:
        what = f"le dossier de {dossier.get_phase_display().lower()}"
        _notify(dossier.convention.structure, what, log, dossier.get_status_display())


def notify_payment(request, log):
    if log.to_status != P.ANNULEE:
        _notify(
            request.structure, f"la demande « {request.label} »", log, request.get_status_display()
        )


def notify_kit(kit_request, log):
    if log.to_status != K.ANNULEE:
        what = f"la demande de kit « {kit_request.kit_type} »"
        _notify(kit_request.structure, what, log, kit_request.get_status_display())
