"""Throttles live in the shared cache: their limits hold across separate OS processes."""

import os
import socket
import subprocess
import sys
import uuid
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.db import connection

from cnum.core import throttling
from cnum.core.cache_testing import ProcessRedisCache

LIMIT = 10
# One web process: `hit` the per-address throttle N times, print how many were let through.
WORKER = """
import sys
import django
django.setup()
from django.test import RequestFactory
from cnum.core import throttling
scope, limit, attempts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
print(sum(throttling.hit(request, scope, limit=limit) for _ in range(attempts)))
"""


def redis_url():
    """REDIS_URL, or the local Redis when one answers; None otherwise."""
    if settings.REDIS_URL:
        return settings.REDIS_URL
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/0"


def database_url(tmp_path):
    """The test database on PostgreSQL (its cache table exists); a new SQLite file otherwise,
    which gets its cache table from the core app's migration, as `make run` does."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(params=["database", "redis"])
def process_env(request, tmp_path, django_db_setup, django_db_blocker):
    """The environment of a web process, sharing its cache with the other ones started here."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cnum.settings_test",
        "CACHE_KEY_PREFIX": f"test-processes-{uuid.uuid4().hex}",
    }
    if request.param == "redis":
        url = redis_url()
        if url is None:
            pytest.skip("Redis ne répond pas sur 127.0.0.1:6379 et REDIS_URL n'est pas défini.")
        env["REDIS_URL"] = url
    else:
        env.pop("REDIS_URL", None)
        with django_db_blocker.unblock():
            env["DATABASE_URL"] = database_url(tmp_path)
        if urlsplit(env["DATABASE_URL"]).scheme == "sqlite":
            manage(env, "migrate", "core")
    yield env
    with django_db_blocker.unblock():
        shared_cache(env).clear()


def shared_cache(env):
    """The processes' cache, seen from this one (to remove their keys afterwards)."""
    params = {"KEY_PREFIX": env["CACHE_KEY_PREFIX"]}
    if "REDIS_URL" in env:
        return ProcessRedisCache(env["REDIS_URL"], params)
    if urlsplit(env["DATABASE_URL"]).scheme == "sqlite":
        return DummyCache("", params)  # the file goes away with tmp_path
    return DatabaseCache("cnum_cache", params)  # this test database's table


def manage(env, *args):
    subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )


def test_a_limit_holds_across_two_processes(process_env):
    scope = f"test:{uuid.uuid4().hex}"
    processes = [
        subprocess.Popen(  # noqa: S603 — fixed command
            [sys.executable, "-c", WORKER, scope, str(LIMIT), "8"],
            env=process_env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    let_through = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        let_through.append(int(out))
    # 16 attempts from one address at the same time, through two processes: exactly 10 pass.
    assert sum(let_through) == LIMIT
    assert min(let_through) > 0  # both processes did count


def test_without_redis_the_cache_is_the_database(db):
    assert settings.REDIS_URL or isinstance(caches["default"], DatabaseCache)


@pytest.mark.django_db
def test_each_value_has_its_own_count_and_limit():
    for _ in range(3):
        assert throttling.allow("test:target", "a@exemple.fr", limit=3, window=60)
    assert not throttling.allow("test:target", "a@exemple.fr", limit=3, window=60)
    assert throttling.exhausted("test:target", "a@exemple.fr", limit=3, window=60)
    assert throttling.allow("test:target", "b@exemple.fr", limit=3, window=60)
    assert not throttling.exhausted("test:target", "b@exemple.fr", limit=3, window=60)
