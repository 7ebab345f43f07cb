"""The same figures as cnum.stats.queries, aggregated live from the raw records.

This is the baseline the rollups are measured against, and the answer for the few filters the
rollups cannot serve. Records matching the indexable part of the filter are streamed by chunks
of primary keys and folded through `contribution`, the single definition of every indicator.
"""

from dataclasses import replace

from cnum.stats.contributions import contribution, month_of, stream_facts
from cnum.stats.measures import TOTALS
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


def _matches(f, facts):
    if f.thematique and f.thematique not in facts.thematiques:
        return False
    return f.departements is None or facts.departement in f.departements


def live_activity_figures(f: ActivityFilter, source="records") -> Figures:
    sums, by_month, conseillers, places, communes = {}, {}, set(), {}, {}
    # The département filter is checked on the facts (its derivation is contribution's).
    for chunk in stream_facts(
        records_in(replace(f, departements=None)).order_by(), by_key_ranges=False
    ):
        for facts in chunk:
            if not _matches(f, facts):
                continue
            counts = contribution(facts)
            for column, count in counts.items():
                sums[column] = sums.get(column, 0) + count
            month = by_month.setdefault(month_of(facts.date), dict.fromkeys(TOTALS, 0))
            for column in TOTALS:
                month[column] += counts.get(column, 0)
            conseillers.add(facts.conseiller_id)
            accompagnements = counts["accompagnements"]
            places[facts.place_id] = places.get(facts.place_id, 0) + accompagnements
            communes[facts.commune_id] = communes.get(facts.commune_id, 0) + accompagnements
    return build_figures(
        sums,
        sorted(by_month.items()),
        conseillers_actifs=len(conseillers),
        top_places=place_names(top_of(places, int)),
        top_communes=commune_names(top_of(communes, str)),
        beneficiaires_nouveaux=new_beneficiaries(f),
        source=source,
    )
