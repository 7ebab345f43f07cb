from django.core.management.base import BaseCommand, CommandError

from cnum.territories.loading import DEFAULT_DATA_FILE, DataFileError, load_territories


class Command(BaseCommand):
    help = (
        "Charge le référentiel des territoires (régions, départements, communes, codes postaux). "
        "Sans effet si ce fichier est déjà chargé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(DEFAULT_DATA_FILE),
            help=f"fichier de données (défaut : {DEFAULT_DATA_FILE})",
        )
        parser.add_argument(
            "--force", action="store_true", help="recharger même si le fichier est inchangé"
        )

    def handle(self, *args, file, force, verbosity, **options):
        try:
            report = load_territories(file, force=force)
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity == 0:
            return
        counts = report.counts
        totals = (
            f"{counts.get('communes', 0)} communes, {counts.get('départements', 0)} départements, "
            f"{counts.get('régions', 0)} régions, {counts.get('codes postaux', 0)} codes postaux"
        )
        if report.up_to_date:
            self.stdout.write(f"Référentiel des territoires déjà à jour ({totals}).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Référentiel des territoires chargé en {report.seconds:.1f} s ({totals})."
            )
        )
        if verbosity > 1:
            for name, (created, updated) in report.changes.items():
                verb = "supprimés" if name == "codes postaux" else "modifiés"
                self.stdout.write(f"  {name} : {created} créés, {updated} {verb}")
            self.stdout.write(f"  lignes supprimées : {report.deleted}")
        if report.kept:
            self.stdout.write(
                self.style.WARNING(
                    "Absents du fichier mais conservés car encore utilisés : "
                    + ", ".join(report.kept)
                )
            )
