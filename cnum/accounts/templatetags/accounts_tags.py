from django import template

register = template.Library()


@register.filter
def minutes(duration):
    """A timedelta as a whole number of minutes, rounded up (for the lockout page)."""
    if not duration:
        return 0
    return max(1, -(-int(duration.total_seconds()) // 60))
