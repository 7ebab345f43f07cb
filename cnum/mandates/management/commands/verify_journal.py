"""manage.py verify_journal: check the Aidants Connect journal's hash chain."""

from django.core.management.base import BaseCommand, CommandError

from cnum.mandates.verification import verify_journal


class Command(BaseCommand):
    help = "Vérifie l'intégrité du journal Aidants Connect (chaînage des empreintes)."

    def handle(self, *args, **options):
        report = verify_journal()
        if report.ok:
            self.stdout.write(f"Journal intègre : {report.checked} ligne(s) vérifiée(s).")
            return
        for problem in report.problems:
            self.stderr.write(str(problem))
        raise CommandError(
            f"Journal altéré : {len(report.problems)} anomalie(s) sur {report.checked} ligne(s)."
        )
