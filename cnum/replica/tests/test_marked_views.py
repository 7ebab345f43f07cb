"""The list of replica-readable views names real views: a renamed view would silently go back to
the primary (the streaming-replica tests prove the routing itself)."""

from django.urls import URLPattern, URLResolver, get_resolver

from cnum.replica.middleware import REPLICA_READABLE_VIEWS


def view_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from view_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_replica_readable_view_exists():
    missing = REPLICA_READABLE_VIEWS - set(view_names(get_resolver().url_patterns))
    assert not missing
