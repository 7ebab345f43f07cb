"""Recruitment use cases: the only place a match moves through recruitment, rupture, renewal and
end of contract. Each move goes through apply_transition; what must happen with it (quota,
conseiller role, closing other matches, freeing the post) is in cnum.recruitment.effects.

Demo and other parts may call these functions directly (actor = a manager or an administrator).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cnum.candidates.services import today
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment.effects import RecruitmentRefused, check_can_recruit, lock_structure
from cnum.recruitment.enums import ContractState, ContractType
from cnum.recruitment.models import Contract, Rupture, rupture_errors
from cnum.structures.transitions import is_admin
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition

__all__ = [
    "RecruitmentRefused",
    "cancel_recruitment",
    "cancel_rupture",
    "draft_renewal",
    "drop_renewal",
    "end_expired_contracts",
    "notify_rupture",
    "request_recruitment",
    "validate_recruitment",
    "validate_renewal",
    "validate_rupture",
]
CONTRACT_FIELDS = ("type", "start_date", "end_date", "weekly_hours", "gross_monthly_salary")


def _build_contract(match, actor, data, state):
    # A field left out keeps the model's default (weekly hours: a full time).
    contract = Contract(
        match=match,
        created_by=actor,
        state=state,
        **{f: data[f] for f in CONTRACT_FIELDS if f in data},
    )
    # Raises ValidationError (French messages per field) before anything moves.
    contract.full_clean(exclude=["match", "created_by", "approved_by"])
    return contract


def _require_admin(actor):
    if not is_admin(actor):
        raise PermissionDenied


# Recruitment


def request_recruitment(match, actor, contract_data, comment=""):
    """The structure asks to recruit a pre-selected candidate (interessee → recrutee).

    Quota: the structure's row is locked, the posts counted, then the match moves; concurrent
    requests for the last post queue on the lock and all but one are refused.
    """
    contract = _build_contract(match, actor, contract_data, ContractState.CURRENT)
    with transaction.atomic():
        check_can_recruit(lock_structure(match))
        log = apply_transition(match, S.RECRUTEE, actor, comment)
        contract.save()
    return log


def cancel_recruitment(match, actor, comment=""):
    """The structure withdraws its request, or the administration refuses it (→ interessee)."""
    return apply_transition(match, S.INTERESSEE, actor, comment)


def validate_recruitment(match, actor, comment=""):
    """The administration validates: the candidate becomes a conseiller (→ finalisee)."""
    _require_admin(actor)
    return apply_transition(match, S.FINALISEE, actor, comment)


# Rupture


def notify_rupture(match, actor, *, motif, date, comment=""):
    """The structure notifies the end of the contract (finalisee → nouvelle_rupture)."""
    with transaction.atomic():
        log = apply_transition(match, S.NOUVELLE_RUPTURE, actor, comment)
        errors = rupture_errors(date, Contract.objects.current().filter(match=match).first())
        if errors:
            raise ValidationError(errors)
        Rupture.objects.create(
            match=match, motif=motif, date=date, comment=comment, notified_by=actor
        )
    return log


def validate_rupture(match, actor, comment=""):
    """The administration validates the rupture: the post is free, the person available again."""
    _require_admin(actor)
    return apply_transition(match, S.FINALISEE_RUPTURE, actor, comment)


def cancel_rupture(match, actor, comment=""):
    """The structure withdraws its notice, or the administration refuses it (→ finalisee)."""
    if match.status != S.NOUVELLE_RUPTURE:
        raise InvalidTransition(match.status, S.FINALISEE)
    return apply_transition(match, S.FINALISEE, actor, comment)


# Renewal


def draft_renewal(match, actor, contract_data, comment=""):
    """The structure proposes the next contract (finalisee → renouvellement_initie)."""
    draft = _build_contract(match, actor, contract_data, ContractState.DRAFT)
    with transaction.atomic():
        log = apply_transition(match, S.RENOUVELLEMENT_INITIE, actor, comment)
        current = Contract.objects.current().filter(match=match).first()
        if current is not None and current.type == ContractType.CDI:
            raise ValidationError({"type": "Un CDI ne se renouvelle pas."})
        if current is not None and draft.start_date <= current.start_date:
            raise ValidationError(
                {
                    "start_date": "Le nouveau contrat doit commencer après le début du contrat "
                    f"en cours ({current.start_date:%d/%m/%Y})."
                }
            )
        draft.save()
    return log


def validate_renewal(match, actor, comment=""):
    """The administration validates the draft: it becomes the current contract (→ finalisee)."""
    _require_admin(actor)
    with transaction.atomic():
        draft = Contract.objects.select_for_update(of=("self",)).draft().filter(match=match).first()
        if draft is None or match.status != S.RENOUVELLEMENT_INITIE:
            raise InvalidTransition(match.status, S.FINALISEE)
        draft.approved_by = actor
        draft.save(update_fields=["approved_by"])
        return apply_transition(match, S.FINALISEE, actor, comment)


def drop_renewal(match, actor, comment=""):
    """The structure withdraws its draft, or the administration refuses it (→ finalisee)."""
    if match.status != S.RENOUVELLEMENT_INITIE:
        raise InvalidTransition(match.status, S.FINALISEE)
    return apply_transition(match, S.FINALISEE, actor, comment)


# Administration decisions, by the match's current status: (validate, refuse).
DECISIONS = {
    S.RECRUTEE: (validate_recruitment, cancel_recruitment),
    S.NOUVELLE_RUPTURE: (validate_rupture, cancel_rupture),
    S.RENOUVELLEMENT_INITIE: (validate_renewal, drop_renewal),
}
# What the structure may withdraw, by status.
WITHDRAWALS = {
    S.RECRUTEE: cancel_recruitment,
    S.NOUVELLE_RUPTURE: cancel_rupture,
    S.RENOUVELLEMENT_INITIE: drop_renewal,
}


def decide(match, actor, *, accept, comment=""):
    """The administration's answer to whatever the match waits for."""
    _require_admin(actor)
    if match.status not in DECISIONS:
        raise InvalidTransition(match.status, "")
    validate, refuse = DECISIONS[match.status]
    return (validate if accept else refuse)(match, actor, comment)


def withdraw(match, actor, comment=""):
    if match.status not in WITHDRAWALS:
        raise InvalidTransition(match.status, "")
    return WITHDRAWALS[match.status](match, actor, comment)


# End of contract (daily)


def expired_matches(day):
    from cnum.matching.models import Match

    return Match.objects.filter(
        status=S.FINALISEE,
        contracts__state=ContractState.CURRENT,
        contracts__end_date__lt=day,
    ).order_by("pk")


def end_expired_contracts(day=None):
    """Validated contracts whose end date passed with no renewal pending → terminee.

    Returns the number of contracts ended. A match moved meanwhile is skipped.
    """
    day = day or today()
    ended = 0
    for match in expired_matches(day).iterator():
        contract = Contract.objects.current().filter(match=match).first()
        try:
            apply_transition(
                match, S.TERMINEE, PLATFORM, f"Fin du contrat le {contract.end_date:%d/%m/%Y}"
            )
        except InvalidTransition:
            continue
        ended += 1
    return ended
