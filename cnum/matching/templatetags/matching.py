from django import template

from cnum.matching.models import Match
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
    return {"matches": matches}
