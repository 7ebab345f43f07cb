"""Benchmark of training: session suggestions, enrolment under its lock, CSV import.

    uv run python bench/training.py                                   # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/training.py   # PostgreSQL: cnum_bench

Uses its own database (never the development one). Builds --organisations training
organisations in real communes (drawn by population) with --sessions upcoming sessions each,
--structures structures and --conseillers conseillers, a third of the seats taken; then times:
- suggest_organisations for random structures, against the naive baseline (one seat-count query
  per session) measured in the same run;
- services.enrol (session row lock, checks, log, e-mail enqueued) against a bare insert;
- the CSV import of one line per remaining conseiller: dry run, apply, and a second apply
  (idempotent: every line unchanged).
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from territories import percentile, setup_django  # noqa: E402 — the bench database helpers

DOMAIN = "formation.bench.invalid"
PREFIX = "Banc formation"


def clear():
    from cnum.accounts.models import Membership, Organisation, User
    from cnum.structures.models import Structure
    from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession
    from cnum.workflow.models import TransitionLog

    users = User.objects.filter(email__endswith=f"@{DOMAIN}")
    Enrolment.objects.filter(conseiller__in=users).delete()
    TransitionLog.objects.filter(actor__in=users).delete()
    TransitionLog.objects.filter(
        content_type__app_label="training", content_type__model="enrolment"
    ).exclude(object_id__in=Enrolment.objects.values("pk")).delete()
    TrainingSession.objects.filter(organisation__name__startswith=PREFIX).delete()
    Membership.objects.filter(user__in=users).delete()
    TrainingOrganisation.objects.filter(name__startswith=PREFIX).delete()
    Structure.objects.filter(name__startswith=PREFIX).delete()
    Organisation.objects.filter(name__startswith=PREFIX).delete()
    users.delete()


def communes(rng, count):
    from cnum.territories.models import Commune

    rows = list(
        Commune.objects.filter(type=Commune.Type.COMMUNE).values_list("code_insee", "population")
    )
    codes = [code for code, _ in rows]
    weights = [max(population, 1) for _, population in rows]
    chosen = rng.choices(codes, weights=weights, k=count)
    by_code = Commune.objects.select_related("departement").in_bulk(set(chosen))
    return [by_code[code] for code in chosen]


def build(rng, args):
    from cnum.accounts.models import Membership, User
    from cnum.accounts.roles import Role
    from cnum.structures.enums import Status
    from cnum.structures.models import Structure
    from cnum.structures.testing import luhn_complete
    from cnum.training.enums import SessionFormat
    from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession

    today = datetime.date.today()
    organisations = []
    for n, commune in enumerate(communes(rng, args.organisations)):
        organisations.append(
            TrainingOrganisation.objects.create(
                name=f"{PREFIX} {n}",
                siret=luhn_complete(f"{600000000 + n:09d}0001"),
                address="1 rue du Banc",
                commune=commune,
                contact_name="Banc",
                contact_email=f"contact{n}@{DOMAIN}",
                contact_phone="0102030405",
                capacity=200,
            )
        )
    sessions = []
    for organisation in organisations:
        for k in range(args.sessions):
            start = today + datetime.timedelta(days=7 + 21 * k)
            sessions.append(
                TrainingSession(
                    organisation=organisation,
                    name=f"Session {k}",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=120),
                    format=SessionFormat.PRESENTIEL,
                    commune=organisation.commune,
                    capacity=rng.randint(12, 20),
                )
            )
    sessions = TrainingSession.objects.bulk_create(sessions, batch_size=2000)
    structures = []
    for n, commune in enumerate(communes(rng, args.structures)):
        structures.append(
            Structure.objects.create(
                name=f"{PREFIX} structure {n}",
                type="COMMUNE",
                siret=luhn_complete(f"{650000000 + n:09d}0001"),
                address="1 place du Banc",
                commune=commune,
                contact_first_name="B",
                contact_last_name="Banc",
                contact_role="Banc",
                contact_email=f"structure{n}@{DOMAIN}",
                contact_phone="0102030405",
                posts_wanted=5,
                mission_start=today,
                motivation="Banc d'essai.",
                status=Status.VALIDATION_COSELEC,
                confirmed_at=datetime.datetime.now(datetime.UTC),
            )
        )
    users = User.objects.bulk_create(
        [User(email=f"c{n}@{DOMAIN}", password="!") for n in range(args.conseillers)],
        batch_size=5000,
    )
    employer = {u.pk: rng.choice(structures) for u in users}
    Membership.objects.bulk_create(
        [Membership(user=u, role=Role.CONSEILLER, organisation=employer[u.pk]) for u in users],
        batch_size=5000,
    )
    # A third of every session's seats taken (by at most half of the conseillers).
    enrolments, taken = [], 0
    seats = [s for s in sessions for _ in range(s.capacity // 3)][: len(users) // 2]
    for session, person in zip(seats, users, strict=False):
        taken += 1
        enrolments.append(
            Enrolment(
                conseiller=person,
                structure=employer[person.pk],
                organisation=session.organisation,
                session=session,
            )
        )
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    rest = users[taken:]
    return organisations, sessions, structures, employer, rest


def naive_suggestions(structure):
    """Baseline: the same ranking, counting each session's free seats with its own query."""
    from cnum.territories.services import distance_km
    from cnum.training.models import TrainingSession

    origin = (structure.commune.latitude, structure.commune.longitude)
    best = {}
    for session in TrainingSession.objects.select_related("organisation__commune", "commune"):
        if session.start_date < datetime.date.today() or not session.free_seats():
            continue
        place = session.commune or session.organisation.commune
        km = distance_km(origin, (place.latitude, place.longitude))
        best[session.organisation_id] = min(km, best.get(session.organisation_id, km))
    return sorted(best.items(), key=lambda item: item[1])[:8]


def ms(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def bench_suggestions(rng, structures, samples, naive_samples):
    from cnum.training.services import suggest_organisations

    picked = rng.sample(structures, samples)
    suggest_organisations(picked[0])  # warm-up
    fast = [ms(suggest_organisations, s)[0] for s in picked]
    slow = []
    for structure in picked[:naive_samples]:
        duration, expected = ms(naive_suggestions, structure)
        found = [org.pk for org, _, _ in suggest_organisations(structure)]
        assert found == [pk for pk, _ in expected], "the two rankings differ"
        slow.append(duration)
    ratio = statistics.median(slow) / statistics.median(fast)
    print(
        f"\nSuggestions ({samples} structures tirées au hasard, 8 organismes les plus proches) :\n"
        f"  suggest_organisations : p50 {statistics.median(fast):.1f} ms · "
        f"p95 {percentile(fast, 0.95):.1f} ms\n"
        f"  référence naïve (une requête par session, {naive_samples} structures) : p50 "
        f"{statistics.median(slow):.0f} ms\n  rapport naïf / retenu : × {ratio:.0f}"
    )


def bench_enrol(rng, sessions, employer, people, count):
    from django.db import transaction

    from cnum.accounts.models import User
    from cnum.accounts.roles import Role
    from cnum.training import services
    from cnum.training.models import Enrolment

    admin = User.objects.create_user(f"admin@{DOMAIN}", None)
    admin.memberships.create(role=Role.ADMINISTRATEUR, organisation=sessions[0].organisation)
    admin = User.objects.get(pk=admin.pk)
    enrolled, full = [], 0
    for person in people[:count]:
        session = rng.choice(sessions)
        try:
            enrolled.append(ms(services.enrol, admin, person, employer[person.pk], session)[0])
        except services.SessionFull:
            full += 1
    bare = []
    for person in people[count : 2 * count]:
        session = rng.choice(sessions)
        with transaction.atomic():
            bare.append(
                ms(
                    Enrolment.objects.create,
                    conseiller=person,
                    structure=employer[person.pk],
                    organisation=session.organisation,
                    session=session,
                )[0]
            )
    ratio = statistics.median(enrolled) / statistics.median(bare)
    print(
        f"\nInscriptions une à une ({len(enrolled)} réussies, {full} sessions pleines) :\n"
        f"  services.enrol : p50 {statistics.median(enrolled):.1f} ms · "
        f"p95 {percentile(enrolled, 0.95):.1f} ms\n"
        f"  insertion nue (référence) : p50 {statistics.median(bare):.2f} ms\n"
        f"  rapport enrol / insertion nue : × {ratio:.0f}"
    )
    return people[2 * count :]


def bench_import(rng, organisations, people):
    from cnum.training.importer import run_import
    from cnum.workflow.engine import PLATFORM

    rows = ["email;siret;date_debut;date_fin;certification;resultat;date_certification"]
    for person in people:
        org = rng.choice(organisations)
        if rng.random() < 0.5:
            rows.append(f"{person.email};{org.siret};04/01/2021;07/05/2021;CCP1;admis;30/04/2021")
        else:
            rows.append(f"{person.email};{org.siret};06/09/2021;;;;")
    text = "\n".join(rows) + "\n"
    n = len(people)
    print(f"\nImport CSV de {n} lignes :")
    for label, kwargs in (
        ("essai à blanc", {}),
        ("import", {"apply": True}),
        ("réimport (tout inchangé)", {"apply": True}),
    ):
        duration, report = ms(run_import, text, PLATFORM, **kwargs)
        assert not report.errors, report.errors[:3]
        print(
            f"  {label:<26} {duration / 1000:6.1f} s — {n / duration * 1000:,.0f} lignes/s "
            f"({report.count('créée')} créées, {report.count('mise à jour')} mises à jour, "
            f"{report.count('inchangée')} inchangées)".replace(",", " ")
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=600)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--structures", type=int, default=300)
    parser.add_argument("--conseillers", type=int, default=40_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--naive-samples", type=int, default=10)
    parser.add_argument("--enrolments", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cnum.territories.loading import load_territories

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0, interactive=False)
    load_territories()
    rng = random.Random(args.seed)  # noqa: S311 (sampling data, not secrets)
    clear()
    seconds, (organisations, sessions, structures, employer, rest) = ms(build, rng, args)
    print(
        f"Données : {len(organisations)} organismes, {len(sessions)} sessions, "
        f"{len(structures)} structures, {args.conseillers} conseillers ({seconds / 1000:.0f} s)"
    )
    bench_suggestions(rng, structures, args.samples, args.naive_samples)
    rest = bench_enrol(rng, sessions, employer, rest, args.enrolments)
    bench_import(rng, organisations, rest)
    clear()


if __name__ == "__main__":
    main()
