"""Reveal rows are never updated or deleted, by the database either (see cnum.core.append_only).

SQLite refuses UPDATE only; the model and its queryset refuse deletion on both engines.
"""

from cnum.core.append_only import AppendOnly

REVEALS = AppendOnly(
    table="matching_candidatereveal",
    name="matching_reveal",
    message="Une consultation enregistrée ne se modifie ni ne se supprime",
)
install, remove = REVEALS.install, REVEALS.remove
