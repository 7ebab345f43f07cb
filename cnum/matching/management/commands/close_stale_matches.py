"""manage.py close_stale_matches: daily closing of matches left waiting past their delay."""

from django.core.management.base import BaseCommand

from cnum.matching import staleness


class Command(BaseCommand):
    help = (
        "Clôt les mises en relation restées « nouvelles » ou « présélectionnées » au-delà du "
        "délai réglé, et prévient les structures et les candidats présélectionnés. À lancer "
        "chaque jour."
    )

    def handle(self, *args, **options):
        closed, structures = staleness.close_stale()
        self.stdout.write(
            f"{closed} mise(s) en relation close(s), {structures} structure(s) prévenue(s)."
        )
