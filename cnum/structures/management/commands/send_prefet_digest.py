"""manage.py send_prefet_digest: e-mail each préfet what awaits their opinion (run daily)."""

from django.core.management.base import BaseCommand

from cnum.structures.tasks import prefet_digest_task, send_prefet_digests


class Command(BaseCommand):
    help = "Envoie à chaque préfet la liste des dossiers qui attendent son avis."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier l'envoi au worker de tâches."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            prefet_digest_task.enqueue()
            self.stdout.write("Envoi confié au worker de tâches.")
            return
        self.stdout.write(f"{send_prefet_digests()} courriel(s) préparé(s).")
