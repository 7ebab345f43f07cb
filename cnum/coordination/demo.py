"""Demo coordination activities (seed_demo): a few of the demo coordinator's own activities over
the last months, so that "Mes activités" and the summary on "Mon équipe" have rows. Idempotent:
keyed by title."""

import datetime

from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.coordination.models import ActivityKind, CoordinatorActivity

# kind, title, days ago, minutes, participants
DEMO_ACTIVITIES = [
    (ActivityKind.ANIMATION, "Réunion mensuelle des conseillers (démo)", 6, 120, 14),
    (ActivityKind.PARTENARIAT, "Rencontre avec la médiathèque (démo)", 20, 60, 3),
    (ActivityKind.EVENEMENT, "Fête du numérique (démo)", 45, 300, 80),
    (ActivityKind.FORMATION, "Atelier d'échange de pratiques (démo)", 75, 180, 9),
]


def seed(context):
    coordinator = context.get("users", {}).get(Role.COORDINATEUR)
    if coordinator is None:
        return
    today = timezone.localdate()
    for kind, title, days_ago, minutes, participants in DEMO_ACTIVITIES:
        CoordinatorActivity.objects.get_or_create(
            coordinator=coordinator,
            title=title,
            defaults={
                "kind": kind,
                "date": today - datetime.timedelta(days=days_ago),
                "duration": minutes,
                "participants": participants,
            },
        )
