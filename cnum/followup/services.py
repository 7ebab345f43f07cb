"""Writes of the follow-up: leaves declared by a structure, non-renewal declarations."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cnum.followup.models import Leave, NonRenewal
from cnum.followup.policies import managed_conseillers
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment.enums import ContractState
from cnum.recruitment.models import Contract
from cnum.structures.models import Structure


class FollowupRefused(Exception):
    """A write that no longer applies; the message says why, in French."""


def declare_leave(actor, conseiller, start, end):
    """A manager declares an absence of one of their conseillers."""
    if not managed_conseillers(actor).filter(pk=conseiller.pk).exists():
        raise PermissionDenied
    if end < start:
        raise FollowupRefused("Le dernier jour d'absence doit suivre le premier.")
    return Leave.objects.create(conseiller=conseiller, start=start, end=end, declared_by=actor)


def delete_leave(actor, leave):
    if not managed_conseillers(actor).filter(pk=leave.conseiller_id).exists():
        raise PermissionDenied
    leave.delete()


def declare_non_renewal(actor, contract, reason, comment=""):
    """The structure's manager declares it will not renew `contract`."""
    with transaction.atomic():
        locked = (
            Contract.objects.select_for_update(of=("self",))
            .select_related("match")
            .get(pk=contract.pk)
        )
        if not Structure.objects.managed_by(actor).filter(pk=locked.match.structure_id).exists():
            raise PermissionDenied
        if locked.state != ContractState.CURRENT or locked.match.status != S.FINALISEE:
            raise FollowupRefused(
                "Ce contrat n'est plus en cours ou son renouvellement est déjà engagé."
            )
        if NonRenewal.objects.filter(contract=locked).exists():
            raise FollowupRefused("Le non-renouvellement de ce contrat est déjà déclaré.")
        return NonRenewal.objects.create(
            contract=locked, reason=reason, comment=comment, declared_by=actor
        )
