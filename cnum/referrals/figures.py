"""Referral figures for the statistics (docs/orientations.md#statistiques): plain aggregate
queries over the referrals table, narrowed like the activity figures (départements, structures,
conseillers, months); the scope itself is decided by cnum.stats.scopes.

Counted by the referral's current status: sent (all), accepted, refused, already handled,
expired; by theme (a referral with two themes counts in both) and by receiver kind."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from cnum.activity.enums import StructureKind, Thematique
from cnum.referrals.enums import ReceiverType, Status
from cnum.referrals.models import Referral, ReferralTheme

OUTCOMES = (
    ("envoyees", "Envoyées", None),
    ("acceptees", "Acceptées", Status.ACCEPTEE),
    ("refusees", "Refusées", Status.REFUSEE),
    ("deja_prises_en_charge", "Déjà prises en charge", Status.DEJA_PRISE_EN_CHARGE),
    ("expirees", "Expirées", Status.EXPIREE),
)


@dataclass
class Row:
    label: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(c for c, _, _ in OUTCOMES))

    def add(self, status, n):
        self.counts["envoyees"] = (self.counts["envoyees"] or 0) + n
        for code, _, matching in OUTCOMES[1:]:
            self.counts[code] = (self.counts[code] or 0) + (n if status == matching else 0)

    @property
    def values(self):
        return [self.counts[code] or 0 for code, _, _ in OUTCOMES]


@dataclass
class ReferralFigures:
    total: Row
    by_theme: list
    by_kind: list
    by_type: list

    columns = [label for _, label, _ in OUTCOMES]


def referrals_in(*, start=None, end=None, departements=None, structure_ids=None,
                 conseiller_ids=None, theme=None):  # fmt: skip
    """Referrals sent in the months [start, end] (first days) within the given narrowing."""
    referrals = Referral.objects.all()
    if start is not None:
        referrals = referrals.filter(created_at__date__gte=start)
    if end is not None:
        following = datetime.date(end.year + end.month // 12, end.month % 12 + 1, 1)
        referrals = referrals.filter(created_at__date__lt=following)
    if departements is not None:
        referrals = referrals.filter(departement_id__in=departements)
    if structure_ids is not None:
        referrals = referrals.filter(structure_id__in=structure_ids)
    if conseiller_ids is not None:
        referrals = referrals.filter(conseiller_id__in=conseiller_ids)
    if theme:
        referrals = referrals.filter(themes__theme=theme)
    return referrals


def figures(referrals):
    """Totals, by theme, by receiver kind and by receiver type: three grouped queries."""
    total = Row("Toutes les orientations")
    kinds = {value: Row(label) for value, label in StructureKind.choices}
    types = {value: Row(label) for value, label in ReceiverType.choices}
    grouped = (
        referrals.order_by()
        .values("receiver_kind", "receiver_type", "status")
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        total.add(row["status"], row["n"])
        kinds[row["receiver_kind"]].add(row["status"], row["n"])
        types[row["receiver_type"]].add(row["status"], row["n"])
    themes = defaultdict(lambda: None)
    labels = dict(Thematique.choices)
    by_theme = (
        ReferralTheme.objects.filter(referral__in=referrals.values("pk"))
        .order_by()
        .values("theme", "referral__status")
        .annotate(n=Count("pk"))
    )
    for row in by_theme:
        if themes[row["theme"]] is None:
            themes[row["theme"]] = Row(labels.get(row["theme"], row["theme"]))
        themes[row["theme"]].add(row["referral__status"], row["n"])
    return ReferralFigures(
        total=total,
        by_theme=sorted(themes.values(), key=lambda r: (-r.counts["envoyees"], r.label)),
        by_kind=[row for row in kinds.values() if row.counts["envoyees"]],
        by_type=[row for row in types.values() if row.counts["envoyees"]],
    )


def counts_by_territory():
    """{(département code or "", conseiller id, status): referrals} for the public figures."""
    rows = (
        Referral.objects.order_by()
        .values("departement_id", "conseiller_id", "status")
        .annotate(n=Count("pk"))
    )
    return {(r["departement_id"] or "", r["conseiller_id"], r["status"]): r["n"] for r in rows}
