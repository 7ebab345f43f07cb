"""manage.py import_legacy_cra FILE --mapping MAPPING.csv [--resume] [--report ERRORS.csv]
[--readers N]"""

import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from cnum.activity.importer import BATCH_SIZE, load_directory, run_import
from cnum.activity.models import ImportErrorRow


class Command(BaseCommand):
    help = "Importe des CRA v1 (export mongoexport JSON Lines ou CSV) de façon idempotente."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="CSV identifiant v1 → e-mail/SIRET")
        parser.add_argument("--resume", action="store_true", help="reprendre après le dernier lot")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--report", help="écrire les erreurs ligne par ligne dans ce CSV")
        parser.add_argument(
            "--readers",
            type=int,
            help="processus de lecture (0 : lire dans ce processus ; par défaut un par processeur "
            "pour un fichier JSON Lines de plus de 4 Mo)",
        )

    def handle(self, *args, **options):
        for name in (options["file"], options["mapping"]):
            try:
                open(name, "rb").close()
            except OSError as exc:
                raise CommandError(f"Fichier illisible : {name} ({exc.strerror})") from None
        directory = load_directory(options["mapping"])
        for message in directory.refused.values():
            self.stdout.write(f"Correspondance refusée : {message}")
        job = run_import(
            options["file"],
            options["mapping"],
            directory=directory,
            resume=options["resume"],
            batch_size=max(1, options["batch_size"]),
            readers=None if options["readers"] is None else max(0, options["readers"]),
            progress=self._progress,
        )
        sys.stderr.write("\n")
        self.stdout.write(
            f"{job.imported} importé(s), {job.skipped} déjà présent(s), "
            f"{job.errors} erreur(s) — {job.offset} ligne(s) traitée(s)."
        )
        rows = ImportErrorRow.objects.filter(job=job).order_by("line")
        if options["report"]:
            with open(options["report"], "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(["ligne", "identifiant_v1", "erreur"])
                for row in rows.iterator():
                    writer.writerow([row.line, row.legacy_id, row.message])
        else:
            for row in rows[:100]:
                self.stdout.write(f"ligne {row.line} ({row.legacy_id or '?'}) : {row.message}")

    def _progress(self, done, size, job):
        ratio = done / size if size else 1
        bar = "#" * int(ratio * 30)
        sys.stderr.write(f"\r[{bar:<30}] {ratio:4.0%}  {job.offset} lignes, {job.errors} erreurs")
        sys.stderr.flush()
