"""manage.py end_contracts: contracts whose end date passed with no renewal end (run daily)."""

from django.core.management.base import BaseCommand

from cnum.recruitment.services import end_expired_contracts
from cnum.recruitment.tasks import end_contracts_task


class Command(BaseCommand):
    help = "Clôt les contrats arrivés à échéance sans renouvellement (à lancer chaque jour)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier le traitement au worker de tâches."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            end_contracts_task.enqueue()
            self.stdout.write("Traitement confié au worker de tâches.")
            return
        self.stdout.write(f"{end_expired_contracts()} contrat(s) clos.")
