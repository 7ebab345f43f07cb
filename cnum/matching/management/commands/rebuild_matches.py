"""manage.py rebuild_matches --check | --fix: stored matches, and the tally of eligible
candidates per commune (cnum.matching.tally), against the live state."""

from django.core.management.base import BaseCommand, CommandError

from cnum.matching import consistency, tally


class Command(BaseCommand):
    help = (
        "Vérifie les mises en relation enregistrées et les effectifs de candidats éligibles "
        "par commune (--check, code de sortie 1 s'il y a des incohérences) ou les répare "
        "(--fix : transitions de la plateforme, effectifs recalculés)."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--check", action="store_true", help="Signaler sans rien modifier.")
        mode.add_argument("--fix", action="store_true", help="Réparer.")

    def handle(self, *args, check=False, fix=False, **options):
        found = consistency.find()
        for item in found:
            self.stdout.write(str(item))
        counts = tally.differences()
        for kind, code, km, stored, live in counts:
            self.stdout.write(
                f"effectif des candidats éligibles, {kind} {code}, {km} km : "
                f"{stored} enregistré(s) pour {live} en réalité"
            )
        if fix:
            fixed = consistency.fix(found)
            self.stdout.write(f"{fixed} mise(s) en relation réparée(s).")
            if counts:
                tally.rebuild()
                self.stdout.write(f"{len(counts)} effectif(s) de candidats recalculé(s).")
            return
        if found or counts:
            total = len(found) + len(counts)
            raise CommandError(f"{total} incohérence(s) trouvée(s).", returncode=1)
        self.stdout.write("Aucune incohérence.")
