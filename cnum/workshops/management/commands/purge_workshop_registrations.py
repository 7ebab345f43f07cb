"""manage.py purge_workshop_registrations: delete old registrations' personal data and the
requests never confirmed (daily)."""

from django.core.management.base import BaseCommand

from cnum.workshops.services import RETENTION_DAYS, purge_registrations


class Command(BaseCommand):
    help = (
        f"Supprime les inscriptions (noms et coordonnées) aux ateliers passés depuis plus de "
        f"{RETENTION_DAYS} jours et les demandes d'inscription non confirmées à temps."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_registrations()} inscription(s) supprimée(s).")
