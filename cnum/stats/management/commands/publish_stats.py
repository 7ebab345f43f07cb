"""manage.py publish_stats: new snapshot of the public statistics (run every 15 minutes).

The figures of France, every région and every département, statistical secrecy applied, take
seconds to compute at national scale: the scheduler stores them here, every 15 minutes, as the
snapshot every web process serves (cnum.stats.public). A page that finds it older than
STATS_PUBLIC_CACHE_SECONDS still serves it and asks the task worker for a new one.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cnum.stats.public import refresh_publication


class Command(BaseCommand):
    help = (
        "Recalcule les statistiques publiques (secret statistique appliqué) et les enregistre "
        "pour toutes les pages publiques. À lancer toutes les 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier le calcul au worker de tâches."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from cnum.stats.tasks import refresh_public_statistics

            refresh_public_statistics.enqueue()
            self.stdout.write("Calcul des statistiques publiques confié au worker.")
            return
        data = refresh_publication()
        computed_at = timezone.localtime(data.computed_at)
        self.stdout.write(
            f"Statistiques publiques calculées le {computed_at:%d/%m/%Y à %H:%M} "
            f"({len(data.territories)} territoires)."
        )
