"""Reference data of the programme: the three envelopes and the first funding grid
(docs/domaine.md#financement).

Written with the model classes passed in, so the data migration (historical models) and the
demo or test set-up (current models) share one definition; idempotent.
"""

import datetime

ENVELOPES = [
    # code, name, purpose, ceiling in euros
    ("conseillers-2020", "Conseillers numériques — France Relance", "CONSEILLERS", 200_000_000),
    ("kits-2020", "Kits de médiation numérique — France Relance", "KITS", 40_000_000),
    ("aidants-connect-2020", "Aidants Connect — France Relance", "AIDANTS_CONNECT", 10_000_000),
]
GRID_FROM = datetime.date(2020, 11, 1)
# Subsidy per post for the two years, in cents.
GRID_AMOUNTS = {
    "PUBLIC_METROPOLE": 5_000_000,
    "PRIVEE": 3_200_000,
    "ANTILLES_GUYANE": 7_000_000,
    "REUNION_MAYOTTE": 6_750_000,
}
# rank, label, share in basis points, months after the convention's validation
INSTALMENTS = [
    (1, "Premier versement", 5000, 0),
    (2, "Deuxième versement", 3000, 12),
    (3, "Solde", 2000, 24),
]


def install(Envelope, GridVersion, GridAmount, InstalmentRule):
    for code, name, purpose, euros in ENVELOPES:
        Envelope.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "purpose": purpose,
                "ceiling_cents": euros * 100,
                "opens_on": GRID_FROM,
            },
        )
    version, created = GridVersion.objects.get_or_create(
        effective_from=GRID_FROM,
        defaults={
            "name": "Grille France Relance (2020)",
            "training_cents": 480_500,
            "equipment_cents": 29_723,
            "certification_cents": 32_660,
            "target_cents": 5_000_000,
            "subsidy_months": 24,
        },
    )
    if created:
        for category, cents in GRID_AMOUNTS.items():
            GridAmount.objects.create(version=version, category=category, amount_cents=cents)
        for rank, label, share, months in INSTALMENTS:
            InstalmentRule.objects.create(
                version=version, rank=rank, label=label, share_bp=share, months_after=months
            )


def ensure():
    from cnum.funding.models import Envelope, GridAmount, GridVersion, InstalmentRule

    install(Envelope, GridVersion, GridAmount, InstalmentRule)
