"""The coordinator's own activities: summary by kind and month, and the CSV export."""

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cnum.coordination.models import ActivityKind, CoordinatorActivity

SUMMARY_MONTHS = 6


def of(coordinator):
    return CoordinatorActivity.objects.filter(coordinator=coordinator)


def summary(coordinator, months=SUMMARY_MONTHS):
    """[(first day of month, kind label, activities, minutes, participants)] for the last
    `months` months, most recent first: one grouped query."""
    today = timezone.localdate()
    start = _months_back(today.replace(day=1), months - 1)
    rows = (
        of(coordinator)
        .filter(date__gte=start, date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month", "kind")
        .annotate(n=Count("pk"), minutes=Sum("duration"), participants=Sum("participants"))
        .order_by("-month", "kind")
    )
    return [
        (r["month"], ActivityKind(r["kind"]).label, r["n"], r["minutes"], r["participants"])
        for r in rows
    ]


def _months_back(first_day, months):
    year, month = divmod(first_day.year * 12 + first_day.month - 1 - months, 12)
    return datetime.date(year, month + 1, 1)


EXPORT_HEADER = [
    "Date",
    "Type d'activité",
    "Intitulé",
    "Durée (minutes)",
    "Participants",
    "Structure concernée",
    "Département concerné",
    "Notes",
]


def export_rows(coordinator):
    activities = of(coordinator).select_related("structure", "departement").order_by("date", "pk")
    for a in activities.iterator(chunk_size=500):
        yield [
            a.date,
            a.get_kind_display(),
            a.title,
            a.duration,
            a.participants,
            a.structure.name if a.structure else "",
            a.departement.code if a.departement else "",
            a.notes,
        ]
