"""Per-IP limit on public submissions (cache counter over a fixed window), one per scope."""

import hashlib

from django.conf import settings
from django.core.cache import cache

APPLY_LIMIT = 10
APPLY_WINDOW = 60 * 60


def client_ip(request):
    """REMOTE_ADDR, or the address the trusted proxies (PROXY_COUNT) saw."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(request, scope):
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()
    return f"throttle:{scope}:{digest}"


def hit(request, scope, limit=APPLY_LIMIT, window=APPLY_WINDOW):
    """Count one submission; False when the address is over its limit for the window."""
    key = _key(request, scope)
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return True
    return count <= limit
