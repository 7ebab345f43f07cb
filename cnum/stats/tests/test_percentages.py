from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cnum.stats.percentages import largest_remainder


def test_thirds_add_up_to_100():
    assert largest_remainder([1, 1, 1]) == [34, 33, 33]


def test_one_decimal():
    assert largest_remainder([2, 1], decimals=1) == [Decimal("66.7"), Decimal("33.3")]


def test_nothing_counted_gives_zeros():
    assert largest_remainder([0, 0]) == [0, 0]


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30))
def test_shares_always_add_up_to_100_and_stay_within_one_unit(counts):
    shares = largest_remainder(counts)
    if sum(counts):
        assert sum(shares) == 100
        for count, share in zip(counts, shares, strict=True):
            assert abs(Decimal(100) * count / sum(counts) - share) < 1
