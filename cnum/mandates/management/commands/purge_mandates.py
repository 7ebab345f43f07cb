from django.core.management.base import BaseCommand

from cnum.mandates.retention import purge_ended_mandates


class Command(BaseCommand):
    help = "Supprime les mandats terminés au-delà de la durée de conservation (--apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="supprimer réellement")

    def handle(self, *args, apply=False, **options):
        count = purge_ended_mandates(dry_run=not apply)
        verb = "supprimé(s)" if apply else "à supprimer (relancer avec --apply)"
        self.stdout.write(f"{count} mandat(s) {verb}.")
