from django.core.management.base import BaseCommand

from cnum.mandates.retention import send_expiry_reminders


class Command(BaseCommand):
    help = "Envoie les rappels des mandats qui expirent dans les 30 jours."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_expiry_reminders()} rappel(s) envoyé(s).")
