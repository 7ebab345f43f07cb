from django.core.management.base import BaseCommand

from cnum.candidates import retention


class Command(BaseCommand):
    help = (
        "Prévient les candidats inactifs depuis 29 mois et supprime ceux inactifs depuis 30 mois "
        "(archive anonymisée conservée). À lancer chaque jour."
    )

    def handle(self, *args, **options):
        warned = retention.warn_inactive()
        deleted, kept = retention.purge_inactive()
        self.stdout.write(
            f"{warned} candidat(s) prévenu(s), {deleted} supprimé(s), "
            f"{kept} conservé(s) (historique de recrutement à garder)."
        )
