"""Each conseiller's last activity date (their latest live record), kept with the rollups.

Like the rollups (docs/statistiques.md#entretien), it changes in the transaction that changes
the records: a creation or an import only raises it (`max`); an edit or a deletion, announced by
`records_changing`, recomputes the max of the conseillers concerned with one query on the
records' (conseiller, date) index. `rebuild()` refills it from the records (`rebuild_stats`).
The lists of conseillers without activity and the reminders read `last_activity_dates` instead
of the records (docs/suivi.md).
"""

from django.db import connection
from django.db.models import Max

from cnum.activity.models import Cra
from cnum.stats.models import ConseillerLastActivity

TABLE = ConseillerLastActivity._meta.db_table
PENDING = "last_activity_pending"


def last_activity_dates(conseiller_ids):
    """{conseiller id: date of their latest live record}; conseillers with none are absent."""
    return dict(
        ConseillerLastActivity.objects.filter(conseiller_id__in=list(conseiller_ids)).values_list(
            "conseiller_id", "last_date"
        )
    )


def _sql(mode):
    quote = connection.ops.quote_name
    table, date = quote(TABLE), quote("last_date")
    value = (
        f"CASE WHEN excluded.{date} > {table}.{date} THEN excluded.{date} ELSE {table}.{date} END"
        if mode == "max"
        else f"excluded.{date}"
    )
    return (
        f"INSERT INTO {table} ({quote('conseiller_id')}, {date}) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT ({quote('conseiller_id')}) DO UPDATE SET {date} = {value}"
    )


def _write(dates, mode):
    """Upsert {conseiller id: date}, ids in order (one lock order for every transaction)."""
    if dates:
        with connection.cursor() as cursor:
            cursor.executemany(_sql(mode), sorted(dates.items()))


def _latest(records):
    return dict(
        records.filter(deleted_at__isnull=True)
        .order_by()
        .values("conseiller_id")
        .annotate(latest=Max("date"))
        .values_list("conseiller_id", "latest")
    )


def recompute(conseiller_ids):
    """Recompute the date of these conseillers from their live records."""
    ids = sorted(set(conseiller_ids))
    if not ids:
        return
    # Lock the rows first: a concurrent creation then either committed before (and the query
    # below, a new snapshot, sees its record) or waits for us and raises our result.
    list(
        ConseillerLastActivity.objects.filter(conseiller_id__in=ids)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    dates = _latest(Cra.objects.filter(conseiller_id__in=ids))
    _write(dates, "set")
    ConseillerLastActivity.objects.filter(conseiller_id__in=ids).exclude(
        conseiller_id__in=list(dates)
    ).delete()


def on_records_changing(sender, queryset, **kwargs):
    # An edit or a deletion may lower the date: remember whose to recompute after the change.
    # A leftover of a rolled back transaction only costs an exact recomputation.
    pending = getattr(connection, PENDING, None)
    if pending is None:
        pending = set()
        setattr(connection, PENDING, pending)
    pending.update(queryset.order_by().values_list("conseiller_id", flat=True).distinct())


def records_changed(facts):
    """After a change (called by the rollups' upkeep with the records' facts, read once for
    both): raise the dates of the conseillers whose latest record is newer, recompute those an
    edit or a deletion may have lowered."""
    pending = getattr(connection, PENDING, None) or set()
    setattr(connection, PENDING, None)
    dates = {}
    for one in facts:
        if not one.deleted and one.conseiller_id not in pending:
            dates[one.conseiller_id] = max(one.date, dates.get(one.conseiller_id, one.date))
    _write(dates, "max")
    recompute(pending)


def rebuild():
    """Refill the whole table from the live records (with the rollups' rebuild)."""
    ConseillerLastActivity.objects.all().delete()
    rows = (
        Cra.objects.alive()
        .order_by()
        .values("conseiller_id")
        .annotate(latest=Max("date"))
        .values_list("conseiller_id", "latest")
    )
    ConseillerLastActivity.objects.bulk_create(
        (ConseillerLastActivity(conseiller_id=pk, last_date=day) for pk, day in rows.iterator()),
        batch_size=5000,
    )


def connect():
    from cnum.activity.signals import records_changing

    # records_changed: called by cnum.stats.upkeep with the facts it has read.
    records_changing.connect(on_records_changing, dispatch_uid="last_activity_changing")
