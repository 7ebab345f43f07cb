"""manage.py send_availability_survey: the daily "toujours disponible ?" mailing."""

from django.core.management.base import BaseCommand

from cnum.candidates import survey


class Command(BaseCommand):
    help = (
        "Demande aux candidats disponibles sans nouvelles depuis la période réglée s'ils sont "
        "toujours disponibles (liens signés oui / non). À lancer chaque jour."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{survey.send()} candidat(s) interrogé(s).")
