"""Who sees which follow-up list: the statistics scopes (cnum.stats.scopes), so that every
audience declared there (hubs, national networks…) gets its part without a rule here."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.candidates.services import today
from cnum.stats.scopes import AUDIENCES, audience_scope
from cnum.structures.models import Structure


def _declared(*names):
    """Roles among `names` that exist (hub and network roles came later)."""
    return tuple(Role(name) for name in names if name in Role.values)


# "Conseillers sans activité": every audience above the conseiller.
INACTIVE_ROLES = _declared(
    "administrateur", "prefet", "hub", "grand_reseau", "gestionnaire_structure", "coordinateur"
)
# "Contrats à renouveler": those who follow posts and contracts.
RENEWAL_ROLES = _declared("administrateur", "prefet", "hub", "gestionnaire_structure")


def scope_for(user, roles):
    """The user's widest statistics scope among `roles`."""
    audience = next((r for r in AUDIENCES if r in roles and user.has_role(r)), None)
    if audience is None:
        raise PermissionDenied
    return audience_scope(user, audience)


def contracts_in_scope(contracts, scope):
    """Contracts whose conseiller (a team) or structure (any other audience) is in `scope`."""
    if scope.audience == Role.ADMINISTRATEUR:
        return contracts
    if scope.conseiller_ids is not None:
        return contracts.filter(match__candidate__user_id__in=scope.conseiller_ids)
    return contracts.filter(match__structure__in=scope.structures())


def managed_conseillers(user):
    """Conseillers in post today in the structures `user` manages."""
    from cnum.followup.inactivity import in_post

    contracts = in_post(today()).filter(match__structure__in=Structure.objects.managed_by(user))
    return User.objects.filter(pk__in=contracts.values("match__candidate__user_id"))


def managed_contract(user, pk):
    from cnum.followup.renewals import ending
    from cnum.recruitment.models import Contract

    contracts = Contract.objects.filter(match__structure__in=Structure.objects.managed_by(user))
    return get_object_or_404(ending(months=72).filter(pk__in=contracts.values("pk")), pk=pk)
