"""SIRET validation: 14 digits, Luhn checksum; La Poste's establishments use a digit-sum rule."""

from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"


def normalise_siret(value):
    """What people type (« 130 025 265 00013 », dots, dashes) reduced to the digits."""
    return "".join(ch for ch in str(value) if ch not in " .-\u00a0\u202f")


def luhn_valid(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_valid_siret(value):
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        return False
    if luhn_valid(siret):
        return True
    # La Poste has more establishments than the Luhn key allows under one SIREN: the others
    # (its head office keeps the usual key) are valid when their digits add up to a multiple of 5.
    return siret.startswith(LA_POSTE_SIREN) and sum(int(c) for c in siret) % 5 == 0


def validate_siret(value):
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        raise ValidationError(
            "Le SIRET compte 14 chiffres (par exemple 130 025 265 00013).", code="format"
        )
    if not is_valid_siret(siret):
        raise ValidationError(
            "Ce numéro SIRET n'existe pas : vérifiez-le sur votre avis de situation SIRENE "
            "ou sur annuaire-entreprises.data.gouv.fr.",
            code="checksum",
        )
