from django.core.management.base import BaseCommand

from cnum.profiles import dormancy


class Command(BaseCommand):
    help = (
        "Comptes inactifs de tous les rôles (hors candidats, voir purge_inactive_candidates) : "
        "prévient, désactive puis anonymise selon les délais INACTIVE_ACCOUNT_*. À lancer "
        "chaque jour."
    )

    def handle(self, *args, **options):
        counts = dormancy.run()
        self.stdout.write(
            f"{counts['prevenus']} compte(s) prévenu(s), {counts['desactives']} désactivé(s), "
            f"{counts['anonymises']} anonymisé(s), {counts['conserves']} conservé(s) "
            "(rôle ou contrat en cours)."
        )
