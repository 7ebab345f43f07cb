"""The structure's candidates screen: tabs with counts, one page of rows, in a fixed number of
queries whatever the size of the country (asserted in tests, measured in bench/matching.py).

Queries: the structure's stored matches (1), eligible candidates per commune within 100 km and
the 2 000 km candidates of the territory (1: read from the tallies kept by triggers when the
manager filters nothing, cnum.matching.tally), the page (1), its rows (1); then the national
allocation's suggestions. Everything else is arithmetic on those results.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import today as paris_today
from cnum.matching import queries
from cnum.matching.eligibility import SAFE_PREFIX_KM, Eligibility, Filters, key_km
from cnum.matching.enums import POSTPONABLE
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.territories.services import distance_km

PER_PAGE = 20
NEW = "nouvelles"
POSTPONED = "reportees"
TABS = {
    NEW: ("Nouvelles", (S.NOUVELLE,)),
    "preselectionnees": ("Présélectionnées", (S.INTERESSEE,)),
    # Set aside until a date (batch "reporter"): out of their own tab until then.
    POSTPONED: ("Reportées", POSTPONABLE),
    "non-retenues": ("Non retenues", (S.NON_INTERESSEE,)),
    "sans-suite": ("Sans suite", (S.EXPIREE,)),
    "recrutements": ("Recrutements", (S.RECRUTEE,)),
    "en-poste": ("En poste", (S.FINALISEE, S.NOUVELLE_RUPTURE, S.RENOUVELLEMENT_INITIE)),
    "terminees": ("Terminées", (S.FINALISEE_RUPTURE, S.TERMINEE)),
}
# Tabs whose rows the batch form acts on (refuse, postpone).
BATCH_TABS = (NEW, "preselectionnees", POSTPONED, "sans-suite")
ORDER_LABELS = {
    "distance": "Distance",
    "disponibilite": "Date de disponibilité",
    "pix": "Niveau Pix",
}


@dataclass
class Row:
    profile: CandidateProfile
    distance_km: float
    eligible: bool
    late: bool  # available only after the structure's mission start
    suggested: bool
    status: str | None = None
    postponed_until: object = None

    @property
    def status_label(self):
        return S(self.status).label if self.status else ""


@dataclass
class PageInfo:
    number: int
    count: int
    per_page: int = PER_PAGE

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def offset(self):
        return (self.number - 1) * self.per_page

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def has_other_pages(self):
        return self.num_pages > 1

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


@dataclass
class Screen:
    tab: str
    counts: dict
    rows: list
    page: PageInfo
    eligibility: Eligibility
    suggestions: set = field(default_factory=set)


def _page_number(value, count):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), PageInfo(1, count).num_pages)


def _stored(structure, eligibility, filters):
    """The structure's matches passing the filters, with what decides eligibility."""
    rows = list(
        Match.objects.filter(structure=structure)
        .filter(filters.q("candidate__"))
        .values(
            "status",
            "candidate_id",
            "candidate__commune_id",
            "candidate__commune__latitude",
            "candidate__commune__longitude",
            "candidate__max_distance_km",
            "candidate__is_available",
            "candidate__activated_at",
            "candidate__availability_date",
            "candidate__pix_level",
            "postponed_until",
        )
    )
    today = paris_today()
    kept = []
    for row in rows:
        row["tab"] = _tab_of(row["status"], row["postponed_until"], today)
        code = row["candidate__commune_id"]
        local = eligibility.local.get(code)
        point = (row["candidate__commune__latitude"], row["candidate__commune__longitude"])
        row["km"] = local[0] if local else distance_km((eligibility.lat, eligibility.lon), point)
        row["key"] = local[1] if local else eligibility.key(*point)
        if filters.max_km and row["km"] > filters.max_km:
            continue
        row["eligible"] = (
            row["candidate__activated_at"] is not None
            and row["candidate__is_available"]
            and eligibility.admits(code, row["candidate__max_distance_km"], row["km"])
        )
        kept.append(row)
    return kept


def _tab_of(status, postponed_until, today):
    if status in POSTPONABLE and postponed_until and postponed_until > today:
        return POSTPONED
    return next((name for name, (_, statuses) in TABS.items() if status in statuses), None)


def _prefix(eligibility, per_commune, excluded, needed):
    """The nearest communes holding `needed` eligible candidates, or None if the page must
    look beyond the safe local radius."""
    left = Counter(per_commune)
    left.subtract(Counter(row["candidate__commune_id"] for row in excluded))
    ordered = sorted((eligibility.local[code][1], code) for code, n in left.items() if n > 0)
    total = 0
    for key, code in ordered:
        total += left[code]
        if total >= needed:
            if key_km(key) > SAFE_PREFIX_KM:
                return None
            return {c for k, c in ordered if k <= key}
    return None


def _new_rows(eligibility, filters, order, page, excluded, per_commune):
    excluded_ids = {row["candidate_id"] for row in excluded}
    prefix = None
    if order == "distance":
        prefix = _prefix(eligibility, per_commune, excluded, page.offset + page.per_page)
    ids = queries.page_ids(
        eligibility, filters, order, page.offset, page.per_page, excluded_ids, prefix
    )
    by_id = CandidateProfile.objects.select_related("user", "commune").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _stored_sort_key(order):
    if order == "disponibilite":
        return lambda r: (r["candidate__availability_date"], r["key"], r["candidate_id"])
    if order == "pix":
        return lambda r: (-(r["candidate__pix_level"] or 0), r["key"], r["candidate_id"])
    return lambda r: (r["key"], r["candidate_id"])


# Where the candidates to highlight for a structure come from: functions(structure) -> ids of
# candidate profiles, registered at start-up by the apps that build on matching (allocation:
# the latest national allocation's suggestions).
SUGGESTION_SOURCES = []


def suggestions_for(structure):
    return set().union(*(source(structure) for source in SUGGESTION_SOURCES))


def build(structure, *, tab=NEW, filters=None, order="distance", page=1, suggestions=None):
    """Counts of every tab and the requested page of `tab`."""
    filters = filters or Filters()
    tab = tab if tab in TABS else NEW
    order = order if order in queries.ORDER_SQL else "distance"
    eligibility = Eligibility(structure)
    stored = _stored(structure, eligibility, filters)
    excluded = [r for r in stored if r["eligible"] and r["tab"] != NEW]
    tally = Counter(r["tab"] for r in stored)
    counts = {name: tally[name] for name in TABS if name != NEW}
    per_commune, national_local, national_total = queries.counts(eligibility, filters)
    far = national_total - national_local if not filters.max_km else 0
    counts[NEW] = sum(per_commune.values()) + far - len(excluded)
    info = PageInfo(_page_number(page, counts[tab]), counts[tab])
    if tab == NEW:
        profiles = (
            _new_rows(eligibility, filters, order, info, excluded, per_commune)
            if eligibility.is_open
            else []
        )
        statuses, postponed = {}, {}
    else:
        in_tab = sorted((r for r in stored if r["tab"] == tab), key=_stored_sort_key(order))
        chosen = in_tab[info.offset : info.offset + info.per_page]
        statuses = {r["candidate_id"]: r["status"] for r in chosen}
        postponed = {r["candidate_id"]: r["postponed_until"] for r in chosen}
        by_id = CandidateProfile.objects.select_related("user", "commune").in_bulk(statuses)
        profiles = [by_id[pk] for pk in statuses if pk in by_id]
    suggested = suggestions if suggestions is not None else suggestions_for(structure)
    rows = [
        Row(
            profile=profile,
            distance_km=eligibility.distance_to(profile.commune),
            eligible=eligibility.is_eligible(profile),
            late=profile.availability_date > structure.mission_start,
            suggested=profile.pk in suggested,
            status=statuses.get(profile.pk),
            postponed_until=postponed.get(profile.pk) if tab == POSTPONED else None,
        )
        for profile in profiles
    ]
    return Screen(tab, counts, rows, info, eligibility, set(suggested))
