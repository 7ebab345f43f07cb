"""The gross monthly SMIC (35 hours a week), as dated configuration: a new amount is one new row.

Source: the yearly decrees on the minimum wage (Journal officiel). Amounts in euros, exact.
"""

import datetime
from decimal import ROUND_CEILING, Decimal

# (effective from, gross monthly amount), oldest first.
SMIC_MONTHLY_GROSS = (
    (datetime.date(2020, 1, 1), Decimal("1539.42")),
    (datetime.date(2021, 1, 1), Decimal("1554.58")),
    (datetime.date(2021, 10, 1), Decimal("1589.47")),
    (datetime.date(2022, 1, 1), Decimal("1603.12")),
    (datetime.date(2022, 5, 1), Decimal("1645.58")),
    (datetime.date(2022, 8, 1), Decimal("1678.95")),
    (datetime.date(2023, 1, 1), Decimal("1709.28")),
    (datetime.date(2023, 5, 1), Decimal("1747.20")),
    (datetime.date(2024, 1, 1), Decimal("1766.92")),
    (datetime.date(2024, 11, 1), Decimal("1801.80")),
    (datetime.date(2026, 1, 1), Decimal("1823.03")),
)
# The amounts above are for a full time; a part-time contract's floor is prorated to its hours.
FULL_TIME_WEEKLY_HOURS = 35
# The lowest amount ever in force: a database-level floor for any recorded salary.
SMIC_FLOOR = min(amount for _, amount in SMIC_MONTHLY_GROSS)


def smic_on(day):
    """The gross monthly SMIC in force on `day` (the oldest known amount before the table)."""
    amount = SMIC_MONTHLY_GROSS[0][1]
    for effective, value in SMIC_MONTHLY_GROSS:
        if effective > day:
            break
        amount = value
    return amount


def smic_for_hours(day, weekly_hours):
    """The SMIC in force on `day` prorated to `weekly_hours` a week, rounded up to the cent so
    that a salary at the displayed amount is never below the exact floor."""
    amount = smic_on(day)
    if weekly_hours == FULL_TIME_WEEKLY_HOURS:
        return amount
    prorated = amount * weekly_hours / FULL_TIME_WEEKLY_HOURS
    return prorated.quantize(Decimal("0.01"), rounding=ROUND_CEILING)
