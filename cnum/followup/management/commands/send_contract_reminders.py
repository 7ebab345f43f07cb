"""manage.py send_contract_reminders: structures reminded of contracts that end (daily)."""

from django.core.management.base import BaseCommand

from cnum.followup.renewals import send_contract_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux structures les contrats qui prennent fin (4 puis 2 mois avant, par "
        "défaut), avec le lien de renouvellement. À lancer chaque jour."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_contract_reminders()} contrat(s) rappelé(s).")
