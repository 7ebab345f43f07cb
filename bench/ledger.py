"""Benchmark of the funding ledger at scale, and of the envelope ceiling under concurrency.

    uv run python bench/ledger.py                                        # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/ledger.py     # PostgreSQL: cnum_bench

Uses its own database (never the development one). Builds --rows ledger rows (1 M by default)
over --structures structures once (reused while the count matches; bench data inserted in bulk,
outside the ledger functions), then measures:
- one structure's balance (one aggregate query), p50/p95, against a baseline in the same run:
  the same balance summed in Python over the structure's rows;
- the envelope dashboard (envelopes, one grouped sum by envelope and département, départements),
  p50/p95, against one full scan of the table (SELECT count(*)) in the same run;
- `verify` (cached totals against the sum of all rows);
- --attempts concurrent commitments (one thread and one connection each) against one envelope
  with room for fewer: throughput, and proof that the ceiling held; baseline: the same attempts
  one after the other.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import territories  # noqa: E402 — the bench database helpers
from territories import percentile  # noqa: E402

PREFIX = "Bench ledger"
COMMUNES = [
    "69123",
    "75056",
    "13055",
    "33063",
    "31555",
    "59350",
    "35238",
    "97105",
    "97411",
    "2A004",
    "67482",
    "44109",
    "34172",
    "06088",
    "21231",
    "63113",
    "87085",
    "29019",
]
CYCLE = [
    ("ENGAGEMENT", 100_000),
    ("VERSEMENT", 60_000),
    ("DESENGAGEMENT", 20_000),
    ("VERSEMENT", 10_000),
    ("REVERSEMENT", 5_000),
]


def setup_django():
    """PostgreSQL: the shared cnum_bench database. SQLite: a file of its own, so that other
    benchmarks writing var/bench.sqlite3 at the same time do not hold its write lock."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        territories.bench_database_url = lambda: (
            f"sqlite:///{ROOT.parent / 'var' / 'bench-ledger.sqlite3'}"
        )
    return territories.setup_django()


def bench_structures(count, start=0):
    from cnum.structures.models import Structure
    from cnum.structures.testing import luhn_complete
    from cnum.territories.models import Commune

    communes = list(Commune.objects.filter(code_insee__in=COMMUNES))
    existing = Structure.objects.filter(name__startswith=PREFIX).count()
    for index in range(existing, count):
        Structure.objects.create(
            name=f"{PREFIX} {index}",
            type="COMMUNE" if index % 3 else "PRIVATE",
            siret=luhn_complete(f"{700000000 + index:09d}0001"),
            address="1 place de la Mairie",
            commune=communes[index % len(communes)],
            contact_first_name="Bench",
            contact_last_name="Ledger",
            contact_role="Bench",
            contact_email=f"bench{index}@ledger.invalid",
            contact_phone="0102030405",
            posts_wanted=2,
            mission_start=datetime.date(2026, 1, 1),
            motivation="Bench",
            commitments_accepted=True,
            status="VALIDATION_COSELEC",
            confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
    return list(
        Structure.objects.filter(name__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def bench_envelope(code, ceiling):
    from cnum.funding.models import Envelope

    return Envelope.objects.get_or_create(
        code=code,
        defaults={"name": code, "purpose": "KITS", "ceiling_cents": ceiling, "is_open": False},
    )[0]


def build_rows(envelope, structure_ids, rows, batch=20_000):
    from django.db import models, transaction
    from django.utils import timezone

    from cnum.funding.ledger import BALANCE_SUMS
    from cnum.funding.models import Envelope, LedgerEntry, StructureBalance

    raw = models.QuerySet(LedgerEntry)
    start = timezone.now() - datetime.timedelta(days=730)
    written = 0
    while written < rows:
        entries = []
        for _ in range(min(batch, rows - written)):
            structure_id = structure_ids[written % len(structure_ids)]
            step = written // len(structure_ids)
            kind, amount = CYCLE[step % len(CYCLE)]
            entries.append(
                LedgerEntry(
                    envelope=envelope,
                    structure_id=structure_id,
                    kind=kind,
                    amount_cents=amount,
                    reason="Bench",
                    at=start + datetime.timedelta(seconds=written * 60),
                )
            )
            written += 1
        with transaction.atomic():
            raw.bulk_create(entries)
        print(f"  {written} lignes", end="\r", flush=True)
    print()
    totals = LedgerEntry.objects.filter(envelope=envelope).aggregate(**BALANCE_SUMS)
    Envelope.objects.filter(pk=envelope.pk).update(
        committed_cents=totals["committed"], paid_cents=totals["paid"]
    )
    per_structure = (
        LedgerEntry.objects.filter(envelope=envelope)
        .values("structure_id")
        .annotate(**BALANCE_SUMS)
        .order_by()
    )
    StructureBalance.objects.bulk_create(
        StructureBalance(
            envelope=envelope,
            structure_id=row["structure_id"],
            committed_cents=row["committed"],
            paid_cents=row["paid"],
        )
        for row in per_structure
    )


def drop_rows(envelope):
    """Bench data only: remove a previous build of another size (append-only trigger lifted)."""
    from django.db import connection

    from cnum.funding import triggers

    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM funding_ledgerentry WHERE envelope_id = %s", [envelope.pk])
        cursor.execute("DELETE FROM funding_structurebalance WHERE envelope_id = %s", [envelope.pk])
    triggers.install(connection)
    type(envelope).objects.filter(pk=envelope.pk).update(committed_cents=0, paid_cents=0)


def timings(function, args_list):
    values = []
    for args in args_list:
        started = time.perf_counter()
        function(*args)
        values.append((time.perf_counter() - started) * 1000)
    return values


def python_balance(structure_id):
    from cnum.funding.models import LedgerEntry

    committed = paid = 0
    for kind, amount in LedgerEntry.objects.filter(structure_id=structure_id).values_list(
        "kind", "amount_cents"
    ):
        committed += {"ENGAGEMENT": amount, "DESENGAGEMENT": -amount}.get(kind, 0)
        paid += {"VERSEMENT": amount, "REVERSEMENT": -amount}.get(kind, 0)
    return committed, paid


def full_scan():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM funding_ledgerentry")
        return cursor.fetchone()[0]


def concurrency(structure_ids, attempts, room):
    from django.db import connections

    from cnum.funding import ledger
    from cnum.funding.models import LedgerEntry

    amount = 5_000_000
    code = f"bench-concurrence-{time.time_ns()}"
    envelope = bench_envelope(code, room * amount + amount // 2)  # room for `room`, not one more
    barrier = threading.Barrier(attempts)
    outcomes = []

    def attempt(structure_id):
        from cnum.structures.models import Structure

        try:
            structure = Structure(pk=structure_id)
            barrier.wait()
            ledger.commit(envelope, structure, amount, author=None, reason="Bench concurrence")
            outcomes.append("ok")
        except ledger.FundingError:
            outcomes.append("refusé")
        except Exception as error:  # noqa: BLE001 — reported, never hidden
            outcomes.append(f"erreur {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(structure_ids[i % len(structure_ids)],))
        for i in range(attempts)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    envelope.refresh_from_db()
    rows = LedgerEntry.objects.filter(envelope=envelope).count()
    errors = [o for o in outcomes if o.startswith("erreur")]
    print(
        f"{attempts} engagements concurrents ({room} possibles) : {elapsed:.2f} s, "
        f"{attempts / elapsed:.0f} tentatives/s ; acceptés {outcomes.count('ok')}, "
        f"refusés {outcomes.count('refusé')}, erreurs {len(errors)} {errors[:2]}"
    )
    held = envelope.committed_cents <= envelope.ceiling_cents and rows == outcomes.count("ok")
    print(
        f"  plafond {envelope.ceiling_cents} c, engagé {envelope.committed_cents} c "
        f"({rows} lignes) : {'plafond tenu' if held else 'PLAFOND DÉPASSÉ'}"
    )
    assert held and outcomes.count("ok") == room, outcomes

    # Baseline: the same attempts, one after the other, on a fresh envelope.
    sequential = bench_envelope(f"{code}-seq", room * amount + amount // 2)
    started = time.perf_counter()
    accepted = 0
    for i in range(attempts):
        try:
            ledger.commit(
                sequential,
                Structure_(structure_ids[i % len(structure_ids)]),
                amount,
                author=None,
                reason="Bench séquentiel",
            )
            accepted += 1
        except ledger.FundingError:
            pass
    sequential_elapsed = time.perf_counter() - started
    print(
        f"  référence séquentielle : {attempts / sequential_elapsed:.0f} tentatives/s "
        f"(acceptés {accepted}) ; rapport concurrent / séquentiel "
        f"{(attempts / elapsed) / (attempts / sequential_elapsed):.2f}"
    )


def Structure_(pk):  # noqa: N802 — a bare instance: the ledger only needs its primary key
    from cnum.structures.models import Structure

    return Structure(pk=pk)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--structures", type=int, default=5_000)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=100)
    parser.add_argument("--room", type=int, default=37)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cnum.funding import ledger, reports
    from cnum.funding.models import Envelope, LedgerEntry, StructureBalance

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    call_command("load_territories", verbosity=0)
    rng = random.Random(args.seed)  # noqa: S311 — reproducible sampling, not secrets
    structure_ids = bench_structures(args.structures)
    envelope = bench_envelope("bench-ledger", 10**15)
    if LedgerEntry.objects.filter(envelope=envelope).count() != args.rows:
        drop_rows(envelope)
        print(f"Construction de {args.rows} lignes sur {len(structure_ids)} structures…")
        started = time.perf_counter()
        build_rows(envelope, structure_ids, args.rows)
        print(f"  construites en {time.perf_counter() - started:.1f} s")
    for previous in Envelope.objects.filter(code__startswith="bench-concurrence"):
        drop_rows(previous)  # rows of the previous run's concurrency test
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) funding_ledgerentry")
    total = full_scan()
    print(f"Lignes du grand livre : {total}")

    # Disjoint random structures for each method, interleaved, so that no method reads pages
    # another one has just brought into the cache.
    picked = rng.sample(structure_ids, min(3 * args.samples, len(structure_ids)))
    methods = {
        "sql": lambda pk: ledger.structure_balance(Structure_(pk), purpose="KITS"),
        "python": python_balance,
        "cache": lambda pk: (
            StructureBalance.objects.filter(structure_id=pk, envelope=envelope)
            .values_list("committed_cents", "paid_cents")
            .first()
        ),
    }
    results = {name: [] for name in methods}
    for index, pk in enumerate(picked):
        name = list(methods)[index % 3]
        started = time.perf_counter()
        methods[name](pk)
        results[name].append((time.perf_counter() - started) * 1000)
    labels = {
        "sql": "solde d'une structure, somme SQL des lignes (résultat servi)",
        "python": "  référence : les lignes lues et sommées en Python",
        "cache": "  solde en cache (StructureBalance, vérifié par verify)",
    }
    for name, label in labels.items():
        values = results[name]
        print(
            f"{label} : p50 {statistics.median(values):.2f} ms, "
            f"p95 {percentile(values, 0.95):.2f} ms (n = {len(values)})"
        )
    print(
        f"  rapport p50 Python / SQL : × "
        f"{statistics.median(results['python']) / statistics.median(results['sql']):.1f}"
    )
    reports.dashboard()
    board = timings(reports.dashboard, [()] * 20)
    scan = timings(full_scan, [()] * 10)
    print(
        f"tableau de bord des enveloppes : p50 {statistics.median(board):.0f} ms, "
        f"p95 {percentile(board, 0.95):.0f} ms ; un parcours complet (count) : p50 "
        f"{statistics.median(scan):.0f} ms ; rapport × "
        f"{statistics.median(board) / statistics.median(scan):.1f}"
    )
    started = time.perf_counter()
    wrong = ledger.verify()
    print(
        f"verify (caches contre lignes) : {(time.perf_counter() - started) * 1000:.0f} ms, "
        f"{len(wrong)} écart(s)"
    )
    assert not wrong
    concurrency(structure_ids, args.attempts, args.room)


if __name__ == "__main__":
    main()
