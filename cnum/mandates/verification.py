"""Walk the journal and report the first places where the hash chain does not hold."""

from dataclasses import dataclass

from cnum.mandates.models import JournalEntry, JournalHead
from cnum.mandates.models.journal import GENESIS_HASH, HASHED_FIELDS, entry_hash


@dataclass
class Problem:
    position: int | None
    entry_id: int | None
    message: str

    def __str__(self):
        where = f"position {self.position}" if self.position is not None else "fin du journal"
        if self.entry_id is not None:
            where += f" (ligne id {self.entry_id})"
        return f"{where} : {self.message}"


@dataclass
class Report:
    checked: int
    problems: list

    @property
    def ok(self):
        return not self.problems


def verify_journal(chunk_size=5000, max_problems=100):
    """Check positions are contiguous, each row's hash, each link, and the head."""
    problems = []
    expected_position, previous_hash, checked = 1, GENESIS_HASH, 0
    rows = JournalEntry.objects.order_by("position").values_list("pk", *HASHED_FIELDS, "hash")
    for pk, prev, position, *content, stored_hash in rows.iterator(chunk_size=chunk_size):
        checked += 1
        if position != expected_position:
            problems.append(
                Problem(
                    position,
                    pk,
                    (
                        f"position attendue {expected_position} : "
                        f"{position - expected_position} ligne(s) supprimée(s) avant celle-ci"
                        if position > expected_position
                        else f"position attendue {expected_position} : ligne insérée ou renumérotée"
                    ),
                )
            )
        if prev != previous_hash:
            problems.append(
                Problem(
                    position,
                    pk,
                    (
                        "le lien vers la ligne précédente est rompu : une ligne a été insérée, "
                        "supprimée ou modifiée juste avant celle-ci"
                    ),
                )
            )
        if entry_hash(prev, position, *content) != stored_hash:
            problems.append(Problem(position, pk, "le contenu de la ligne a été modifié"))
        previous_hash, expected_position = stored_hash, position + 1
        if len(problems) >= max_problems:
            return Report(checked, problems)
    head = JournalHead.objects.filter(pk=1).first()
    head_position, head_hash = (head.position, head.last_hash) if head else (0, GENESIS_HASH)
    if head is None and checked:
        problems.append(Problem(None, None, "la tête de chaîne a été supprimée"))
    elif head_position != expected_position - 1 or head_hash != previous_hash:
        problems.append(
            Problem(
                None,
                None,
                (
                    f"la tête de chaîne indique {head_position} ligne(s) : des lignes ont été "
                    "supprimées en fin de journal ou ajoutées hors des fonctions de journalisation"
                ),
            )
        )
    return Report(checked, problems)
