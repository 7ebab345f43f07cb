"""Benchmark of the Aidants Connect journal: verification speed over a large hash chain.

    uv run python bench/journal.py                       # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/journal.py   # PostgreSQL: cnum_bench

Uses its own database (never the development one). Builds a valid chain of --rows rows (1 M by
default) once (reused while its head matches), then times `verify_journal` over all of it, and
`log_*` appends (the locked chain head) as a baseline measured in the same run.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from territories import setup_django  # noqa: E402 — the bench database helpers


def build_chain(rows, batch=20000):
    """Insert a valid chain quickly: hashes computed here, rows inserted in bulk.

    Bypasses the journal's guarded manager on purpose (bench data only)."""
    from django.db import models, transaction
    from django.utils import timezone

    from cnum.mandates.models import JournalEntry, JournalHead
    from cnum.mandates.models.journal import GENESIS_HASH, entry_hash

    raw = models.QuerySet(JournalEntry)
    start = timezone.now() - datetime.timedelta(days=365)
    previous, position = GENESIS_HASH, 0
    kinds = ["connexion", "verification_totp", "mandat_cree", "attestation"]
    while position < rows:
        entries = []
        for _ in range(min(batch, rows - position)):
            position += 1
            created = start + datetime.timedelta(seconds=position)
            data = {"domaines": ["papiers"], "duree_jours": 182} if position % 4 == 2 else {}
            kind = kinds[position % 4]
            entry = JournalEntry(
                position=position,
                created_at=created,
                kind=kind,
                actor_id=1 + position % 500,
                organisation_id=1 + position % 50,
                mandate_id_ref=position if position % 4 == 2 else None,
                data=data,
                previous_hash=previous,
            )
            entry.hash = entry_hash(
                previous,
                position,
                created,
                kind,
                entry.actor_id,
                entry.organisation_id,
                None,
                entry.mandate_id_ref,
                None,
                data,
            )
            previous = entry.hash
            entries.append(entry)
        with transaction.atomic():
            raw.bulk_create(entries)
        print(f"  {position} lignes", end="\r", flush=True)
    JournalHead.objects.update_or_create(pk=1, defaults={"position": rows, "last_hash": previous})
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cnum.mandates import triggers
    from cnum.mandates.models import JournalEntry, JournalHead
    from cnum.mandates.verification import verify_journal

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    head = JournalHead.objects.filter(pk=1).first()
    if head is None or head.position != args.rows or not verify_journal().ok:
        triggers.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM mandates_journalentry")
            cursor.execute("DELETE FROM mandates_journalhead")
        triggers.install(connection)
        print(f"Construction d'une chaîne de {args.rows} lignes…")
        started = time.perf_counter()
        build_chain(args.rows)
        print(f"  construite en {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    report = verify_journal()
    elapsed = time.perf_counter() - started
    assert report.ok and report.checked == args.rows, report.problems[:3]
    print(
        f"verify_journal : {report.checked} lignes en {elapsed:.1f} s, "
        f"{report.checked / elapsed:,.0f} lignes/s".replace(",", " ")
    )

    # Baseline: appends through log_* (lock on the head, hash, insert), then remove them.
    started = time.perf_counter()
    for _ in range(args.appends):
        JournalEntry.log_login(None)
    append_elapsed = time.perf_counter() - started
    print(
        f"log_* : {args.appends} ajouts en {append_elapsed:.1f} s, "
        f"{args.appends / append_elapsed:,.0f} ajouts/s".replace(",", " ")
    )
    ratio = (report.checked / elapsed) / (args.appends / append_elapsed)
    print(
        f"rapport : la vérification traite {ratio:.0f} fois plus de lignes par seconde que l'ajout"
    )
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mandates_journalentry WHERE position > %s", [args.rows])
        cursor.execute("DELETE FROM mandates_journalhead")
    triggers.install(connection)
    last = JournalEntry.objects.order_by("-position").values_list("position", "hash").first()
    JournalHead.objects.create(pk=1, position=last[0], last_hash=last[1])


if __name__ == "__main__":
    main()
