"""Calendar arithmetic shared by the bounds on dates people enter."""

import datetime


def add_years(day, years):
    """The same day `years` later (or earlier); 29 February becomes 28 February when needed.

    Beyond the calendar's range the answer saturates at date.min / date.max instead of raising.
    """
    year = day.year + years
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
