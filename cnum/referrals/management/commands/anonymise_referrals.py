"""manage.py anonymise_referrals: retention of referrals' personal data
(docs/orientations.md#conservation).

REFERRAL_RETENTION_DAYS after a referral ends, its contact, what was already done and its
attachments are erased; the anonymous referral stays for the statistics. Idempotent.
"""

from django.core.management.base import BaseCommand

from cnum.referrals.retention import anonymise_due


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des orientations terminées depuis le délai de "
        "conservation."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{anonymise_due()} orientation(s) anonymisée(s).")
