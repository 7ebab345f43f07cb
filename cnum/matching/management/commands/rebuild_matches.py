"""manage.py rebuild_matches --check | --fix: stored matches against the live state."""

from django.core.management.base import BaseCommand, CommandError

from cnum.matching import consistency


class Command(BaseCommand):
    help = (
        "Vérifie les mises en relation enregistrées (--check, code de sortie 1 s'il y a des "
        "incohérences) ou les répare par les transitions de la plateforme (--fix)."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--check", action="store_true", help="Signaler sans rien modifier.")
        mode.add_argument("--fix", action="store_true", help="Réparer.")

    def handle(self, *args, check=False, fix=False, **options):
        found = consistency.find()
        for item in found:
            self.stdout.write(str(item))
        if fix:
            fixed = consistency.fix(found)
            self.stdout.write(f"{fixed} mise(s) en relation réparée(s).")
            return
        if found:
            raise CommandError(f"{len(found)} incohérence(s) trouvée(s).", returncode=1)
        self.stdout.write("Aucune incohérence.")
