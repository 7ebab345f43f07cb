"""Migrations freeze the trigger SQL they install (they never import live code). The live
definitions (`cnum/<app>/triggers.py`), which tests use to put the triggers back after emptying a
table, must still say what the latest migration of each table installed: a change to one goes
with a new migration that freezes it."""

import importlib
from collections import namedtuple

import pytest
from django.conf import settings

from cnum.funding.triggers import LEDGER
from cnum.mandates.triggers import JOURNAL
from cnum.matching import tally
from cnum.matching.triggers import REVEALS

# The eligible-candidate counters: triggers that keep a count rather than refuse a write.
TALLY = namedtuple("Triggers", "table statements")(tally.TABLE, tally.statements)

# Per append-only table, the migrations that install its triggers, oldest first.
MIGRATIONS = {
    LEDGER: ["cnum.funding.migrations.0002_reference_and_triggers"],
    JOURNAL: [
        "cnum.mandates.migrations.0002_journal_triggers",
        "cnum.mandates.migrations.0004_journal_trigger_flush",
    ],
    REVEALS: ["cnum.matching.migrations.0004_contact_requests_and_reveals"],
    TALLY: [
        "cnum.matching.migrations.0006_eligible_tally",
        "cnum.matching.migrations.0007_eligible_departement_tally",
    ],
}


def frozen_sql(modules):
    """{vendor: {"install": [...], "remove": [...]}} as the latest of `modules` left it."""
    latest = {}
    for name in modules:
        latest.update(importlib.import_module(name).TRIGGERS)
    return latest


@pytest.mark.parametrize("table", MIGRATIONS, ids=lambda table: table.table)
def test_live_triggers_are_those_the_migrations_froze(table):
    frozen = frozen_sql(MIGRATIONS[table])
    assert set(frozen) == {"postgresql", "sqlite"}
    for vendor, sql in frozen.items():
        live = {action: table.statements(vendor, action == "install") for action in sql}
        assert sql == live, f"{table.table} ({vendor})"


def test_every_migration_that_installs_triggers_is_compared():
    source = settings.BASE_DIR / "cnum"
    found = {
        ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
        for path in source.glob("*/migrations/*.py")
        if "\nTRIGGERS = {" in path.read_text()
    }
    assert found == {name for names in MIGRATIONS.values() for name in names}
