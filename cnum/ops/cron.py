"""Cron expressions of the periodic jobs: APScheduler triggers, and the schedule in words."""

import datetime
import re
from functools import cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings

DAYS = {
    "mon": "lundi",
    "tue": "mardi",
    "wed": "mercredi",
    "thu": "jeudi",
    "fri": "vendredi",
    "sat": "samedi",
    "sun": "dimanche",
}


@cache
def trigger(expr):
    """The trigger of a 5-field crontab expression, in the site's time zone (Europe/Paris).

    Weekdays are written as names (mon-fri): APScheduler 3 numbers them from Monday = 0,
    unlike cron.
    """
    return CronTrigger.from_crontab(expr, timezone=ZoneInfo(settings.TIME_ZONE))


def next_fire(expr, now):
    return trigger(expr).get_next_fire_time(None, now)


def last_fire(expr, now, window):
    """The latest tick at or before `now`, no older than `window`: the one a late scheduler
    serves (an older tick of the window was served, or is skipped, in its own turn)."""
    cron, latest = trigger(expr), None
    fire = cron.get_next_fire_time(None, now - window)
    while fire is not None and fire <= now:
        latest = fire
        fire = cron.get_next_fire_time(fire, fire + datetime.timedelta(seconds=1))
    return latest


def min_interval(expr, start):
    """Shortest gap between two ticks over the week following `start`."""
    gaps, previous = [], next_fire(expr, start)
    end = start + datetime.timedelta(days=7)
    while previous is not None and previous < end:
        fire = trigger(expr).get_next_fire_time(previous, previous + datetime.timedelta(seconds=1))
        gaps.append(fire - previous)
        previous = fire
    return min(gaps)


def _at(hour, minute):
    return f"à {int(hour)} h {int(minute):02d}"


def _days(field):
    if field in DAYS:
        return f"chaque {DAYS[field]}"
    first, sep, last = field.partition("-")
    if sep and first in DAYS and last in DAYS:
        return f"du {DAYS[first]} au {DAYS[last]}"
    return None


def describe(expr):
    """The schedule in French words, for the common shapes; the expression itself otherwise."""
    minute, hour, day, month, weekday = expr.split()
    number = re.compile(r"\d+$")
    every = re.fullmatch(r"\*/(\d+)", minute)
    if every and (hour, day, month, weekday) == ("*", "*", "*", "*"):
        return f"toutes les {every[1]} minutes"
    if number.match(minute) and hour == "*" and (day, month, weekday) == ("*", "*", "*"):
        return f"toutes les heures, à la minute {int(minute)}"
    if number.match(minute) and number.match(hour) and month == "*":
        if day == "*" and weekday == "*":
            return f"chaque jour {_at(hour, minute)}"
        if day == "*" and (days := _days(weekday)):
            return f"{days} {_at(hour, minute)}"
        if number.match(day) and weekday == "*":
            ordinal = "1er" if day == "1" else day
            return f"le {ordinal} de chaque mois {_at(hour, minute)}"
    return f"selon l'expression cron « {expr} »"
