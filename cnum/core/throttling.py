"""Limits on public submissions over a fixed window, kept in the shared cache (settings.CACHES)
so that they hold across every process and machine: per client address, or per any other value
(a target e-mail…), one scope per rule."""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

APPLY_LIMIT = 10
APPLY_WINDOW = 60 * 60


def client_ip(request):
    """REMOTE_ADDR, or the address the trusted proxies (settings.PROXY_COUNT) saw."""
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies and _is_ip(hops[-proxies]):
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _slot_key(scope, value, window, slot):
    digest = hashlib.sha256(str(value).encode()).hexdigest()
    return f"throttle:{scope}:{digest}:{int(time.time() // window)}:{slot}"


def allow(scope, value, limit, window):
    """Count one use by `value`; False when it already had `limit` in the current window.

    Each use takes the first free numbered slot with `cache.add`, which is atomic on Redis and
    on the database cache alike (a plain counter's `incr` is not, on the database), so processes
    racing each other never let more than `limit` through.
    """
    hint = _slot_key(scope, value, window, "next")  # where to start looking, to spare queries
    first = cache.get(hint, 1)
    for slot in range(first, limit + 1):
        if cache.add(_slot_key(scope, value, window, slot), 1, window):
            cache.set(hint, slot + 1, window)
            return True
    if first <= limit:
        cache.set(hint, limit + 1, window)
    return False


def exhausted(scope, value, limit, window):
    """Whether `value` has used all `limit` slots of the current window (counts nothing)."""
    return cache.get(_slot_key(scope, value, window, limit)) is not None


def hit(request, scope, limit=APPLY_LIMIT, window=APPLY_WINDOW):
    """Count one submission from the client's address; False when it is over its limit."""
    return allow(scope, client_ip(request), limit, window)
