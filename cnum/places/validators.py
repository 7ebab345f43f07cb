"""Field rules of the national standard, as its reference library checks them: a value we accept
is a value the official validator accepts unchanged."""

import re

from django.core.exceptions import ValidationError

from cnum.exports.writers import FORMULA_TRIGGERS
from cnum.structures.siret import normalise_siret, validate_siret

_RNA = re.compile(r"W[0-9]{9}")
# Same expressions as @gouvfr-anct/lieux-de-mediation-numerique (JavaScript `u` flag: \w is ASCII).
_VOIE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿœ-ŸŒ\-,()°.&:+–;'’/\s]+")
_TELEPHONE = re.compile(
    r"(?:(?:\+|00)(?:33|262|269|508|590|594|596|681|687|689)[\s.-]{0,3}(?:\(0\)[\s.-]{0,3})?|0)"
    r"(?:(?:[1-9](?:[\s.-]?\d{2}){4}|\d{2}(?:[\s.-]\d{3}){2})|\d{6}|\s\d{3}(?:\s\d{2}){3})",
    re.ASCII,
)
_URL = re.compile(
    r"[A-Za-z]{3,9}:(?://)?(?:[;:&=+$,\w-]+@)?[A-Za-z0-9.-]+"
    r"(?:(?:/[+~,%@/.\w_-]*)?\??[-+=&;%@.\w_]*#?[.!/\\\w]*)?",
    re.ASCII,
)
_COURRIEL = re.compile(
    r"[a-zA-Z0-9_][a-zA-Z0-9.!#$%&'*+\\=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])+",
    re.ASCII,
)


def validate_pivot(value):
    """SIRET (14 digits, checked) or RNA number (W and 9 digits)."""
    value = normalise_siret(value).upper()
    if _RNA.fullmatch(value):
        return value
    if not (value.isascii() and value.isdigit() and len(value) == 14):
        raise ValidationError(
            "Indiquez le SIRET (14 chiffres) ou le numéro RNA (W suivi de 9 chiffres) du lieu.",
            code="pivot",
        )
    validate_siret(value)
    return value


def validate_address(value):
    if not _VOIE.fullmatch(value):
        raise ValidationError(
            "L'adresse ne peut contenir que des lettres, des chiffres, des espaces et la "
            "ponctuation usuelle (, . - ' / ( ) °).",
            code="adresse",
        )


def is_telephone(value):
    """Digits and separators only: a leading « + » is a country code, never a formula."""
    return bool(_TELEPHONE.fullmatch(value))


def validate_telephone(value):
    if not is_telephone(value):
        raise ValidationError(
            "Indiquez un numéro de téléphone français, par exemple 04 72 00 00 00 ou "
            "+262 262 00 00 00.",
            code="telephone",
        )


def validate_url(value):
    if not _URL.fullmatch(value) or not value.lower().startswith(("http://", "https://")):
        raise ValidationError(
            "Indiquez une adresse web complète commençant par https://, sans espace ni accent.",
            code="url",
        )


def validate_courriel(value):
    if not _COURRIEL.fullmatch(value):
        raise ValidationError(
            f"« {value} » n'est pas une adresse électronique valide.", code="mail"
        )


def validate_no_formula(value):
    """Free text published in the open-data CSV must not read as a spreadsheet formula."""
    if value.startswith(FORMULA_TRIGGERS):
        raise ValidationError(
            "Le texte ne peut pas commencer par « = », « + », « - » ou « @ » : retirez ou "
            "remplacez ce premier caractère.",
            code="formula",
        )
