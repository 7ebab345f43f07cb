"""Pytest plugin (enabled in the root conftest): the test database holds the full reference data
(territories, and what apps' data migrations write: envelopes, funding grid…), loaded once per
session (and per xdist worker), as production does, and put back after each flush.

The territories tables (≈ 40,000 communes and their search keys) are left out of the flush that
ends a transactional test: reloading them took about 3 s per browser journey. No transactional
test writes them; the small reference tables of other apps are flushed and rebuilt.
"""

import pytest
from django.core.management.commands import flush
from django.db.backends.sqlite3 import base as sqlite3

_BLOCKER = pytest.StashKey()
_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    from cnum.territories.loading import load_territories

    request.config.stash[_BLOCKER] = django_db_blocker
    with django_db_blocker.unblock():
        load_territories()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", _sql_flush_keeping_territories)
        patch.setattr(sqlite3.DatabaseWrapper, "check_constraints", _check_all_but_territories)
        yield


def _sql_flush_keeping_territories(style, connection, reset_sequences=True, allow_cascade=False):
    """Django's `sql_flush`, minus the territories tables."""
    kept = _territories_tables()
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return connection.ops.sql_flush(
        style,
        [table for table in tables if table not in kept],
        reset_sequences=reset_sequences,
        allow_cascade=allow_cascade,
    )


_check_constraints = sqlite3.DatabaseWrapper.check_constraints


def _check_all_but_territories(self, table_names=None):
    """After each test, SQLite checks every foreign key of the database: re-reading the
    ≈ 40,000 communes each time cost about 40 ms per test. The other tables are checked."""
    if table_names is None:
        # Read each time: a migration test drops and recreates tables.
        tables = set(self.introspection.django_table_names(only_existing=True))
        table_names = sorted(tables - _territories_tables())
    return _check_constraints(self, table_names)


def _territories_tables():
    from django.apps import apps

    return {model._meta.db_table for model in apps.get_app_config("territories").get_models()}


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # A transactional test (live_server, browser journeys) ends with a flush of every table:
    # put the reference data back for the tests that follow (a no-op if it is still there).
    # After the last test the session fixtures, test database included, are already gone.
    blocker = item.config.stash.get(_BLOCKER, None)
    if blocker is not None and nextitem is not None and _is_transactional(item):
        with blocker.unblock():
            reload_reference_data()
    return result


def reload_reference_data():
    """Territories, then each app's `reference.ensure()` (idempotent), when it has one."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    from cnum.territories.loading import load_territories

    load_territories()
    for config in apps.get_app_configs():
        if config.name.startswith("cnum."):
            try:
                ensure = import_string(f"{config.name}.reference.ensure")
            except ImportError:
                continue
            ensure()
