"""Shares that add up to exactly 100 (largest remainder method)."""

from decimal import ROUND_FLOOR, Decimal


def largest_remainder(counts, decimals=0):
    """Percentages of `counts` rounded to `decimals` places whose sum is exactly 100 (all zeros
    when the total is 0). Each share is floored, then the units left go to the largest
    remainders (ties to the earlier item, so the result is stable)."""
    counts = list(counts)
    total = sum(counts)
    if total == 0:
        return [Decimal(0).quantize(Decimal(1).scaleb(-decimals))] * len(counts)
    unit = Decimal(1).scaleb(-decimals)
    exact = [Decimal(100) * c / total for c in counts]
    floors = [share.quantize(unit, rounding=ROUND_FLOOR) for share in exact]
    left = int((Decimal(100) - sum(floors)) / unit)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return floors
