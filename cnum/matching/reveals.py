"""Every showing of a candidate's contact details or CV to a structure is recorded (append-only
CandidateReveal rows); a structure reveals at most CANDIDATE_REVEALS_PER_DAY new candidates per
Europe/Paris day, counted from those rows so the limit holds across processes."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cnum.candidates.services import PARIS
from cnum.matching.models import CandidateReveal
from cnum.structures.models import Structure


class RevealRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def paris_day_start():
    now = timezone.now().astimezone(PARIS)
    return datetime.datetime.combine(now.date(), datetime.time(), tzinfo=PARIS)


def new_today(structure):
    """Distinct candidates revealed to `structure` today and never before."""
    start = paris_day_start()
    earlier = CandidateReveal.objects.filter(structure=structure, at__lt=start)
    return (
        CandidateReveal.objects.filter(structure=structure, at__gte=start)
        .exclude(candidate_id__in=earlier.values("candidate_id"))
        .values("candidate_id")
        .distinct()
        .count()
    )


def cap_message():
    cap = settings.CANDIDATE_REVEALS_PER_DAY
    return (
        f"Votre structure a déjà consulté aujourd'hui les coordonnées de {cap} nouveaux "
        "candidats, le maximum par jour : rien n'est affiché pour ce candidat. Vous pourrez "
        "le consulter demain ; les candidats déjà consultés restent accessibles."
    )


def record(structure, profile, viewer, kind):
    """Record one reveal, or raise RevealRefused (nothing recorded, nothing to show) when it
    would be a new candidate past today's limit. Re-views are recorded, never counted."""
    with transaction.atomic():
        # One structure's reveals in turn, so two pages at once cannot both pass the limit.
        list(
            Structure.objects.select_for_update(of=("self",))
            .filter(pk=structure.pk)
            .values_list("pk")
        )
        known = CandidateReveal.objects.filter(structure=structure, candidate=profile).exists()
        if not known and new_today(structure) >= settings.CANDIDATE_REVEALS_PER_DAY:
            raise RevealRefused(cap_message())
        return CandidateReveal.objects.create(
            structure=structure, candidate=profile, viewer=viewer, kind=kind
        )


def reveals_of(profile):
    return CandidateReveal.objects.filter(candidate=profile).select_related("structure", "viewer")
