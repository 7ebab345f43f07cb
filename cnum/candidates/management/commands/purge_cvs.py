from django.core.management.base import BaseCommand

from cnum.candidates import services


class Command(BaseCommand):
    help = "Supprime les CV déposés il y a plus de six mois (à lancer chaque jour)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier la purge au worker de tâches."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from cnum.candidates.tasks import purge_expired_cvs

            purge_expired_cvs.enqueue()
            self.stdout.write("Purge des CV confiée au worker.")
            return
        count = services.purge_expired_cvs()
        self.stdout.write(f"{count} CV supprimé{'s' if count > 1 else ''}.")
