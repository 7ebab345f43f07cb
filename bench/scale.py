"""Synthetic national-scale data for benchmarks: candidates and validated structures.

    from bench.scale import generate
    generate(candidates=40_000, structures=3_000, posts=4_000, seed=2026)

Works on SQLite and PostgreSQL against a database prepared with `migrate` + `load_territories`.
Bulk inserts only (no model save, no signal): benchmark data, never a substitute for the
services in tests. Geography is realistic: people and structures are placed in real communes
drawn with a probability proportional to their population (mainland, Corsica and overseas);
maximum distances spread over the allowed values; availability dates over the next six months;
Pix levels for part of the candidates; structures in VALIDATION_COSELEC with one positive
committee decision each, granting `posts` posts in total.

`clear()` removes what `generate` created (bench databases only). `ensure(...)` regenerates only
when the counts differ, so a second run reuses the data.
"""

import datetime
import random
import time

BENCH_DOMAIN = "bench.invalid"
STRUCTURE_NAME = "Structure de banc d'essai"
BATCH = 5_000
# Share of candidates per maximum distance (km): most pick a local radius, a fifth all France.
DISTANCE_WEIGHTS = {5: 5, 10: 10, 15: 10, 20: 20, 40: 20, 100: 15, 2000: 20}
FIRST_NAMES = [
    "Camille", "Dominique", "Claude", "Alix", "Sacha", "Lou", "Noa", "Charlie", "Maxime",
    "Léa", "Hugo", "Inès", "Yanis", "Manon", "Nathan", "Chloé", "Karim", "Aïcha", "Mathis",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèbvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
]  # fmt: skip


def _communes():
    """(codes, cumulative population weights) of every commune (not arrondissements)."""
    from cnum.territories.models import Commune

    rows = list(
        Commune.objects.filter(type=Commune.Type.COMMUNE)
        .order_by("code_insee")
        .values_list("code_insee", "population", "departement_id")
    )
    if not rows:
        raise RuntimeError("Référentiel des territoires absent : lancez load_territories.")
    codes = [code for code, _, _ in rows]
    weights = [max(population, 1) for _, population, _ in rows]
    return codes, weights, {code: dep for code, _, dep in rows}


def _bulk(model, objects):
    for start in range(0, len(objects), BATCH):
        model.objects.bulk_create(objects[start : start + BATCH], batch_size=BATCH)


def _users(prefix, count, rng, now):
    from cnum.accounts.models import User

    users = [
        User(
            email=f"{prefix}-{i}@{BENCH_DOMAIN}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            password="!",  # unusable password: nobody logs in with bench accounts
            email_confirmed_at=now,
            date_joined=now,
        )
        for i in range(count)
    ]
    _bulk(User, users)
    return dict(
        User.objects.filter(email__startswith=f"{prefix}-", email__endswith=BENCH_DOMAIN)
        .values_list("email", "pk")
        .iterator(chunk_size=BATCH)
    )


def _candidates(count, rng, communes, today, now):
    from cnum.candidates.models import CandidateProfile

    codes, weights, _ = communes
    ids = _users("cand", count, rng, now)
    distances, distance_weights = zip(*DISTANCE_WEIGHTS.items(), strict=True)
    homes = rng.choices(codes, weights=weights, k=count)
    radii = rng.choices(distances, weights=distance_weights, k=count)
    profiles = []
    for i in range(count):
        pix = rng.choice((1, 2, 3)) if rng.random() < 0.4 else None
        diploma = rng.random() < 0.15
        profiles.append(
            CandidateProfile(
                user_id=ids[f"cand-{i}@{BENCH_DOMAIN}"],
                phone="0612345678",
                commune_id=homes[i],
                is_job_seeker=rng.random() < 0.7 or not diploma,
                has_diploma=diploma,
                diploma_name="Titre professionnel REMN" if diploma else "",
                has_mediation_experience=rng.random() < 0.3,
                availability_date=today + datetime.timedelta(days=rng.randint(0, 180)),
                is_available=rng.random() < 0.85,
                max_distance_km=radii[i],
                motivation="Accompagner les personnes éloignées du numérique.",
                is_former_conseiller=rng.random() < 0.05,
                pix_level=pix,
                pix_score_1=rng.randint(0, 100) if pix else None,
                cv_file="cv/bench.bin" if rng.random() < 0.3 else "",
                activated_at=now if rng.random() < 0.97 else None,
                last_activity_at=now,
            )
        )
    _bulk(CandidateProfile, profiles)


def _structures(count, posts, rng, communes, today, now):
    """Organisations, then their Structure rows (multi-table inheritance: no bulk_create)."""
    from django.db import connection

    from cnum.accounts.models import Organisation
    from cnum.accounts.roles import OrganisationKind
    from cnum.structures.enums import CommitteeOpinion, Status, StructureType
    from cnum.structures.models import CommitteeDecision, Structure
    from cnum.territories.models import Departement

    codes, weights, departement_of = communes
    regions = dict(Departement.objects.values_list("code", "region_id"))
    homes = rng.choices(codes, weights=weights, k=count)
    start = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    organisations = [
        Organisation(
            kind=OrganisationKind.STRUCTURE,
            name=f"{STRUCTURE_NAME} {i}",
            departement_id=departement_of[homes[i]],
            region_id=regions[departement_of[homes[i]]],
            created_at=now,
        )
        for i in range(count)
    ]
    _bulk(Organisation, organisations)
    pks = list(
        Organisation.objects.filter(pk__gt=start, kind=OrganisationKind.STRUCTURE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    types = [t for t in StructureType.values]
    values = {
        "type": None,
        "siret": None,
        "address": "1 place de la Mairie",
        "commune_id": None,
        "contact_first_name": "Alex",
        "contact_last_name": "Durand",
        "contact_role": "Direction",
        "contact_email": "contact@bench.invalid",
        "contact_phone": "0102030405",
        "posts_wanted": 1,
        "mission_start": None,
        "candidate_identified": False,
        "motivation": "Banc d'essai.",
        "commitments_accepted": True,
        "coordinator_post": "",
        "zrr": False,
        "qpv": False,
        "france_services": False,
        "aidants_connect": False,
        "network_id": None,
        "status": Status.VALIDATION_COSELEC,
        "duplicate_of_id": None,
        "call_id": None,
        "confirmed_at": now,
    }
    table = connection.ops.quote_name(Structure._meta.db_table)
    columns = ["organisation_ptr_id", *values]
    sql_columns = ", ".join(
        connection.ops.quote_name(Structure._meta.get_field(c.removesuffix("_id")).column)
        if c != "organisation_ptr_id"
        else connection.ops.quote_name("organisation_ptr_id")
        for c in columns
    )
    placeholders = ", ".join(["%s"] * len(columns))
    granted = _spread(posts, count, rng)
    rows = []
    for i, pk in enumerate(pks):
        row = dict(values)
        row.update(
            type=rng.choice(types),
            siret=f"{90000000000000 + pk:014d}",  # unique; not Luhn-checked (bench only)
            commune_id=homes[i],
            posts_wanted=granted[i],
            mission_start=today + datetime.timedelta(days=rng.randint(0, 120)),
        )
        rows.append([pk, *row.values()])
    with connection.cursor() as cursor:
        for first in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({sql_columns}) VALUES ({placeholders})",  # noqa: S608
                rows[first : first + BATCH],
            )
    admin = _users("admin", 1, rng, now)[f"admin-0@{BENCH_DOMAIN}"]
    decisions = [
        CommitteeDecision(
            structure_id=pk,
            opinion=CommitteeOpinion.POSITIF,
            posts_granted=granted[i],
            decided_by_id=admin,
        )
        for i, pk in enumerate(pks)
    ]
    _bulk(CommitteeDecision, decisions)


def _spread(total, count, rng):
    """`count` positive integers summing to max(total, count): one post each, the rest random."""
    granted = [1] * count
    for index in rng.choices(range(count), k=max(total - count, 0)):
        granted[index] += 1
    return granted


def generate(*, candidates=40_000, structures=3_000, posts=None, seed=2026):
    """Insert `candidates` profiles and `structures` validated structures; returns seconds."""
    from django.db import transaction
    from django.utils import timezone

    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    now = timezone.now()
    today = timezone.localdate()
    communes = _communes()
    with transaction.atomic():
        _candidates(candidates, rng, communes, today, now)
        _structures(structures, posts or round(structures * 4 / 3), rng, communes, today, now)
    _analyze()
    return time.perf_counter() - started


def _analyze():
    """Fresh planner statistics (bulk-loaded tables otherwise look empty to the planner) and, on
    PostgreSQL, the visibility map that lets counts be index-only scans, as autovacuum would."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def clear():
    """Delete everything `generate` inserted (and the matches pointing to it)."""
    from django.db import connection, transaction

    from cnum.accounts.models import Organisation, User
    from cnum.accounts.roles import OrganisationKind
    from cnum.candidates.models import CandidateProfile
    from cnum.matching.models import Match
    from cnum.structures.models import CommitteeDecision, Structure

    bench_users = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").values("pk")
    organisations = Organisation.objects.filter(
        kind=OrganisationKind.STRUCTURE, name__startswith=STRUCTURE_NAME
    ).values("pk")
    with transaction.atomic():
        Match.objects.filter(structure__in=organisations)._raw_delete(connection.alias)
        Match.objects.filter(candidate__user__in=bench_users)._raw_delete(connection.alias)
        CommitteeDecision.objects.filter(structure__in=organisations)._raw_delete(connection.alias)
        Structure.objects.filter(pk__in=organisations)._raw_delete(connection.alias)
        Organisation.objects.filter(
            kind=OrganisationKind.STRUCTURE, name__startswith=STRUCTURE_NAME
        )._raw_delete(connection.alias)
        CandidateProfile.objects.filter(user__in=bench_users)._raw_delete(connection.alias)
        User.objects.filter(pk__in=bench_users)._raw_delete(connection.alias)


def counts():
    from cnum.accounts.models import User
    from cnum.candidates.models import CandidateProfile
    from cnum.structures.models import Structure

    return (
        CandidateProfile.objects.filter(user__email__endswith=f"@{BENCH_DOMAIN}").count(),
        Structure.objects.filter(name__startswith=STRUCTURE_NAME).count(),
        User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").exists(),
    )


def ensure(*, candidates, structures, posts=None, seed=2026):
    """Generate unless the database already holds exactly this much bench data.

    Returns the generation time in seconds, or None when the data was reused."""
    have_candidates, have_structures, _ = counts()
    if (have_candidates, have_structures) == (candidates, structures):
        return None
    clear()
    return generate(candidates=candidates, structures=structures, posts=posts, seed=seed)


def database_url(name):
    """The bench database `name`: var/<name>.sqlite3, or the PostgreSQL database <name> next to
    DATABASE_URL's (created if missing)."""
    import os
    from pathlib import Path
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                db.execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(parts._replace(path=f"/{name}"))
    var = Path(__file__).resolve().parent.parent / "var"
    var.mkdir(exist_ok=True)
    return f"sqlite:///{var / f'{name}.sqlite3'}"


def setup_django(name):
    """Point Django at the bench database `name` (`database_url`), migrated and loaded with the
    territories. Call before importing models."""
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    url = database_url(name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnum.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from cnum.territories.loading import load_territories

    call_command("migrate", verbosity=0, interactive=False)
    load_territories()
    return url
