"""Ledger rows are never updated or deleted, by the database either (see cnum.core.append_only).

SQLite refuses UPDATE only; the model and its queryset refuse deletion on both engines.
"""

from cnum.core.append_only import AppendOnly

LEDGER = AppendOnly(
    table="funding_ledgerentry",
    name="funding_ledger",
    message="Une écriture comptable ne se modifie ni ne se supprime",
)
install, remove = LEDGER.install, LEDGER.remove
