"""Reading raw GET/POST values: the one place where text typed by anyone becomes a Python value.

Every function answers None (or an empty list, or the default) for anything it cannot read
safely, never raises: `²` passes `str.isdigit()` but not `int()`, a NUL byte breaks PostgreSQL,
an integer beyond 64 bits breaks SQLite, and a date near year 1 or 9999 overflows as soon as a
duration is added to it.
"""

import datetime
import re

from django.core.exceptions import ValidationError

# The largest id any database column of the project holds (a signed 64-bit integer).
ID_MAX = 2**63 - 1
# Dates any computation of the service may still add centuries to without overflowing (Python
# dates end at year 9999). Forms with tighter business bounds check them after this one.
YEAR_MIN = 1000
YEAR_MAX = 8999
DATE_MIN = datetime.date(YEAR_MIN, 1, 1)
DATE_MAX = datetime.date(YEAR_MAX, 12, 31)

_DECIMAL = re.compile(r"[0-9]{1,19}")


def clean_int(value, *, minimum=0, maximum=ID_MAX):
    """`value` (any object) as an int when it is plain ASCII decimal digits within bounds."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def clean_str(value, *, max_length=None):
    """`value` stripped, "" when it is not text or holds a NUL byte; cut at `max_length`."""
    if not isinstance(value, str) or "\x00" in value:
        return ""
    value = value.strip()
    return value[:max_length] if max_length else value


def clean_date(value):
    """An ISO date (YYYY-MM-DD) between YEAR_MIN and YEAR_MAX, else None."""
    text = clean_str(value, max_length=10)
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def int_param(data, name, **bounds):
    """The id or count `name` of a QueryDict (request.GET / request.POST), else None."""
    return clean_int(data.get(name), **bounds)


def int_list_param(data, name, **bounds):
    """Every readable integer among the repeated values of `name`, unreadable ones dropped."""
    numbers = (clean_int(value, **bounds) for value in data.getlist(name))
    return [number for number in numbers if number is not None]


def str_param(data, name, default="", *, max_length=None):
    """The text `name`, stripped; `default` when absent, not text or holding a NUL byte."""
    value = clean_str(data.get(name), max_length=max_length)
    return value or default


def choice_param(data, name, choices, default=""):
    """`name` when it is one of `choices` (exact match), else `default`."""
    value = data.get(name)
    return value if isinstance(value, str) and value in choices else default


def date_param(data, name):
    """The ISO date `name` within sane years, else None."""
    return clean_date(data.get(name))


def has_nul(text):
    return isinstance(text, str) and "\x00" in text


def validate_sane_date(value):
    """Form validator: a date (or date and time) within YEAR_MIN..YEAR_MAX."""
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            f"Saisissez une date entre {YEAR_MIN} et {YEAR_MAX}.", code="date_out_of_range"
        )
