"""manage.py send_inactivity_reminders: reminders to conseillers without activity (daily)."""

from django.core.management.base import BaseCommand

from cnum.followup.reminders import send_inactivity_reminders


class Command(BaseCommand):
    help = (
        "Rappelle les conseillers en poste sans activité enregistrée (premier seuil), puis "
        "informe aussi leur structure et leur coordinateur (second seuil). À lancer chaque jour."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_inactivity_reminders()} conseiller(s) rappelé(s).")
