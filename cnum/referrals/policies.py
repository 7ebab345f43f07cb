"""Who sees which referral: the conseiller who sent it; the managers of the receiving
structure; whoever holds the latest signed link. Anything else is a 404."""

from django.shortcuts import get_object_or_404

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.referrals.models import Referral

conseiller_required = require_role(Role.CONSEILLER)
manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)

PAGE_RELATED = ("receiving_place__commune", "receiving_structure", "conseiller", "structure")


def own_referrals(user):
    return Referral.objects.sent_by(user).select_related(*PAGE_RELATED)


def own_referral(user, pk):
    return get_object_or_404(own_referrals(user), pk=pk)


def received_referrals(user):
    return Referral.objects.received_by(user).select_related(*PAGE_RELATED)


def received_referral(user, pk):
    return get_object_or_404(received_referrals(user), pk=pk)


def linked_referrals():
    """What a signed link may open (the token names one of them)."""
    return Referral.objects.select_related(*PAGE_RELATED)
