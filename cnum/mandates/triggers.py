"""The journal is never updated or deleted, by the database either (see cnum.core.append_only).

SQLite: Django's test flush runs DELETE FROM every table, in no fixed order, and SQLite has no
TRUNCATE. The DELETE trigger therefore lets through only the deletion of the chain's first
remaining row (what a whole-table DELETE does, row by row in insertion order) or any row once
the chain head is gone. Rows removed that way are what `verify_journal` reports first (missing
start of the chain, or head deleted); a row in the middle or at the end is always refused.
"""

from cnum.core.append_only import AppendOnly

JOURNAL = AppendOnly(
    table="mandates_journalentry",
    name="mandates_journal",
    message="Le journal Aidants Connect ne se modifie pas",
    sqlite_delete_guard=(
        "EXISTS (SELECT 1 FROM mandates_journalhead) AND EXISTS "
        "(SELECT 1 FROM mandates_journalentry WHERE position < OLD.position)"
    ),
    sqlite_delete_message="Le journal Aidants Connect ne se supprime pas",
)
install, remove = JOURNAL.install, JOURNAL.remove
