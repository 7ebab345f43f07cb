"""manage.py verify_ledger: cached balances against the sum of the ledger rows (daily)."""

from django.core.management.base import BaseCommand, CommandError

from cnum.funding import ledger


class Command(BaseCommand):
    help = "Vérifie que les soldes enregistrés égalent la somme des écritures du grand livre."

    def handle(self, *args, **options):
        wrong = ledger.verify()
        for cached, expected in wrong:
            self.stderr.write(
                f"Écart : {cached} — attendu engagé {expected.committed} c, versé {expected.paid} c"
            )
        if wrong:
            raise CommandError(f"{len(wrong)} solde(s) différent(s) de la somme des écritures.")
        self.stdout.write("Grand livre cohérent : chaque solde égale la somme de ses écritures.")
