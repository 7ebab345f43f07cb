"""Banners at the top of the pages (docs/communication.md#annonces).

Every page asks which banners to show its logged-in visitor. Each process keeps the
announcements not yet ended, with their targets, in its local memory cache for a minute (the
"local" cache): a page costs no query at all while no announcement aims at the visitor's roles,
and two small ones (territories, dismissals) when one does. Saving an announcement drops this
process's copy; the other processes see it within LIVE_TTL. Dates are checked against the clock
at each request, so a banner appears and disappears on time.
"""

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils import timezone

from cnum.communication import targeting
from cnum.communication.models import Announcement, Dismissal

LIVE_KEY = "communication:announcements:live"
LIVE_TTL = 60  # seconds for another process to show a new or changed announcement


def changed():
    """Call after saving an announcement: the next page reads them again."""
    caches["local"].delete(LIVE_KEY)


def _live():
    """The announcements not yet ended, as plain dicts (cached for every visitor)."""
    live = caches["local"].get(LIVE_KEY)
    if live is None:
        rows = Announcement.objects.filter(ends_at__gt=timezone.now()).prefetch_related(
            "departements", "regions"
        )
        live = [
            {
                "pk": item.pk,
                "title": item.title,
                "body": item.body,
                "level": item.level,
                "link": item.link,
                "dismissable": item.dismissable,
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "roles": list(item.roles),
                "departements": [d.pk for d in item.departements.all()],
                "regions": [r.pk for r in item.regions.all()],
            }
            for item in rows
        ]
        caches["local"].set(LIVE_KEY, live, LIVE_TTL)
    return live


def for_user(user):
    """The banners to show `user` now."""
    if not user.is_authenticated:
        return []
    live = _live()
    if not live:
        return []  # the usual case: no query at all
    now = timezone.now()
    roles = set(user.roles)
    candidates = [
        b for b in live if b["starts_at"] <= now < b["ends_at"] and roles & set(b["roles"])
    ]
    if not candidates:
        return []
    territories = targeting.user_territories(user)
    dismissed = set(Dismissal.objects.filter(user=user).values_list("announcement_id", flat=True))
    return [
        b
        for b in candidates
        if b["pk"] not in dismissed
        and targeting.reaches(b["roles"], b["departements"], b["regions"], roles, territories)
    ]


def dismiss(user, announcement):
    if not announcement.dismissable:
        return
    try:
        with transaction.atomic():
            Dismissal.objects.create(user=user, announcement=announcement)
    except IntegrityError:
        pass  # dismissed already (two tabs)


def save(form, actor):
    """Create or update an announcement from its form."""
    with transaction.atomic():
        announcement = form.save(commit=False)
        if announcement.created_by_id is None:
            announcement.created_by = actor
        announcement.save()
        form.save_m2m()
    changed()
    return announcement
