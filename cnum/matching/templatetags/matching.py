from django import template

from cnum.matching.enums import ContactStatus
from cnum.matching.models import ContactRequest, Match
from cnum.matching.policies import CONTACT_STATUSES

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
