"""The same figures as cnum.stats.queries, aggregated live from the raw records.

This is the baseline the rollups are measured against, and the answer for the few filters the
rollups cannot serve. Records matching the filter in SQL are streamed as raw rows and folded
through `row_measures` (hence `contribution`, the single definition of every indicator); the
thématique and the département are checked again on what `contribution` derives.
"""

from cnum.stats.contributions import COLUMN_INDEX, row_measures, stream_rows
from cnum.stats.measures import MEASURE_COLUMNS, TOTALS
from cnum.stats.queries import (
    ActivityFilter,
    Figures,
    build_figures,
    commune_names,
    new_beneficiaries,
    place_names,
    records_in,
    top_of,
)

ACCOMPAGNEMENTS = COLUMN_INDEX["accompagnements"]


def live_activity_figures(f: ActivityFilter, source="records") -> Figures:
    sums, by_month = [0] * len(MEASURE_COLUMNS), {}
    conseillers, places, communes = set(), {}, {}
    for rows, followers in stream_rows(records_in(f).order_by()):
        for row in rows:
            measured = row_measures(row, followers.get(row[0], ()))
            if measured is None:
                continue
            (departement, _, conseiller, place, commune, month, _), themes, counts = measured
            if f.thematique and f.thematique not in themes:
                continue
            if f.departements is not None and departement not in f.departements:
                continue
            month_sums = by_month.get(month)
            if month_sums is None:
                month_sums = by_month[month] = [0] * len(MEASURE_COLUMNS)
            accompagnements = 0
            for index, count in counts:
                sums[index] += count
                month_sums[index] += count
                if index == ACCOMPAGNEMENTS:
                    accompagnements = count
            conseillers.add(conseiller)
            places[place] = places.get(place, 0) + accompagnements
            communes[commune or None] = communes.get(commune or None, 0) + accompagnements
    return build_figures(
        dict(zip(MEASURE_COLUMNS, sums, strict=True)),
        [
            (month, {c: month_sums[COLUMN_INDEX[c]] for c in TOTALS})
            for month, month_sums in sorted(by_month.items())
        ],
        conseillers_actifs=len(conseillers),
        top_places=place_names(top_of(places, int)),
        top_communes=commune_names(top_of(communes, str)),
        beneficiaires_nouveaux=new_beneficiaries(f),
        source=source,
    )
