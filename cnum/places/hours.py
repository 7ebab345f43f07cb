"""Opening hours in the OpenStreetMap `opening_hours` syntax: a small parser and renderer.

Covers what the per-day form produces and its common variants: rules separated by « ; », day
ranges and lists (« Mo-Fr », « Mo,We », « Sa-Mo »), several intervals (« 09:00-12:00,14:00-17:30 »),
« off » / « closed », « 24/7 » and « PH off » (closed on French public holidays). Anything else
(months, weeks, sunrise, comments, intervals past midnight…) is rejected with a French message:
we never store hours we would misread.
"""

import datetime
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
DAY_OF = {code.lower(): index for index, code in enumerate(DAYS)}
END_OF_DAY = 24 * 60
ALL_DAY = ((0, END_OF_DAY),)
EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00"

_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_DAY_ITEM = re.compile(r"([A-Za-z]{2})(?:-([A-Za-z]{2}))?")


class HoursError(ValueError):
    """The text is not opening hours we understand; `message` says why, in French."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WeeklyHours:
    """Open intervals per weekday (Monday first), in minutes since midnight, sorted, disjoint."""

    days: tuple = ((),) * 7
    ph_off: bool = False

    @property
    def is_empty(self):
        return not self.ph_off and not any(self.days)


def _error(text, detail):
    return HoursError(
        f"Horaires non reconnus : {detail} (dans « {text} »). "
        f"Écrivez-les par exemple « {EXAMPLE} »."
    )


def _minutes(token, text):
    match = _TIME.fullmatch(token)
    if not match:
        raise _error(text, f"« {token} » n'est pas une heure au format HH:MM")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise _error(text, f"l'heure « {token} » n'existe pas")
    return hours * 60 + minutes


def _intervals(selector, text):
    intervals = []
    for part in selector.split(","):
        bounds = part.strip().split("-")
        if len(bounds) != 2:
            raise _error(text, f"« {part.strip()} » n'est pas une plage « début-fin »")
        start, end = (_minutes(bound.strip(), text) for bound in bounds)
        if start >= END_OF_DAY:
            raise _error(text, f"la plage « {part.strip()} » commence à minuit passé")
        if end <= start:
            raise _error(
                text,
                f"la plage « {part.strip()} » finit avant de commencer ; une plage qui passe "
                "minuit s'écrit en deux jours",
            )
        intervals.append((start, end))
    intervals.sort()
    for (_, previous_end), (start, _) in zip(intervals, intervals[1:], strict=False):
        if start < previous_end:
            raise _error(text, "deux plages horaires se chevauchent")
    return tuple(intervals)


def _days(selector, text):
    found = []
    for item in selector.split(","):
        match = _DAY_ITEM.fullmatch(item.strip())
        first = DAY_OF.get(match[1].lower()) if match else None
        last = DAY_OF.get(match[2].lower()) if match and match[2] else first
        if first is None or last is None:
            raise _error(text, f"« {item.strip()} » n'est pas un jour (Mo, Tu, We, Th, Fr, Sa, Su)")
        span = (last - first) % 7  # « Sa-Mo » wraps over the week-end
        found.extend((first + offset) % 7 for offset in range(span + 1))
    return sorted(set(found))


def _apply_rule(rule, days, text):
    """Apply one « ; »-separated rule to `days` (a list of 7 tuples); True for « PH off »."""
    if rule == "24/7":
        days[:] = [ALL_DAY] * 7
        return False
    head, _, rest = rule.partition(" ")
    if head.upper() == "PH":
        if rest.strip().lower() not in ("off", "closed"):
            raise _error(text, "seul « PH off » (fermé les jours fériés) est pris en charge")
        return True
    if head[:1].isdigit():
        selected, times = list(range(7)), rule
    else:
        selected, times = _days(head, text), rest.strip()
    if not times:
        raise _error(text, f"la règle « {rule} » n'indique ni horaires ni « off »")
    value = () if times.lower() in ("off", "closed") else _intervals(times, text)
    for day in selected:
        days[day] = value
    return False


@functools.lru_cache(maxsize=4096)
def parse(text):
    """WeeklyHours from an OSM opening_hours string; raises HoursError if not understood."""
    text = " ".join(str(text or "").split())
    days, ph_off = [()] * 7, False
    if not text:
        return WeeklyHours()
    if len(text) > 500:
        raise HoursError("Horaires trop longs : 500 caractères au plus.")
    for rule in text.split(";"):
        rule = rule.strip()
        if not rule:
            continue
        if '"' in rule or "||" in rule or "[" in rule:
            raise _error(
                text, "les commentaires, semaines et règles de repli ne sont pas pris en charge"
            )
        ph_off = _apply_rule(rule, days, text) or ph_off
    return WeeklyHours(tuple(days), ph_off)


def _format_time(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _format_days(indexes):
    """« Mo-We,Fr » from [0, 1, 2, 4]: runs of consecutive days become ranges."""
    runs, start = [], None
    for position, day in enumerate(indexes):
        if start is None:
            start = day
        following = indexes[position + 1] if position + 1 < len(indexes) else None
        if following != day + 1:
            runs.append(DAYS[start] if start == day else f"{DAYS[start]}-{DAYS[day]}")
            start = None
    return ",".join(runs)


def render(hours):
    """The canonical OSM string of `hours`: one rule per distinct set of intervals, by first day."""
    if hours.days == (ALL_DAY,) * 7:
        rules = ["24/7"]
    else:
        groups = {}
        for day, intervals in enumerate(hours.days):
            if intervals:
                groups.setdefault(intervals, []).append(day)
        rules = [
            f"{_format_days(days)} "
            + ",".join(f"{_format_time(s)}-{_format_time(e)}" for s, e in key)
            for key, days in sorted(groups.items(), key=lambda item: item[1][0])
        ]
    if hours.ph_off:
        rules.append("PH off")
    return "; ".join(rules)


def normalise(text):
    """The canonical form of `text` (raises HoursError): what we store."""
    return render(parse(text))


# --- Open now -----------------------------------------------------------------------------------


def easter(year):
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    la = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * la) // 451
    month, day = divmod(h + la - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@functools.lru_cache(maxsize=64)
def public_holidays(year):
    """French national public holidays (mainland list; overseas add their own, not covered)."""
    sunday = easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [sunday + datetime.timedelta(days=n) for n in (1, 39, 50)]
    return frozenset([datetime.date(year, m, d) for m, d in fixed] + moving)


def is_open_at(hours, moment):
    """Whether the place is open at `moment` (an aware datetime), read in Europe/Paris time."""
    local = moment.astimezone(PARIS)
    if hours.ph_off and local.date() in public_holidays(local.year):
        return False
    minute = local.hour * 60 + local.minute
    return any(start <= minute < end for start, end in hours.days[local.weekday()])


# --- Display ------------------------------------------------------------------------------------


def _french_time(minutes):
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def describe_day(intervals):
    if not intervals:
        return "Fermé"
    if intervals == ALL_DAY:
        return "Ouvert 24 h sur 24"
    return " et ".join(f"de {_french_time(s)} à {_french_time(e)}" for s, e in intervals)


def week_table(hours):
    """[(day name, French description)] for the seven days, Monday first."""
    return [(DAY_NAMES[day], describe_day(hours.days[day])) for day in range(7)]


# --- The per-day form: a morning and an afternoon slot per day -----------------------------------

SLOTS_PER_DAY = 2


def from_day_slots(slots, ph_off=False):
    """WeeklyHours from 7 lists of (start, end) minutes, as the per-day form gives them."""
    days = []
    for day, intervals in enumerate(slots):
        days.append(_intervals_checked(tuple(sorted(intervals)), DAY_NAMES[day]))
    return WeeklyHours(tuple(days), ph_off)


def _intervals_checked(intervals, day_name):
    for start, end in intervals:
        if not 0 <= start < end <= END_OF_DAY:
            raise HoursError(f"{day_name} : l'heure de fermeture doit suivre l'heure d'ouverture.")
    for (_, previous_end), (start, _) in zip(intervals, intervals[1:], strict=False):
        if start < previous_end:
            raise HoursError(f"{day_name} : l'après-midi doit commencer après la fin du matin.")
    return intervals


def to_day_slots(hours):
    """The 7 lists of slots for the per-day form, or None if the hours do not fit it."""
    if any(len(intervals) > SLOTS_PER_DAY for intervals in hours.days):
        return None
    return [list(intervals) for intervals in hours.days]
