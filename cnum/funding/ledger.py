"""The double-entry ledger: the only code that writes LedgerEntry rows.

Every movement locks its envelope row (SELECT … FOR UPDATE) before reading any balance, so two
movements on one envelope are serialised: the ceiling holds under any interleaving. Operations
locking several envelopes lock them in primary-key order (no deadlock). The envelope's two
cached totals move in the same transaction as the row; `verify` recomputes them from the rows.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cnum.funding.enums import (
    ANTILLES_GUYANE,
    REUNION_MAYOTTE,
    EntryKind,
    EnvelopePurpose,
    HostCategory,
)
from cnum.funding.models import Envelope, GridVersion, LedgerEntry, StructureBalance

K = EntryKind


class FundingError(ValueError):
    """A movement that would break a money rule; the message is shown to the user as is."""


class EnvelopeExceeded(FundingError):
    pass


class PaymentExceedsCommitment(FundingError):
    pass


def euros(cents):
    """« 1 234 567,89 € » (non-breaking spaces), from integer cents."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{units:,}".replace(",", "\u202f") + f",{rest:02d}\u00a0€"


@dataclass(frozen=True)
class Balance:
    committed: int = 0
    paid: int = 0

    @property
    def unpaid(self):
        return self.committed - self.paid


def _signed(kind_plus, kind_minus):
    return Case(
        When(kind=kind_plus, then=F("amount_cents")),
        When(kind=kind_minus, then=-F("amount_cents")),
        default=Value(0),
        output_field=BigIntegerField(),
    )


BALANCE_SUMS = {
    "committed": Coalesce(
        Sum(_signed(K.COMMITMENT, K.DECOMMITMENT)), Value(0), output_field=BigIntegerField()
    ),
    "paid": Coalesce(Sum(_signed(K.PAYMENT, K.RECOVERY)), Value(0), output_field=BigIntegerField()),
}


def balance(entries):
    """The balance of a queryset of ledger rows (one query)."""
    return Balance(**entries.aggregate(**BALANCE_SUMS))


# Written in SQL (bound parameters): built by the ORM, compiling the aggregate took ten times
# longer than running it (bench/README.md, « Grand livre »).
STRUCTURE_BALANCE_SQL = """
SELECT COALESCE(SUM(CASE e.kind WHEN %s THEN e.amount_cents WHEN %s THEN -e.amount_cents
                                ELSE 0 END), 0),
       COALESCE(SUM(CASE e.kind WHEN %s THEN e.amount_cents WHEN %s THEN -e.amount_cents
                                ELSE 0 END), 0)
FROM funding_ledgerentry e
WHERE e.structure_id = %s
  AND e.envelope_id IN (SELECT v.id FROM funding_envelope v WHERE v.purpose = %s)
"""


def structure_balance(structure, purpose=EnvelopePurpose.CONSEILLERS):
    """The structure's balance on the envelopes of `purpose`, summed from its rows."""
    params = [K.COMMITMENT, K.DECOMMITMENT, K.PAYMENT, K.RECOVERY, structure.pk, purpose]
    with connection.cursor() as cursor:
        cursor.execute(STRUCTURE_BALANCE_SQL, [str(p) if isinstance(p, str) else p for p in params])
        committed, paid = cursor.fetchone()
    return Balance(int(committed), int(paid))


def per_envelope(structure, envelope_ids):
    rows = (
        LedgerEntry.objects.filter(structure=structure, envelope_id__in=envelope_ids)
        .values("envelope_id")
        .annotate(**BALANCE_SUMS)
    )
    return {row["envelope_id"]: Balance(row["committed"], row["paid"]) for row in rows}


def open_envelope(purpose):
    envelope = (
        Envelope.objects.filter(purpose=purpose, is_open=True).order_by("-opens_on", "-pk").first()
    )
    if envelope is None:
        raise FundingError(
            f"Aucune enveloppe « {EnvelopePurpose(purpose).label} » n'est ouverte : "
            "l'administration doit en ouvrir une."
        )
    return envelope


def _lock(envelope_ids):
    locked = (
        Envelope.objects.select_for_update(of=("self",)).filter(pk__in=envelope_ids).order_by("pk")
    )
    return {envelope.pk: envelope for envelope in locked}


def _write(envelope, structure, kind, amount, author, reason, subject):
    entry = LedgerEntry.objects.create(
        envelope=envelope,
        structure=structure,
        kind=kind,
        amount_cents=amount,
        author=author if getattr(author, "pk", None) else None,
        reason=reason[:500],
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=subject.pk if subject is not None else None,
    )
    delta = {
        K.COMMITMENT: ("committed_cents", amount),
        K.DECOMMITMENT: ("committed_cents", -amount),
        K.PAYMENT: ("paid_cents", amount),
        K.RECOVERY: ("paid_cents", -amount),
    }[kind]
    setattr(envelope, delta[0], getattr(envelope, delta[0]) + delta[1])
    envelope.save(update_fields=[delta[0]])
    # Safe without its own lock: every write on this envelope holds the envelope's row lock.
    cached, _ = StructureBalance.objects.get_or_create(envelope=envelope, structure=structure)
    StructureBalance.objects.filter(pk=cached.pk).update(**{delta[0]: F(delta[0]) + delta[1]})
    return entry


def commit(envelope, structure, amount, *, author, reason, subject=None):
    """Commit `amount` cents of `envelope` to `structure`; refused beyond the ceiling."""
    if amount <= 0:
        raise FundingError("Le montant d'un engagement doit être positif.")
    with transaction.atomic():
        locked = _lock([envelope.pk])[envelope.pk]
        if locked.committed_cents + amount > locked.ceiling_cents:
            raise EnvelopeExceeded(
                f"L'enveloppe « {locked.name} » ne peut pas engager {euros(amount)} : il n'y "
                f"reste que {euros(locked.remaining_cents)}. Rien n'a été enregistré."
            )
        return _write(locked, structure, K.COMMITMENT, amount, author, reason, subject)


def _structure_envelopes(structure, purpose):
    return list(
        LedgerEntry.objects.filter(structure=structure, envelope__purpose=purpose)
        .values_list("envelope_id", flat=True)
        .distinct()
    )


def release(
    structure, amount, *, author, reason, subject=None, purpose=EnvelopePurpose.CONSEILLERS
):
    """Release up to `amount` cents of what is committed and not yet paid (latest envelope first).

    What is already paid cannot be released: the release is capped, and the rows written are
    returned (none if nothing was left to release).
    """
    entries = []
    with transaction.atomic():
        locked = _lock(_structure_envelopes(structure, purpose))
        balances = per_envelope(structure, list(locked))
        for envelope_id in sorted(locked, key=lambda pk: (locked[pk].opens_on, pk), reverse=True):
            part = min(amount, balances.get(envelope_id, Balance()).unpaid)
            if part > 0:
                entries.append(
                    _write(
                        locked[envelope_id],
                        structure,
                        K.DECOMMITMENT,
                        part,
                        author,
                        reason,
                        subject,
                    )
                )
                amount -= part
    return entries


def pay(structure, amount, *, author, reason, subject=None, purpose=EnvelopePurpose.CONSEILLERS):
    """Record a payment; never more than what is committed and unpaid for the structure."""
    if amount <= 0:
        raise FundingError("Le montant d'un versement doit être positif.")
    with transaction.atomic():
        locked = _lock(_structure_envelopes(structure, purpose))
        balances = per_envelope(structure, list(locked))
        for envelope_id in sorted(locked, key=lambda pk: (locked[pk].opens_on, pk)):
            if balances[envelope_id].unpaid >= amount:
                return _write(
                    locked[envelope_id], structure, K.PAYMENT, amount, author, reason, subject
                )
        unpaid = sum(b.unpaid for b in balances.values())
        raise PaymentExceedsCommitment(
            f"Ce versement de {euros(amount)} dépasserait ce qui est engagé pour la structure "
            f"et non encore versé ({euros(unpaid)}). Rien n'a été enregistré."
        )


def recover(
    structure, amount, *, author, reason, subject=None, purpose=EnvelopePurpose.CONSEILLERS
):
    """Money paid back by the structure: a recovery row, and the commitment released with it."""
    if amount <= 0:
        raise FundingError("Le montant d'un reversement doit être positif.")
    with transaction.atomic():
        locked = _lock(_structure_envelopes(structure, purpose))
        balances = per_envelope(structure, list(locked))
        for envelope_id in sorted(locked, key=lambda pk: (locked[pk].opens_on, pk), reverse=True):
            if balances[envelope_id].paid >= amount:
                envelope = locked[envelope_id]
                entry = _write(envelope, structure, K.RECOVERY, amount, author, reason, subject)
                _write(envelope, structure, K.DECOMMITMENT, amount, author, reason, subject)
                return entry
        paid = sum(b.paid for b in balances.values())
        raise FundingError(
            f"Le reversement ({euros(amount)}) dépasse ce qui a été versé à la structure "
            f"({euros(paid)})."
        )


# The grid


def host_category(structure):
    if structure.departement_id in ANTILLES_GUYANE:
        return HostCategory.ANTILLES_GUYANE
    if structure.departement_id in REUNION_MAYOTTE:
        return HostCategory.REUNION_MAYOTTE
    return HostCategory.PUBLIC_MAINLAND if structure.is_public else HostCategory.PRIVATE


def grid_on(day=None):
    version = GridVersion.objects.effective_on(day or timezone.localdate())
    if version is None:
        raise FundingError("Aucune grille de financement n'est en vigueur à cette date.")
    return version


def post_amount(structure, version):
    return version.amounts.get(category=host_category(structure)).amount_cents


def charge_kit(kit_request, author):
    return commit(
        open_envelope(EnvelopePurpose.KITS),
        kit_request.structure,
        kit_request.cost_cents,
        author=author,
        reason=f"Kit accordé : {kit_request.kit_type} × {kit_request.quantity}",
        subject=kit_request,
    )


# Checks


def verify():
    """Cached totals that differ from the sum of the rows: [(envelope or balance, expected)].

    Two grouped scans of the ledger plus the two caches; run daily (manage.py verify_ledger).
    """
    sums = {
        (row["envelope_id"], row["structure_id"]): Balance(row["committed"], row["paid"])
        for row in LedgerEntry.objects.values("envelope_id", "structure_id")
        .annotate(**BALANCE_SUMS)
        .order_by()
    }
    per_envelope_sums = {}
    for (envelope_id, _), b in sums.items():
        total = per_envelope_sums.get(envelope_id, Balance())
        per_envelope_sums[envelope_id] = Balance(total.committed + b.committed, total.paid + b.paid)
    wrong = []
    for envelope in Envelope.objects.all():
        expected = per_envelope_sums.get(envelope.pk, Balance())
        if (envelope.committed_cents, envelope.paid_cents) != (expected.committed, expected.paid):
            wrong.append((envelope, expected))
    seen = set()
    for cached in StructureBalance.objects.all().iterator(chunk_size=5000):
        key = (cached.envelope_id, cached.structure_id)
        seen.add(key)
        expected = sums.get(key, Balance())
        if (cached.committed_cents, cached.paid_cents) != (expected.committed, expected.paid):
            wrong.append((cached, expected))
    wrong += [(key, expected) for key, expected in sums.items() if key not in seen]
    return wrong
