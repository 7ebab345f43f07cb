"""Demo candidates for seed_demo: the demo candidate's full profile in Lyon, and 2,000 generated
candidates over mainland, Corsica and overseas départements (deterministic, idempotent)."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, MissingReferenceData
from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.candidates.models import MAX_DISTANCES, SITUATION_FIELDS, CandidateProfile
from cnum.candidates.services import today
from cnum.territories.models import Commune

GENERATED_COUNT = 2000
DEPARTEMENTS = ["69", "75", "13", "33", "59", "44", "35", "2A", "971", "974"]
COMMUNES_PER_DEPARTEMENT = 12
FIRST_NAMES = [
    "Camille", "Léa", "Hugo", "Inès", "Lucas", "Manon", "Nathan", "Chloé", "Yanis", "Sarah",
    "Mathis", "Jade", "Karim", "Awa", "Théo", "Lina", "Maël", "Zoé", "Noah", "Aïcha",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Payet", "Hoarau",
    "Jean-Baptiste",
]  # fmt: skip
MOTIVATIONS = [
    "J'accompagne déjà mes voisins dans leurs démarches en ligne et je souhaite en faire mon "
    "métier.",
    "Ancien agent d'accueil, je veux aider les personnes éloignées du numérique à gagner en "
    "autonomie.",
    "Passionnée de numérique, j'anime des ateliers bénévoles dans une médiathèque.",
]


def _commune(code_insee):
    commune = Commune.objects.filter(code_insee=code_insee).first()
    if commune is None:
        raise MissingReferenceData(code_insee[:2])
    return commune


def seed_demo_candidate(user):
    """The demo candidate (created by the accounts seeder) gets a complete profile in Lyon."""
    CandidateProfile.objects.get_or_create(
        user=user,
        defaults={
            "phone": "0612345678",
            "commune": _commune("69123"),
            "is_job_seeker": True,
            "has_mediation_experience": True,
            "availability_date": today() + datetime.timedelta(days=30),
            "max_distance_km": 20,
            "motivation": MOTIVATIONS[0],
            "pix_level": 2,
            "pix_score_1": 72,
            "pix_score_2": 64,
            "pix_score_3": 58,
            "activated_at": timezone.now(),
            "last_activity_at": timezone.now(),
        },
    )


def _communes_by_departement():
    communes = {}
    for code in DEPARTEMENTS:
        communes[code] = list(
            Commune.objects.filter(departement_id=code, type=Commune.Type.COMMUNE).order_by(
                "-population", "code_insee"
            )[:COMMUNES_PER_DEPARTEMENT]
        )
        if not communes[code]:
            raise MissingReferenceData(code)
    return communes


def _profile(rng, user, commune, start):
    flags = {field: rng.random() < 0.3 for field in SITUATION_FIELDS.values()}
    if not any(flags.values()):
        flags[rng.choice(list(SITUATION_FIELDS.values()))] = True
    now = timezone.now()
    return CandidateProfile(
        user=user,
        phone=f"06{rng.randrange(10**8):08d}",
        commune=commune,
        diploma_name="Titre professionnel Responsable d'espace de médiation numérique"
        if flags["has_diploma"]
        else "",
        availability_date=start + datetime.timedelta(days=rng.randrange(-60, 180)),
        is_available=rng.random() < 0.85,
        max_distance_km=rng.choice(sorted(MAX_DISTANCES)),
        motivation=rng.choice(MOTIVATIONS),
        is_former_conseiller=rng.random() < 0.1,
        pix_level=rng.choice([None, 1, 2, 3]),
        activated_at=now,
        last_activity_at=now,
        **flags,
    )


def seed_generated_candidates(password=None):
    emails = [f"candidat-{n:04d}@{DEMO_DOMAIN}" for n in range(1, GENERATED_COUNT + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [(n, email) for n, email in enumerate(emails, 1) if email not in existing]
    if not missing:
        return 0
    communes = _communes_by_departement()
    # Hashed once (hashing is deliberately slow), or the hash the structures seeder made.
    password = password or make_password(DEMO_PASSWORD)
    now, start = timezone.now(), today()
    users = User.objects.bulk_create(
        User(
            email=email,
            password=password,
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(n * 7) % len(LAST_NAMES)],
            email_confirmed_at=now,
        )
        for n, email in missing
    )
    # bulk_create sets primary keys on SQLite and PostgreSQL; reload to be engine-agnostic.
    users = {u.email: u for u in User.objects.filter(email__in=[e for _, e in missing])}
    grants.grant_many((user, Role.CANDIDAT, None) for user in users.values())
    profiles = []
    for n, email in missing:
        rng = random.Random(n)  # noqa: S311 — per candidate: the same data whatever was seeded before
        departement = DEPARTEMENTS[rng.randrange(len(DEPARTEMENTS))]
        commune = rng.choice(communes[departement])
        profiles.append(_profile(rng, users[email], commune, start))
    CandidateProfile.objects.bulk_create(profiles)
    return len(profiles)


def seed(context):
    seed_demo_candidate(context["users"][Role.CANDIDAT])
    context["candidates_created"] = seed_generated_candidates(context.get("demo_password_hash"))
