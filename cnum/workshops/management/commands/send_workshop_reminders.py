"""manage.py send_workshop_reminders: remind people of tomorrow's workshops (run daily)."""

from django.core.management.base import BaseCommand

from cnum.workshops.services import send_reminders
from cnum.workshops.tasks import workshop_reminders_task


class Command(BaseCommand):
    help = "Envoie un rappel aux personnes inscrites aux ateliers du lendemain."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier l'envoi au worker de tâches."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            workshop_reminders_task.enqueue()
            self.stdout.write("Envoi confié au worker de tâches.")
            return
        self.stdout.write(f"{send_reminders()} rappel(s) préparé(s).")
