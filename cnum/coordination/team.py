"""What "Mon équipe" shows of each member, read in a fixed number of queries whatever the size
of the team: contacts, structure, training state, last activity, upcoming workshops."""

import datetime
import importlib.util
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from cnum.stats import teams
from cnum.training.enums import ConseillerState
from cnum.training.state import current_enrolments, state_of
from cnum.workshops.models import Workshop

# "Sans activité depuis un mois": no record in the last 30 days.
INACTIVITY_DAYS = 30

# The last-activity dates come from the rollups (cnum.stats.last_activity, written alongside
# the reminders of silent conseillers); until that module exists the column shows « — ».
LAST_ACTIVITY_MODULE = "cnum.stats.last_activity"


def last_activity_available():
    return importlib.util.find_spec(LAST_ACTIVITY_MODULE) is not None


def last_activity_dates(user_ids):
    if not last_activity_available():
        return {}
    module = importlib.import_module(LAST_ACTIVITY_MODULE)
    return module.last_activity_dates(list(user_ids))


@dataclass
class Member:
    user: object
    structures: list  # the structures where they are in post (usually one)
    phone: str
    state: str  # ConseillerState value
    last_activity: datetime.date | None
    upcoming_workshops: int

    @property
    def structure(self):
        return self.structures[0] if self.structures else None

    @property
    def departement(self):
        return self.structure.departement if self.structure else None

    @property
    def state_label(self):
        return ConseillerState(self.state).label

    def inactive_since(self, day):
        return self.last_activity is None or self.last_activity < day


def members(coordinator, users=None):
    """Members of the team (or the given subset of it), by name."""
    if users is None:
        users = teams.team_members(coordinator)
    users = list(users.select_related("candidate_profile").order_by("last_name", "first_name"))
    ids = [user.pk for user in users]
    structures = {}
    posts = (
        teams.in_post_memberships()
        .filter(user_id__in=ids)
        .select_related("organisation__departement")
        .order_by("pk")
    )
    for membership in posts:
        structures.setdefault(membership.user_id, []).append(membership.organisation)
    enrolments = current_enrolments(ids)
    last = last_activity_dates(ids)
    upcoming = dict(
        Workshop.objects.upcoming(timezone.now())
        .filter(conseiller_id__in=ids)
        .values_list("conseiller_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        Member(
            user=user,
            structures=structures.get(user.pk, []),
            phone=_phone(user),
            state=state_of(enrolments.get(user.pk)),
            last_activity=last.get(user.pk),
            upcoming_workshops=upcoming.get(user.pk, 0),
        )
        for user in users
    ]


def _phone(user):
    profile = getattr(user, "candidate_profile", None)
    return profile.phone if profile is not None else ""


def inactivity_threshold():
    return timezone.localdate() - datetime.timedelta(days=INACTIVITY_DAYS)


def filtered(found, *, structure=None, departement=None, state=None, inactive=False):
    """The members matching the filters of "Mon équipe" (strings from the form, "" = any)."""
    threshold = inactivity_threshold()
    return [
        m
        for m in found
        if (not structure or any(str(s.pk) == structure for s in m.structures))
        and (not departement or (m.departement and m.departement.code == departement))
        and (not state or m.state == state)
        and (not inactive or m.inactive_since(threshold))
    ]


EXPORT_HEADER = [
    "Nom",
    "Prénom",
    "Adresse électronique",
    "Téléphone",
    "Structure",
    "Département",
    "Formation",
    "Dernière activité",
    "Ateliers à venir",
]


def export_rows(found):
    for m in found:
        yield [
            m.user.last_name,
            m.user.first_name,
            m.user.email,
            m.phone,
            ", ".join(s.name for s in m.structures),
            m.departement.code if m.departement else "",
            m.state_label,
            m.last_activity,
            m.upcoming_workshops,
        ]
