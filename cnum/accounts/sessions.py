"""What a session knows about its own security: when its second factor was checked and when it
was last active. Kept in the session itself, never on the account or the device: another
browser of the same person neither shares nor refreshes them."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_otp import login as otp_login

SECOND_FACTOR_AT_KEY = "second_factor_verified_at"
LAST_SEEN_KEY = "last_seen_at"
# Activity is written at most this often: not a session write on every request.
LAST_SEEN_RESOLUTION = datetime.timedelta(minutes=1)


def stamp(request, key, now=None):
    request.session[key] = (now or timezone.now()).isoformat()


def stamped_at(request, key):
    """The time stored under `key` in this session, or None."""
    value = request.session.get(key)
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def second_factor_passed(request, device):
    """The session's user typed a valid code of `device`: bind it to this session only.

    The session key changes (what was known of the session before the check is worth nothing
    after it) and the time of the check is remembered in this session.
    """
    otp_login(request, device)
    request.session.cycle_key()
    stamp(request, SECOND_FACTOR_AT_KEY)


def idle_timeout():
    return datetime.timedelta(minutes=settings.IDLE_TIMEOUT_MINUTES)


def idle_expired(request, now=None):
    """True when the session was inactive longer than allowed; otherwise note the activity."""
    now = now or timezone.now()
    last = stamped_at(request, LAST_SEEN_KEY)
    if last is not None and now - last > idle_timeout():
        return True
    if last is None or now - last >= LAST_SEEN_RESOLUTION:
        stamp(request, LAST_SEEN_KEY, now)
    return False


def start_activity(sender, request, user, **kwargs):
    """Logging in is activity: the idle clock starts with the session."""
    if request is not None and hasattr(request, "session"):
        stamp(request, LAST_SEEN_KEY)
