"""Steering indicators of the programme, by territory (national, région, département).

Every indicator is one grouped query keyed by département, computed live from the tables that
own the facts (candidates, structures, matches, ruptures, training, ledger); régions and the
nation add up their départements. Who may see which territory is decided here too
(`viewer_scope`): the national administration sees everything, a préfet their département or
région only.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.candidates.models import CandidateProfile
from cnum.funding.ledger import Balance
from cnum.funding.models import Envelope, StructureBalance
from cnum.matching.enums import EMPLOYED, HOLDING_POST, MatchStatus
from cnum.matching.models import Match
from cnum.recruitment.enums import RuptureState
from cnum.recruitment.models import Rupture
from cnum.stats import scopes as activity_scopes
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import CommitteeDecision, Structure
from cnum.territories.models import Departement, Region
from cnum.training.enums import ConseillerState
from cnum.training.state import state_condition
from cnum.workflow.models import TransitionLog

# Distribution of the days between the committee's decision and the validated recruitment:
# (code, label, lower bound included, upper bound excluded).
DELAY_BUCKETS = (
    ("moins_30", "Moins de 30 jours", 0, 30),
    ("30_59", "30 à 59 jours", 30, 60),
    ("60_89", "60 à 89 jours", 60, 90),
    ("90_179", "90 à 179 jours", 90, 180),
    ("180_plus", "180 jours et plus", 180, None),
)

# Counters of a territory, in display order: code → label.
COUNTS = {
    "candidats_inscrits": "Candidats inscrits",
    "candidats_disponibles": "Candidats disponibles",
    "postes_attribues": "Postes attribués",
    "postes_pourvus": "Postes pourvus ou en cours de recrutement",
    "postes_vacants": "Postes vacants",
    "conseillers_recrutes": "Conseillers en poste",
    "structures_accueil": "Structures accueillant au moins un conseiller",
    "conseillers_a_programmer": "Conseillers dont la formation est à programmer",
    "conseillers_en_formation": "Conseillers en formation",
    "conseillers_en_activite": "Conseillers en activité",
    "ruptures_validees": "Ruptures de contrat validées",
    "ruptures_en_attente": "Ruptures de contrat en attente de validation",
}
# The columns of the table comparing territories (a subset, to stay readable).
TABLE_COUNTS = (
    "candidats_disponibles",
    "postes_attribues",
    "postes_vacants",
    "conseillers_en_formation",
    "conseillers_en_activite",
    "ruptures_validees",
)


@dataclass
class Indicators:
    """The steering figures of one territory (money in cents)."""

    counts: Counter = field(default_factory=Counter)
    structures_by_status: Counter = field(default_factory=Counter)
    delays: Counter = field(default_factory=Counter)  # days → validated recruitments
    money: dict = field(default_factory=dict)  # envelope id → Balance

    def add(self, other):
        self.counts.update(other.counts)
        self.structures_by_status.update(other.structures_by_status)
        self.delays.update(other.delays)
        for envelope_id, balance in other.money.items():
            mine = self.money.get(envelope_id, Balance())
            self.money[envelope_id] = Balance(
                mine.committed + balance.committed, mine.paid + balance.paid
            )

    @property
    def recruitments(self):
        return sum(self.delays.values())

    @property
    def median_delay(self):
        """Median of the days from decision to validated recruitment (None without any)."""
        return median(self.delays)

    def delay_distribution(self):
        """[(label, recruitments)] over DELAY_BUCKETS."""
        return [
            (label, sum(n for days, n in self.delays.items() if in_bucket(days, low, high)))
            for _code, label, low, high in DELAY_BUCKETS
        ]

    def status_rows(self):
        return [(label, self.structures_by_status[value]) for value, label in Status.choices]


def in_bucket(days, low, high):
    return days >= low and (high is None or days < high)


def median(histogram):
    """Median of a {value: count} histogram (the mean of the two middle values if even)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    wanted = ((total - 1) // 2, total // 2)  # 0-based ranks of the middle value(s)
    found, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for rank in wanted if seen <= rank < seen + count]
        seen += count
    return sum(found) / 2


# The grouped queries, each {département code: …}


def candidate_counts():
    """Candidates with a confirmed e-mail, by the département of their home commune."""
    rows = (
        CandidateProfile.objects.active()
        .order_by()
        .values(dep=F("commune__departement_id"))
        .annotate(
            candidats_inscrits=Count("pk"),
            candidats_disponibles=Count("pk", filter=Q(is_available=True)),
        )
    )
    return {row.pop("dep"): row for row in rows}


def structure_status_counts():
    rows = (
        Structure.objects.submitted()
        .order_by()
        .values("departement_id", "status")
        .annotate(n=Count("pk"))
    )
    result = {}
    for row in rows:
        result.setdefault(row["departement_id"], Counter())[row["status"]] = row["n"]
    return result


def post_counts():
    """Posts of validated structures: granted (latest positive decision), held, vacant."""
    held = (
        Match.objects.filter(structure=OuterRef("pk"), status__in=HOLDING_POST)
        .order_by()
        .values("structure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    structures = (
        Structure.objects.submitted()
        .filter(status=Status.VALIDATION_COSELEC)
        .with_posts_granted()
        .annotate(
            granted=Coalesce(F("posts_granted"), 0),
            held=Coalesce(Subquery(held, output_field=IntegerField()), 0),
        )
    )
    rows = (
        structures.order_by()
        .values("departement_id")
        .annotate(
            postes_attribues=Sum("granted"),
            postes_pourvus=Sum("held"),
            # Per structure, never below zero: one structure's excess hides no other's vacancy.
            postes_vacants=Sum(Greatest(F("granted") - F("held"), Value(0))),
        )
    )
    return {row.pop("departement_id"): row for row in rows}


def employment_counts():
    """Conseillers in post (one per employing match) and the structures employing them."""
    rows = (
        Match.objects.filter(status__in=EMPLOYED)
        .order_by()
        .values(dep=F("structure__departement_id"))
        .annotate(
            conseillers_recrutes=Count("pk"),
            structures_accueil=Count("structure", distinct=True),
        )
    )
    return {row.pop("dep"): row for row in rows}


def conseiller_state_counts():
    """Conseillers of each département's structures by training state (cnum.training.state)."""
    states = {
        "conseillers_a_programmer": ConseillerState.A_PROGRAMMER,
        "conseillers_en_formation": ConseillerState.EN_FORMATION,
        "conseillers_en_activite": ConseillerState.EN_ACTIVITE,
    }
    rows = (
        Membership.objects.filter(role=Role.CONSEILLER, is_active=True)
        .order_by()
        .values(dep=F("organisation__departement_id"))
        .annotate(
            **{
                name: Count("user", distinct=True, filter=state_condition(state))
                for name, state in states.items()
            }
        )
    )
    return {row.pop("dep"): row for row in rows}


def rupture_counts():
    rows = (
        Rupture.objects.order_by()
        .values(dep=F("match__structure__departement_id"))
        .annotate(
            ruptures_validees=Count("pk", filter=Q(state=RuptureState.VALIDATED)),
            ruptures_en_attente=Count("pk", filter=Q(state=RuptureState.PENDING)),
        )
    )
    return {row.pop("dep"): row for row in rows}


def recruitment_delays():
    """{département: Counter(days → recruitments)}: for each validated recruitment (the match's
    move from recrutee to finalisee), the days since the latest positive committee decision
    taken for its structure before it."""
    match = Match.objects.filter(pk=OuterRef("object_id"))
    decision = CommitteeDecision.objects.filter(
        structure__matches=OuterRef("object_id"),
        opinion=CommitteeOpinion.POSITIF,
        decided_at__lte=OuterRef("at"),
    ).order_by("-decided_at", "-pk")
    logs = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Match),
        from_status=MatchStatus.RECRUTEE,
        to_status=MatchStatus.FINALISEE,
    ).annotate(
        dep=Subquery(match.values("structure__departement_id")[:1]),
        decided=Subquery(decision.values("decided_at")[:1]),
    )
    rows = (
        logs.filter(decided__isnull=False)
        .annotate(
            delay=ExpressionWrapper(
                Cast("at", DateField()) - Cast("decided", DateField()),
                output_field=DurationField(),
            )
        )
        .order_by()
        .values("dep", "delay")
        .annotate(n=Count("pk"))
    )
    result = {}
    for row in rows:
        days = _days(row["delay"])
        result.setdefault(row["dep"], Counter())[days] += row["n"]
    return result


def _days(delay):
    # A duration on every engine, but a bare number of days on some date subtractions.
    return delay.days if isinstance(delay, datetime.timedelta) else int(delay)


def money_by_envelope():
    """{département: {envelope id: Balance}} from the per-structure cached balances (the ledger
    keeps them in step and checks them, cnum.funding.ledger.verify)."""
    rows = (
        StructureBalance.objects.order_by()
        .values("envelope_id", dep=F("structure__departement_id"))
        .annotate(committed=Sum("committed_cents"), paid=Sum("paid_cents"))
    )
    result = {}
    for row in rows:
        result.setdefault(row["dep"], {})[row["envelope_id"]] = Balance(
            row["committed"], row["paid"]
        )
    return result


def by_departement():
    """{département code: Indicators}, one grouped query per indicator."""
    result = {}

    def of(code):
        return result.setdefault(code, Indicators())

    for counts in (
        candidate_counts(),
        post_counts(),
        employment_counts(),
        conseiller_state_counts(),
        rupture_counts(),
    ):
        for code, values in counts.items():
            of(code).counts.update({k: v or 0 for k, v in values.items()})
    for code, statuses in structure_status_counts().items():
        of(code).structures_by_status.update(statuses)
    for code, delays in recruitment_delays().items():
        of(code).delays.update(delays)
    for code, balances in money_by_envelope().items():
        of(code).money.update(balances)
    result.pop(None, None)  # rows without a département (incomplete data) have no territory
    return result


# Territories and who sees them


@dataclass(frozen=True)
class Territory:
    niveau: str  # "national", "region" or "departement"
    code: str
    nom: str

    @property
    def query(self):
        """The query string selecting this territory on the steering page."""
        return "" if self.niveau == "national" else f"?{self.niveau}={self.code}"


NATIONAL = Territory("national", "", "France entière")


@dataclass(frozen=True)
class Scope:
    """Départements a viewer may see (None: all of them), and the territory shown first."""

    departements: frozenset | None
    home: Territory

    def allows(self, territory, departements_of_region=()):
        if self.departements is None:
            return True
        if territory.niveau == "departement":
            return territory.code in self.departements
        if territory.niveau == "region":
            return bool(departements_of_region) and set(departements_of_region) <= set(
                self.departements
            )
        return False


def viewer_scope(user):
    """The national administration sees everything; a préfet the départements of their
    préfecture or région (the rule of cnum.stats.scopes); anybody else is refused
    (PermissionDenied)."""
    base = activity_scopes.viewer_scope(user)
    if base.audience not in (Role.ADMINISTRATEUR, Role.PREFET):
        raise PermissionDenied  # hubs have the activity dashboard, not the steering (envelopes)
    if base.departements is None:
        return Scope(None, NATIONAL)
    return Scope(frozenset(base.departements), _home(base.departements))


def _home(codes):
    """The territory a préfet sees first: their région when they cover all of it, else their
    (first) département."""
    departements = Departement.objects.filter(code__in=codes).select_related("region")
    regions = {d.region for d in departements if d.region_id}
    for region in sorted(regions, key=lambda r: r.code):
        if set(departement_codes(Territory("region", region.code, region.nom))) <= set(codes):
            return Territory("region", region.code, region.nom)
    first = min(departements, key=lambda d: d.code)
    return Territory("departement", first.code, first.nom)


def departement_codes(territory):
    """The départements a territory covers (None for the whole country)."""
    if territory.niveau == "departement":
        return [territory.code]
    if territory.niveau == "region":
        return list(
            Departement.objects.filter(region_id=territory.code).values_list("code", flat=True)
        )
    return None


def children(territory, scope):
    """The territories listed under `territory`, within the viewer's scope."""
    if territory.niveau == "national":
        regions = Region.objects.order_by("nom")
        found = [Territory("region", r.code, r.nom) for r in regions]
        outside = Departement.objects.filter(region__isnull=True).order_by("code")
        found += [Territory("departement", d.code, d.nom) for d in outside]
    elif territory.niveau == "region":
        deps = Departement.objects.filter(region_id=territory.code).order_by("code")
        found = [Territory("departement", d.code, d.nom) for d in deps]
    else:
        return []
    if scope.departements is None:
        return found
    return [t for t in found if t.niveau == "departement" and t.code in scope.departements]


def summarise(indicators, codes):
    """The Indicators of the départements `codes` added up (all of them when codes is None)."""
    total = Indicators()
    for code, values in indicators.items():
        if codes is None or code in codes:
            total.add(values)
    return total


@dataclass
class Report:
    territory: Territory
    indicators: Indicators
    rows: list  # [(child Territory, Indicators)]
    envelopes: list  # [(Envelope, Balance of the territory)]
    departements: dict  # {code: Indicators} of the départements shown (for the map)


def report(territory, scope):
    """Everything the steering page shows for `territory` (already checked against scope)."""
    data = by_departement()
    indicators = summarise(data, departement_codes(territory))
    rows = [
        (child, summarise(data, departement_codes(child))) for child in children(territory, scope)
    ]
    envelopes = [
        (envelope, indicators.money.get(envelope.pk, Balance()))
        for envelope in Envelope.objects.order_by("purpose", "opens_on", "pk")
    ]
    codes = departement_codes(territory)
    if territory.niveau == "departement":
        shown = {}
    else:
        shown = {
            code: values
            for code, values in data.items()
            if (codes is None or code in codes)
            and (scope.departements is None or code in scope.departements)
        }
    return Report(territory, indicators, rows, envelopes, shown)
