"""Numbers are written the French way, as Django's `intcomma` and `floatformat:1` write them."""

import random

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from cnum.core.text import dixieme, nombre

INTEGERS = [0, 1, -1, 999, 1000, -1000, 1234567, -1234567, 10**12]
DECIMALS = [0.0, -0.0, 0.05, 0.15, 0.25, -0.05, -0.04, 12.25, 99.95, 100.0, 2.675, 1 / 3, 3, -3]


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def test_integers_are_grouped_by_thousands_with_no_break_spaces():
    assert nombre(1234567) == "1\u00a0234\u00a0567"
    rng = random.Random(7)
    for value in INTEGERS + [rng.randint(-(10**9), 10**9) for _ in range(500)]:
        assert nombre(value) == intcomma(value), value


def test_tenths_round_half_away_from_zero_with_a_decimal_comma():
    assert dixieme(12.25) == "12,3"
    assert dixieme(-0.04) == "0,0"
    rng = random.Random(7)
    randoms = [round(rng.uniform(-1000, 1000), rng.choice((1, 2, 3))) for _ in range(1000)]
    for value in DECIMALS + randoms:
        assert dixieme(value) == floatformat(value, 1), value


def test_other_values_are_written_as_django_writes_them():
    for value in ("1234", None, "", "abc"):
        assert nombre(value) == intcomma(value)
        assert dixieme(value) == floatformat(value, 1)


def test_the_filters_print_the_same_in_a_template():
    page = Template("{% load french %}{{ n|nombre }} — {{ x|dixieme }} %")
    assert page.render(Context({"n": 20500, "x": 33.333})) == "20\u00a0500 — 33,3 %"
