"""manage.py rebuild_stats [--check] [--fix]: the activity rollups recomputed from the records."""

import sys

from django.core.management.base import BaseCommand, CommandError

from cnum.stats import rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats statistiques d'activité à partir des CRA. Avec --check, "
        "compare seulement ; avec --fix, réécrit les seules lignes différentes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="comparer sans rien modifier (code 1 si écart)"
        )
        parser.add_argument(
            "--fix", action="store_true", help="réécrire uniquement les lignes différentes"
        )

    def handle(self, *args, check=False, fix=False, **options):
        if not (check or fix):
            count = rebuild.rebuild(progress=self._progress)
            sys.stderr.write("\n")
            self.stdout.write(f"Agrégats recalculés à partir de {count} CRA.")
            return
        differences = rebuild.check(fix=fix, progress=self._progress)
        sys.stderr.write("\n")
        for difference in differences[:1000]:
            self.stdout.write(difference.describe())
        if len(differences) > 1000:
            self.stdout.write(f"… et {len(differences) - 1000} autre(s) ligne(s).")
        if not differences:
            self.stdout.write("Les agrégats correspondent aux CRA.")
        elif fix:
            self.stdout.write(f"{len(differences)} ligne(s) d'agrégat corrigée(s).")
        else:
            raise CommandError(
                f"{len(differences)} ligne(s) d'agrégat diffèrent des CRA : "
                "relancez avec --fix pour les corriger."
            )

    def _progress(self, done, total):
        sys.stderr.write(f"\r{done} / {total} CRA lus")
        sys.stderr.flush()
