from django import template

from cnum.accounts.roles import Role
from cnum.matching.enums import ContactStatus
from cnum.matching.models import ContactRequest, Match
from cnum.matching.policies import CONTACT_STATUSES
from cnum.matching.reveals import reveals_of

register = template.Library()


@register.inclusion_tag("matching/_my_matches.html")
def my_matches(profile):
    """For the candidate's space: the structures that pre-selected them (never their notes)."""
    matches = (
        Match.objects.filter(candidate=profile, status__in=CONTACT_STATUSES)
        .select_related("structure__commune")
        .order_by("-created_at", "-pk")
    )
    pending = ContactRequest.objects.filter(candidate=profile, status=ContactStatus.EN_ATTENTE)
    return {
        "matches": matches,
        "pending_requests": pending.count(),
        "has_requests": ContactRequest.objects.filter(candidate=profile).exists(),
    }


# The latest reveals listed on a candidate's page; the full record is on matching:reveals.
REVEALS_SHOWN = 100


@register.inclusion_tag("matching/_candidate_reveals.html", takes_context=True)
def candidate_reveals(context, profile):
    """For the administration's page of a candidate: what structures saw of them."""
    if not context["request"].user.has_role(Role.ADMINISTRATEUR):
        return {"shown": False}
    return {"shown": True, "profile": profile, "reveals": list(reveals_of(profile)[:REVEALS_SHOWN])}
