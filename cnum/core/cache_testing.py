"""Pytest plugin: the shared cache (database table or Redis) starts empty in every test."""

import pytest
from django.core.cache import cache, caches
from django_redis.cache import RedisCache

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


class ProcessRedisCache(RedisCache):
    """clear() deletes this test process's keys (KEY_PREFIX) only: the xdist workers and other
    runs share one Redis database, which the stock clear() would flush."""

    def clear(self):
        self.delete_pattern("*")


@pytest.fixture(autouse=True)
def empty_cache(request):
    """Throttle counters and flags never leak between tests: the cache table outlives the flush
    of transactional tests, and Redis outlives everything."""
    uses_database = request.node.get_closest_marker("django_db") or (
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    request.getfixturevalue("db")  # the database cache needs the test database
    # Before the test only: after it, a test that broke its transaction on purpose would make
    # the database cache fail, and the next test clears anyway.
    cache.clear()
    caches["local"].clear()
    yield
