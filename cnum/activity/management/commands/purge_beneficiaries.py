"""manage.py purge_beneficiaries: retention of followed beneficiaries (run daily).

A followed beneficiary with no activity record for 24 months (the programme's rules are silent
on this duration: docs/domaine.md#conservation, cnum.activity.retention) is deleted: name,
contact, birth year and commune are erased, and the records that counted them keep counting an
anonymous participant.
"""

from django.core.management.base import BaseCommand

from cnum.activity.retention import RETENTION_MONTHS, purge_expired


class Command(BaseCommand):
    help = (
        f"Supprime les bénéficiaires suivis sans compte rendu d'activité depuis "
        f"{RETENTION_MONTHS} mois (leurs comptes rendus les comptent comme anonymes). "
        f"À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier la purge au worker de tâches."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from cnum.activity.tasks import purge_beneficiaries_task

            purge_beneficiaries_task.enqueue()
            self.stdout.write("Purge des bénéficiaires suivis confiée au worker.")
            return
        self.stdout.write(f"{purge_expired()} bénéficiaire(s) suivi(s) supprimé(s).")
