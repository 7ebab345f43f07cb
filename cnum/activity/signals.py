"""Signals sent inside the transaction that changes activity records, so that what is derived
from them (statistics rollups) changes in the same transaction.

`records_changing(queryset=…)` is sent before records change, with the records about to change;
`records_changed(queryset=…)` after, with the same records as they now are (soft-deleted ones
included: receivers decide what counts). A creation sends only `records_changed`.
"""

from django.dispatch import Signal

records_changing = Signal()
records_changed = Signal()
