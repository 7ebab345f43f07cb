"""manage.py seed_demo: demo organisations and accounts (development only, idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from cnum.accounts.demo import (  # noqa: F401 — re-exported for the README and browser tests
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    MissingReferenceData,
)

# One function per part, run in this order, each receiving the context the previous ones filled.
SEEDERS = [
    "cnum.accounts.demo.seed",
    "cnum.partners.demo.seed",
    "cnum.structures.demo.seed",
    "cnum.funding.demo.seed",
    "cnum.places.demo.seed",
    "cnum.workshops.demo.seed",
    "cnum.activity.demo.seed",
    "cnum.referrals.demo.seed",
    "cnum.mandates.demo.seed",
    "cnum.candidates.demo.seed",
    "cnum.matching.demo.seed",
    "cnum.recruitment.demo.seed",
    "cnum.allocation.demo.seed",
    "cnum.training.demo.seed",
    "cnum.coordination.demo.seed",
    "cnum.communication.demo.seed",
    "cnum.stats.demo.seed",  # last: rebuilds the rollups from every demo record
]


class Command(BaseCommand):
    help = "Crée les données de démonstration (comptes de chaque rôle, organisations)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo crée des comptes aux mots de passe publics : il ne s'exécute "
                "qu'en développement (DEBUG activé)."
            )
        context = {}
        try:
            with transaction.atomic():
                for path in SEEDERS:
                    import_string(path)(context)
        except MissingReferenceData as error:
            raise CommandError(
                f"Le département {error} est absent du référentiel : lancez d'abord "
                "« manage.py load_territories »."
            ) from error
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:45} {account.label}")
        self.stdout.write(
            f"Double authentification des rôles qui l'exigent : clé {DEMO_TOTP_SECRET} "
            "à ajouter dans une application d'authentification."
        )
