"""Commune search and the resolution of typed text to one commune, over the full data."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnum.territories.models import Commune
from cnum.territories.services import CommuneNotResolved, resolve_commune, search_communes

pytestmark = pytest.mark.django_db


def codes(q, limit=10):
    return [c.code_insee for c in search_communes(q, limit)]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("paris", "75056"),
        ("Paris", "75056"),
        ("ajaccio", "2A004"),
        ("AJACCIO", "2A004"),
        ("ajacc", "2A004"),
        ("ajac", "11003"),  # a commune named Ajac (Aude): exact name first
        ("bastia", "2B033"),
        ("st etienne", "42218"),
        ("St-Étienne", "42218"),
        ("saint-etienne", "42218"),
        ("SAINT ETIENNE", "42218"),
        ("lyon", "69123"),
        ("marseille", "13055"),
        ("mamoudzou", "97611"),
        ("75001", "75101"),  # the arrondissement, more precise than Paris itself
        ("75 001", "75101"),
        ("20000", "2A004"),
        ("2A004", "2A004"),
        ("2a004", "2A004"),
        ("97801", "97801"),  # an INSEE code that is no postal code
        ("Saint-Denis (93)", "93066"),
        ("Saint-Denis (974)", "97411"),
        ("douchy", "02270"),  # exact name before the bigger Douchy-les-Mines
    ],
)
def test_best_match_first(q, first):
    assert codes(q)[0] == first


def test_word_starts_match():
    assert "42218" in codes("etienne")
    assert "93066" in codes("denis", 50)
    assert "Douchy-les-Mines" in [c.nom for c in search_communes("mines", 50)]


def test_ranking_by_population_after_exact_matches():
    results = search_communes("saint", 20)
    populations = [c.population for c in results]
    assert populations == sorted(populations, reverse=True)
    assert all(c.nom_recherche.startswith("saint") or " saint" in c.nom_recherche for c in results)


def test_postal_code_prefix():
    results = search_communes("750", 30)
    assert results[0].code_insee == "75056"
    assert all(any(cp.startswith("750") for cp in c.codes_postaux) for c in results)
    assert codes("2A") == []  # neither a name nor a code


def test_departement_filter():
    assert {c.departement_id for c in search_communes("saint denis (11)")} == {"11"}


def test_limit():
    assert len(search_communes("sa", 3)) == 3
    assert len(search_communes("sa", 50)) == 50


@pytest.mark.parametrize("q", ["", "   ", "-", "zzzzzz", "00000", "1", "999", "'; DROP TABLE x;--"])
def test_nothing_found(q):
    assert search_communes(q) == []


def test_query_budget(django_assert_max_num_queries):
    for q in ("st etienne", "75001", "750", "2A004"):
        with django_assert_max_num_queries(3):
            search_communes(q)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300), st.integers(1, 50))
def test_search_never_fails(q, limit):
    assert len(search_communes(q, limit)) <= limit


# --- resolve_commune --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ajaccio (2A)", "2A004"),
        ("ajaccio", "2A004"),
        ("  AJACCIO  ", "2A004"),
        ("20000", "2A004"),
        ("2A004", "2A004"),
        ("75001", "75101"),
        ("Paris", "75056"),
        ("Saint-Denis (93)", "93066"),
        ("st denis (974)", "97411"),
        ("Saint-Étienne", "42218"),
        ("97801", "97801"),
    ],
)
def test_resolve(text, code):
    assert resolve_commune(text).code_insee == code


def test_resolve_ambiguous_name_lists_candidates():
    with pytest.raises(CommuneNotResolved) as error:
        resolve_commune("Saint-Denis")
    message = error.value.message
    for label in ("Saint-Denis (93)", "Saint-Denis (974)", "Saint-Denis (11)", "Saint-Denis (30)"):
        assert label in message
    assert "précisez le département" in message
    assert {c.code_insee for c in error.value.candidates} == {"93066", "97411", "11339", "30247"}


def test_resolve_ambiguous_postal_code_lists_candidates():
    with pytest.raises(CommuneNotResolved) as error:
        resolve_commune("05800")
    assert "Plusieurs communes ont le code postal 05800" in error.value.message
    assert len(error.value.candidates) > 1


def test_resolve_unknown_suggests():
    with pytest.raises(CommuneNotResolved) as error:
        resolve_commune("ajacc")
    assert "Vouliez-vous dire" in error.value.message
    assert "Ajaccio (2A)" in error.value.message


@pytest.mark.parametrize("text", ["", "zzzzqqq", "99999", "2B999", "Ajaccio (2B)", "---"])
def test_resolve_unknown(text):
    with pytest.raises(CommuneNotResolved):
        resolve_commune(text)


def test_resolve_within_a_queryset():
    corse_du_sud = Commune.objects.filter(departement_id="2A")
    assert resolve_commune("ajaccio", corse_du_sud).code_insee == "2A004"
    with pytest.raises(CommuneNotResolved):
        resolve_commune("bastia", corse_du_sud)
