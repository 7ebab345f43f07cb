"""manage.py import_training FILE [--apply [--partial]]: training dates and certifications.

A dry run unless --apply: the report says what would change. With --apply, nothing is imported
if any line is wrong, unless --partial (then the valid lines are imported).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cnum.training.csvparse import decode
from cnum.training.importer import CREATED, UNCHANGED, UPDATED, run_import
from cnum.workflow.engine import PLATFORM


class Command(BaseCommand):
    help = (
        "Importe les dates de formation et les certifications d'un fichier CSV "
        "(essai à blanc par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier CSV (en-tête : email;siret;date_debut;…)")
        parser.add_argument("--apply", action="store_true", help="importer pour de bon")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="avec --apply : importer les lignes valides même si d'autres sont en erreur",
        )

    def handle(self, path, apply, partial, **options):
        if partial and not apply:
            raise CommandError("--partial ne s'emploie qu'avec --apply.")
        try:
            text = decode(Path(path).read_bytes())
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error.strerror or error}.") from error
        report = run_import(text, PLATFORM, apply=apply, partial=partial)
        for number, action, error in report.lines():
            self.stdout.write(f"ligne {number} : " + (f"ERREUR — {error}" if error else action))
        counts = ", ".join(
            f"{report.count(action)} {action}" for action in (CREATED, UPDATED, UNCHANGED)
        )
        self.stdout.write(f"{counts} ; {len(report.errors)} ligne(s) en erreur.")
        if report.applied:
            self.stdout.write(self.style.SUCCESS("Import effectué."))
        elif apply:
            raise CommandError(
                "Rien n'a été importé : corrigez les lignes en erreur, ou relancez avec "
                "--partial pour importer les lignes valides."
            )
        else:
            self.stdout.write("Essai à blanc : rien n'a été enregistré (ajoutez --apply).")
