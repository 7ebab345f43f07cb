"""French wording helpers: one place for the elision of « de » before a name and for the
writing of numbers."""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

VOWELS = set("aeiouy")


def starts_with_vowel(text):
    text = str(text).strip()
    if not text:
        return False
    first = unicodedata.normalize("NFD", text[0].lower())[0]
    return first in VOWELS


def de(text):
    """« de » before a name, elided before a vowel: « d'Amélie », « de Bruno »."""
    text = str(text).strip()
    return f"d'{text}" if starts_with_vowel(text) else f"de {text}"


# French digit grouping, a no-break space: what Django's French formats print. The national
# dashboard prints about a thousand numbers, and `intcomma` and `floatformat` look the locale's
# formats up again for each (measured: a fifth of the page's rendering).
GROUPING = "\u00a0"
TENTH = Decimal("0.1")


def nombre(value):
    """1234567 → « 1 234 567 », as `intcomma` writes an integer in French."""
    if type(value) is not int:
        return intcomma(value)
    return f"{value:,}".replace(",", GROUPING)


def dixieme(value):
    """12.25 → « 12,3 », as `floatformat:1` writes a number in French (half away from zero, no
    grouping, never « -0,0 »)."""
    if type(value) not in (int, float):
        return floatformat(value, 1)
    rounded = Decimal(repr(value)).quantize(TENTH, ROUND_HALF_UP)
    return f"{rounded + 0:f}".replace(".", ",")  # + 0 turns -0.0 into 0.0
