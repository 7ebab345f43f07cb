"""Benchmark of mandate creation by concurrent aidants (Aidants Connect).

    uv run python bench/mandates.py                                      # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/mandates.py  # PostgreSQL: cnum_bench

Uses its own database (never the development one). Several habilitated structures, one validated
aidant per thread; each thread (its own database connection) creates --per-thread mandates
through `services.create_mandate`, each for a usager of its structure, all threads released at
once, by levels of 1, 2, 4… aidants (the same number of mandates per level). Baseline measured
in the same run: the 1-aidant level. The time each creation spends in journal appends (waiting
for the chain head's lock, then writing) is shown next to the total.
Every creation appends to the journal under the lock of its chain head, so writers serialise
there: the figures show what that costs. The journal rows, mandates and usagers created here
are removed afterwards (the journal benchmark reuses its chain in the same database).
"""

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from territories import percentile, setup_django  # noqa: E402 — the bench database helpers


def make_aidants(count, structures):
    """`count` validated aidants with a TOTP device, spread over `structures` structures."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cnum.accounts.models import Membership, Organisation, User
    from cnum.accounts.roles import OrganisationKind, Role
    from cnum.mandates.domains import Domain
    from cnum.mandates.models import AidantProfile, Habilitation

    orgs = []
    for n in range(structures):
        org, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.STRUCTURE, name=f"Structure de mesure {n}"
        )
        Habilitation.objects.get_or_create(
            organisation=org,
            defaults={
                "status": "acceptee",
                "siret": f"{90000000000000 + n}",
                "structure_type": "association",
                "referent": User.objects.get_or_create(email=f"referent{n}@bench.invalid")[0],
                "aidants_to_train": "mesure",
                "commitments_accepted_at": timezone.now(),
                "domains": Domain.values,
            },
        )
        orgs.append(org)
    aidants = []
    for n in range(count):
        user, _ = User.objects.get_or_create(email=f"aidant{n}@bench.invalid")
        membership, _ = Membership.objects.get_or_create(
            user=user, role=Role.AIDANT, organisation=orgs[n % structures]
        )
        AidantProfile.objects.get_or_create(
            membership=membership,
            defaults={
                "training_date": timezone.localdate(),
                "pix_validated": True,
                "validated_at": timezone.now(),
            },
        )
        TOTPDevice.objects.get_or_create(user=user, name="Mesure", defaults={"confirmed": True})
        aidants.append((user, orgs[n % structures]))
    return aidants


def make_usagers(aidant, organisation, count, tag):
    import datetime

    from django.utils import timezone

    from cnum.mandates.models import Usager

    return [
        Usager.objects.create(
            organisation=organisation,
            given_names="Camille",
            family_name=f"Mesure-{tag}-{i}",
            birth_date=datetime.date(1950, 1, 1),
            birth_place="Lyon",
            identity_method="verification_manuelle",
            identity_checked_by=aidant,
            identity_checked_at=timezone.now(),
        )
        for i in range(count)
    ]


DOMAIN_SETS = [["papiers"], ["social", "logement"], ["argent", "famille", "travail"]]


_local = threading.local()


def time_journal_appends():
    """Measure, per mandate, the time spent in journal appends (waiting for the chain head's
    lock, then writing): wraps `JournalEntry._append` in this process, for the bench only."""
    from cnum.mandates.models import JournalEntry

    original = JournalEntry._append.__func__

    def timed_append(cls, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(cls, *args, **kwargs)
        finally:
            _local.journal_ms = (
                getattr(_local, "journal_ms", 0) + (time.perf_counter() - started) * 1000
            )

    JournalEntry._append = classmethod(timed_append)


def create_all(aidant, usagers, results, barrier):
    """One mandate per usager, each timed (ms); failures (lock timeouts) counted, not fatal."""
    from django.db import OperationalError, connection

    from cnum.mandates import services

    try:
        barrier.wait()
        for i, usager in enumerate(usagers):
            started, _local.journal_ms = time.perf_counter(), 0
            try:
                services.create_mandate(
                    aidant=aidant,
                    usager=usager,
                    domains=DOMAIN_SETS[i % len(DOMAIN_SETS)],
                    duration_days=182,
                    consent=True,
                )
            except OperationalError as error:  # SQLite: "database is locked" after busy_timeout
                results["failures"].append(str(error))
            else:
                results["timings"].append((time.perf_counter() - started) * 1000)
                results["journal"].append(_local.journal_ms)
    finally:
        connection.close()


def run_level(aidants, threads, total):
    """`threads` aidants (own connection each) create `total` mandates between them."""
    from django.db import connection

    work = [
        (user, make_usagers(user, org, total // threads, f"{threads}-{i}"))
        for i, (user, org) in enumerate(aidants[:threads])
    ]
    connection.close()  # the threads open their own
    results = {"timings": [], "journal": [], "failures": []}
    barrier = threading.Barrier(threads)
    pool = [threading.Thread(target=create_all, args=(*w, results, barrier)) for w in work]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, time.perf_counter() - started


def verify_tail(start_position, start_hash):
    """The rows appended during the run form one unbroken chain from the previous head."""
    from cnum.mandates.models import JournalEntry
    from cnum.mandates.models.journal import HASHED_FIELDS, entry_hash

    rows = JournalEntry.objects.filter(position__gt=start_position).order_by("position")
    previous, expected, checked = start_hash, start_position + 1, 0
    for prev, position, *content, stored in rows.values_list(*HASHED_FIELDS, "hash"):
        assert position == expected and prev == previous, f"chaîne rompue en {position}"
        assert entry_hash(prev, position, *content) == stored, f"ligne {position} altérée"
        previous, expected, checked = stored, position + 1, checked + 1
    return checked


def cleanup(start_position, start_hash):
    """Remove what this run created: journal rows past the start, mandates, usagers."""
    from django.db import connection

    from cnum.mandates import triggers
    from cnum.mandates.models import Authorisation, JournalHead, Mandate, Usager

    # Raw deletes: bench rows only, no cascade collection into other apps' tables.
    usagers = Usager.objects.filter(family_name__startswith="Mesure-")
    mandates = Mandate.objects.filter(usager__in=usagers)
    Authorisation.objects.filter(mandate__in=mandates)._raw_delete(connection.alias)
    Mandate.objects.filter(renewed_from__in=mandates).update(renewed_from=None)
    mandates._raw_delete(connection.alias)
    usagers._raw_delete(connection.alias)
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mandates_journalentry WHERE position > %s", [start_position])
        cursor.execute("DELETE FROM mandates_journalhead")
    triggers.install(connection)
    if start_position:
        JournalHead.objects.create(pk=1, position=start_position, last_hash=start_hash)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8, help="le plus grand palier")
    parser.add_argument("--structures", type=int, default=4)
    parser.add_argument("--mandates", type=int, default=320, help="mandats par palier")
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cnum.mandates.models import JournalHead
    from cnum.mandates.models.journal import GENESIS_HASH

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    head = JournalHead.objects.filter(pk=1).first()
    start = (head.position, head.last_hash) if head else (0, GENESIS_HASH)
    aidants = make_aidants(args.threads, args.structures)
    time_journal_appends()
    levels = [n for n in (1, 2, 4, 8, 16, 32) if n < args.threads] + [args.threads]
    print(f"{args.mandates} mandats par palier, répartis entre les aidants du palier")
    print(
        "aidants | mandats/s | p50 ms | p95 ms | max ms | échecs | débit / 1 aidant "
        "| dont journal p50 / p95 ms"
    )
    baseline = None
    try:
        for threads in levels:
            results, elapsed = run_level(aidants, threads, args.mandates)
            timings, failures = results["timings"], results["failures"]
            rate = len(timings) / elapsed
            baseline = baseline or rate
            print(
                f"{threads:7} | {rate:9.1f} | {statistics.median(timings):6.1f} | "
                f"{percentile(timings, 0.95):6.1f} | {max(timings):6.1f} | {len(failures):6} | "
                f"× {rate / baseline:.2f} | {statistics.median(results['journal']):.1f} / "
                f"{percentile(results['journal'], 0.95):.1f}"
            )
            if failures:
                print(f"        échecs : {sorted(set(failures))}")
        checked = verify_tail(*start)
        print(f"journal : {checked} lignes ajoutées par la mesure, chaîne intacte")
    finally:
        cleanup(*start)


if __name__ == "__main__":
    main()
