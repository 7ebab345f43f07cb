"""French wording helpers: one place for the elision of « de » before a name."""

import unicodedata

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
