"""Scoped lookups: a match outside the user's scope is a 404; a forbidden action a 403."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cnum.matching.models import Match
from cnum.recruitment.enums import ContractState, RuptureState
from cnum.recruitment.models import Contract, Rupture
from cnum.structures.models import Structure


def with_recruitment_data(queryset):
    """Matches with what recruitment pages show: people, structure, live contracts, rupture."""
    return queryset.select_related("candidate__user", "structure__commune").prefetch_related(
        Prefetch(
            "contracts",
            queryset=Contract.objects.filter(
                state__in=[ContractState.CURRENT, ContractState.DRAFT]
            ),
            to_attr="live_contracts",
        ),
        Prefetch(
            "ruptures",
            queryset=Rupture.objects.filter(state=RuptureState.PENDING),
            to_attr="pending_ruptures",
        ),
    )


def visible_matches(user):
    """Managers: their structures'; préfets: their territory's; the administration: all."""
    return Match.objects.filter(structure__in=Structure.objects.visible_to(user))


def managed_matches(user):
    return Match.objects.filter(structure__in=Structure.objects.managed_by(user))


def visible_match(user, pk):
    return get_object_or_404(
        visible_matches(user).select_related("candidate__user", "structure"), pk=pk
    )


def managed_match(user, pk):
    return get_object_or_404(
        managed_matches(user).select_related("candidate__user", "structure"), pk=pk
    )


def visible_structure(user, pk):
    return get_object_or_404(Structure.objects.visible_to(user), pk=pk)


def attach_live(matches):
    """Set .contract, .draft and .rupture on matches loaded through with_recruitment_data."""
    for match in matches:
        by_state = {c.state: c for c in match.live_contracts}
        match.contract = by_state.get(ContractState.CURRENT)
        match.draft = by_state.get(ContractState.DRAFT)
        match.rupture = match.pending_ruptures[0] if match.pending_ruptures else None
    return matches
