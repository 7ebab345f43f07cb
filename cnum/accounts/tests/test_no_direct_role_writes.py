"""Roles are written by cnum/accounts/grants.py only, so that every change is journaled.

Reads the source of cnum/ (tests, migrations and grants.py itself left out) and refuses any
other creation of a Membership or change of its `is_active` flag or organisation.
"""

import re

from django.conf import settings

SOURCE = settings.BASE_DIR / "cnum"
ALLOWED = {SOURCE / "accounts" / "grants.py"}
DIRECT_WRITES = re.compile(
    r"Membership\.objects\.(create|get_or_create|update_or_create|bulk_create)\b"
    r"|Membership\(user"
    r"|memberships?\.(create|get_or_create|update_or_create)\("
    r"|membership\.(is_active|organisation) = "
    r"|Membership\.objects\.filter\([^)]*\)\.update\("
)


def test_no_module_writes_roles_directly():
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if path in ALLOWED or {"tests", "migrations"} & set(path.parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if DIRECT_WRITES.search(line) and not line.lstrip().startswith(("#", '"""')):
                offenders.append(f"{path.relative_to(SOURCE)}:{number}: {line.strip()}")
    assert not offenders, "Rôles écrits hors de cnum/accounts/grants.py :\n" + "\n".join(offenders)
