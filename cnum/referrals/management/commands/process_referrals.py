"""manage.py process_referrals: the daily pass over waiting referrals (docs/orientations.md#delais).

Referrals with no answer expire after REFERRAL_EXPIRY_DAYS (the conseiller is told); those
waiting for REFERRAL_REMINDER_DAYS get one reminder to their receiver. Idempotent.
"""

from django.core.management.base import BaseCommand

from cnum.referrals.lifecycle import run_daily


class Command(BaseCommand):
    help = (
        "Relance les destinataires des orientations sans réponse et fait expirer les plus "
        "anciennes."
    )

    def handle(self, *args, **options):
        expired, reminded = run_daily()
        self.stdout.write(f"{expired} orientation(s) expirée(s), {reminded} relance(s) envoyée(s).")
