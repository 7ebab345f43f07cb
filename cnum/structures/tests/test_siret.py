import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cnum.structures.siret import LA_POSTE_SIREN, is_valid_siret, luhn_valid, validate_siret
from cnum.structures.testing import luhn_complete

prefixes = st.text(alphabet="0123456789", min_size=13, max_size=13).filter(
    lambda p: not p.startswith(LA_POSTE_SIREN)
)


@given(prefixes)
def test_luhn_valid_sirets_are_accepted(prefix):
    siret = luhn_complete(prefix)
    assert is_valid_siret(siret)
    validate_siret(siret)


@given(prefixes, st.integers(0, 13), st.integers(1, 9))
def test_changing_one_digit_is_refused(prefix, position, delta):
    siret = luhn_complete(prefix)
    digit = (int(siret[position]) + delta) % 10
    changed = siret[:position] + str(digit) + siret[position + 1 :]
    if changed.startswith(LA_POSTE_SIREN):
        return  # another rule applies to La Poste
    assert not is_valid_siret(changed)
    with pytest.raises(ValidationError):
        validate_siret(changed)


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_la_poste_sirets_follow_either_rule(suffix):
    siret = LA_POSTE_SIREN + suffix
    assert is_valid_siret(siret) == (sum(map(int, siret)) % 5 == 0 or luhn_valid(siret))


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("35600000000048", True),  # head office: Luhn key, digit sum 26
        ("35600000049837", True),  # an establishment valid only by the digit sum
        ("35600000012345", False),  # neither
    ],
)
def test_la_poste_head_office_and_establishments(siret, valid):
    assert is_valid_siret(siret) is valid


def test_la_poste_siret_valid_without_luhn():
    siret = next(
        LA_POSTE_SIREN + f"{n:05d}"
        for n in range(100000)
        if sum(map(int, LA_POSTE_SIREN + f"{n:05d}")) % 5 == 0
        and not luhn_valid(LA_POSTE_SIREN + f"{n:05d}")
    )
    assert is_valid_siret(siret)


@pytest.mark.parametrize(
    "value",
    ["", "1234567890123", "123456789012345", "1234567890123a", "１２３４５６７８９０１２３４"],
)
def test_malformed_values_are_refused_with_a_french_message(value):
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert "14 chiffres" in error.value.messages[0]


def test_spaces_are_accepted():
    assert is_valid_siret("130 025 265 00013")
