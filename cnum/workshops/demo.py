"""Demo workshops (seed_demo): the demo conseiller's upcoming series, a remote workshop and a
past one with registrations to mark. Idempotent: keyed by (structure, title)."""

import datetime

from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.workshops import services
from cnum.workshops.enums import Niveau, Recurrence, Thematique
from cnum.workshops.models import Registration, Workshop


def _at(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _data(title, thematiques, niveau, place, starts_at, capacity=10):
    return {
        "title": title,
        "thematiques": thematiques,
        "niveau": niveau,
        "place": place,
        "remote": place is None,
        "starts_at": starts_at,
        "duration": 120,
        "capacity": capacity,
        "description": "Atelier gratuit, ouvert à tous. Apportez votre appareil si possible.",
    }


def seed(context):
    conseiller = context.get("users", {}).get(Role.CONSEILLER)
    own = context["organisations"]["structure"]
    places = [p for p in context.get("places", []) if p.structure_id == own.pk and p.services]
    if conseiller is None or not places:
        return
    T = Thematique
    if not Workshop.objects.filter(structure=own, title="Premiers pas sur smartphone").exists():
        services.schedule_series(
            conseiller,
            own,
            _data(
                "Premiers pas sur smartphone",
                [T.PRENDRE_EN_MAIN_DU_MATERIEL],
                Niveau.DEBUTANT,
                places[0],
                _at(2, 14),
            ),
            Recurrence.HEBDOMADAIRE,
            4,
        )
    if not Workshop.objects.filter(structure=own, title="Se protéger des arnaques").exists():
        services.schedule(
            conseiller,
            own,
            _data(
                "Se protéger des arnaques",
                [T.SECURITE_NUMERIQUE],
                Niveau.INTERMEDIAIRE,
                None,
                _at(5, 10),
                capacity=20,
            ),
        )
    if not Workshop.objects.filter(structure=own, title="Faire ses démarches en ligne").exists():
        past = services.schedule(
            conseiller,
            own,
            _data(
                "Faire ses démarches en ligne",
                [T.AIDE_AUX_DEMARCHES_ADMINISTRATIVES],
                Niveau.DEBUTANT,
                places[-1],
                _at(-1, 9),
            ),
        )
        for n, name in enumerate(("Josiane Morel", "Karim Benali", "Lucie Girard"), 1):
            Registration.objects.create(workshop=past, name=name, phone=f"06 00 00 00 0{n}")
