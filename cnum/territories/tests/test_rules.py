"""Normalisation, codes and distances: pure rules, mostly property-based."""

import math
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnum.territories.models import Commune
from cnum.territories.services import (
    bounding_box,
    communes_within,
    departement_code_from_insee,
    distance_km,
    normalise,
    parse_insee_code,
    parse_postal_code,
    split_departement,
)

words = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=12)


# --- normalise --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("St-Étienne", "saint etienne"),
        ("  st   etienne ", "saint etienne"),
        ("Ste-Marie-aux-Mines", "sainte marie aux mines"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("ÉVRY-COURCOURONNES", "evry courcouronnes"),
        ("Paris 1er Arrondissement", "paris 1er arrondissement"),
        ("Bastia", "bastia"),
        ("Stains", "stains"),  # « st » only as a whole word
        ("", ""),
    ],
)
def test_normalise_examples(text, expected):
    assert normalise(text) == expected


@given(st.text())
def test_normalise_is_idempotent_and_plain(text):
    result = normalise(text)
    assert normalise(result) == result
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", result)


@given(words, st.sampled_from(["-", " ", "  ", "- "]), st.sampled_from(["St", "ST", "st"]))
def test_normalise_spells_saint_out(word, separator, abbreviation):
    assert normalise(f"{abbreviation}{separator}{word}") == normalise(f"Saint {word}")
    assert normalise(f"{abbreviation}e{separator}{word}") == normalise(f"Sainte {word}")


@given(words)
def test_normalise_ignores_case_and_accents(word):
    assert normalise(word.upper()) == normalise(word.lower()) == normalise(word)


# --- postal and INSEE codes -------------------------------------------------------------------


@given(st.from_regex(r"[0-9]{5}", fullmatch=True), st.integers(0, 5))
def test_parse_postal_code_accepts_every_five_digit_code(code, cut):
    assert parse_postal_code(code) == code
    assert parse_postal_code(f" {code[:cut]} {code[cut:]} ") == code


@given(st.text())
def test_parse_postal_code_rejects_everything_else(text):
    compact = "".join(text.split())
    if not re.fullmatch(r"[0-9]{5}", compact, flags=re.ASCII):
        assert parse_postal_code(text) is None


@pytest.mark.parametrize("text", ["7500", "750011", "75OO1", "2A004", "٧٥٠٠١", "75-001", ""])
def test_parse_postal_code_rejects(text):
    assert parse_postal_code(text) is None


@pytest.mark.parametrize(
    ("code", "departement"),
    [
        ("01001", "01"),
        ("2A004", "2A"),
        ("2b033", "2B"),
        ("75101", "75"),
        ("95018", "95"),
        ("97105", "971"),
        ("97411", "974"),
        ("97611", "976"),
        ("97502", "975"),
        ("97701", "977"),
        ("97801", "978"),
    ],
)
def test_departement_from_insee_code(code, departement):
    assert departement_code_from_insee(code) == departement


@given(st.from_regex(r"(?:0[1-9]|[1-8][0-9]|9[0-5])[0-9]{3}", fullmatch=True))
def test_departement_from_mainland_insee_code(code):
    assert departement_code_from_insee(code) == code[:2]


@pytest.mark.parametrize("code", ["", "2C004", "7510", "751011", "ABCDE", None, "20 00"])
def test_departement_from_invalid_code(code):
    with pytest.raises(ValueError, match="Code INSEE invalide"):
        departement_code_from_insee(code)


@given(st.text())
def test_parse_insee_code_never_fails(text):
    code = parse_insee_code(text)
    assert code is None or re.fullmatch(r"[0-9]{5}|2[AB][0-9]{3}", code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Denis (93)", ("Saint-Denis", "93")),
        ("Ajaccio (2a)", ("Ajaccio", "2A")),
        ("Saint-Denis ( 974 )", ("Saint-Denis", "974")),
        ("Saint-Denis", ("Saint-Denis", None)),
        ("(93)", ("(93)", None)),
    ],
)
def test_split_departement(text, expected):
    assert split_departement(text) == expected


# --- distances --------------------------------------------------------------------------------

latitudes = st.floats(-80, 80)
longitudes = st.floats(-179, 179)


@pytest.mark.django_db
def test_paris_lyon():
    paris, lyon = Commune.objects.get(pk="75056"), Commune.objects.get(pk="69123")
    distance = distance_km((paris.latitude, paris.longitude), (lyon.latitude, lyon.longitude))
    assert distance == pytest.approx(392, abs=5)


@given(latitudes, longitudes, latitudes, longitudes)
def test_distance_is_a_distance(lat1, lon1, lat2, lon2):
    a, b = (lat1, lon1), (lat2, lon2)
    assert distance_km(a, a) == 0
    assert distance_km(a, b) == pytest.approx(distance_km(b, a))
    assert 0 <= distance_km(a, b) <= math.pi * 6371.0088 + 1e-6


def destination(lat, lon, bearing_deg, distance):
    """Point reached from (lat, lon) going `distance` km along `bearing_deg` (great circle)."""
    delta = distance / 6371.0088
    lat1, lon1, bearing = map(math.radians, (lat, lon, bearing_deg))
    lat2 = math.asin(
        math.sin(lat1) * math.cos(delta) + math.cos(lat1) * math.sin(delta) * math.cos(bearing)
    )
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(lat1),
        math.cos(delta) - math.sin(lat1) * math.sin(lat2),
    )
    return math.degrees(lat2), math.degrees(lon2)


@given(
    st.floats(-60, 60), st.floats(-170, 170), st.floats(0, 360), st.floats(0, 1), st.floats(1, 100)
)
def test_bounding_box_holds_the_whole_circle(lat, lon, bearing, fraction, radius):
    point = destination(lat, lon, bearing, radius * fraction)
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, radius)
    assert lat_min - 1e-9 <= point[0] <= lat_max + 1e-9
    assert lon_min - 1e-9 <= point[1] <= lon_max + 1e-9
    assert distance_km((lat, lon), point) == pytest.approx(radius * fraction, abs=1e-6)


@pytest.mark.django_db
def test_communes_within_equals_brute_force():
    everything = list(Commune.objects.values_list("code_insee", "latitude", "longitude"))
    rng = random.Random(20260101)
    centres = [(c[1], c[2]) for c in rng.sample(everything, 15)]
    centres += [(rng.uniform(42.5, 51), rng.uniform(-4.5, 8)) for _ in range(10)]
    centres += [(-21.1, 55.5), (16.25, -61.55), (4.9, -52.3), (46.78, -56.18), (18.07, -63.08)]
    for lat, lon in centres:
        radius = rng.choice([0.5, 5, 10, 20, 30, 75])
        expected = sorted(
            (round(distance_km((lat, lon), (c_lat, c_lon)), 9), code)
            for code, c_lat, c_lon in everything
            if distance_km((lat, lon), (c_lat, c_lon)) <= radius
        )
        found = communes_within(lat, lon, radius)
        assert [(round(n.distance_km, 9), n.commune.code_insee) for n in found] == expected


@pytest.mark.django_db
def test_communes_within_around_ajaccio():
    found = communes_within(41.9189, 8.7381, 10)
    assert found[0].commune.code_insee == "2A004"
    assert all(n.distance_km <= 10 for n in found)
    assert [n.distance_km for n in found] == sorted(n.distance_km for n in found)
    assert {n.commune.departement_id for n in found} == {"2A"}


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [(math.nan, 2, 5), (48, math.inf, 5), (48, 2, -1), ("x", 2, 5)],
)
def test_communes_within_rejects_invalid_input(lat, lon, radius):
    with pytest.raises(ValueError):
        communes_within(lat, lon, radius)
