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
    """Open intervals per weekday (Monday first), in minutes since midnight, sorted, disjoint;
    `ph_closed[day]`: whether « PH off » closes that weekday's public holidays. A later rule
    overrides an earlier one, so « PH off; Mo-Fr 09:00-17:00 » is open on holidays, Mo to Fr."""

    days: tuple = ((),) * 7
    ph_closed: tuple = (False,) * 7

    @property
    def ph_off(self):
        """Closed on every public holiday (« PH off » overrides every opening)."""
        return all(self.ph_closed)

    @property
    def is_empty(self):
        return not any(self.ph_closed) and not any(self.days)


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


def _apply_rule(rule, days, ph_closed, text, first):
    """Apply one « ; »-separated rule to `days` and `ph_closed` (lists of 7), in place."""
    if rule == "24/7":
        days[:], ph_closed[:] = [ALL_DAY] * 7, [False] * 7
        return
    head, _, rest = rule.partition(" ")
    if head.upper() == "PH":
        if rest.strip().lower() not in ("off", "closed"):
            raise _error(text, "seul « PH off » (fermé les jours fériés) est pris en charge")
        ph_closed[:] = [True] * 7
        return
    if head[:1].isdigit():
        if not first:  # the reference parser adds it to the earlier rules' hours
            raise _error(
                text,
                f"une règle sans jours (« {rule} ») ne peut venir qu'en premier ; précisez ses "
                "jours, par exemple « Mo-Su »",
            )
        selected, times = list(range(7)), rule
    else:
        selected, times = _days(head, text), rest.strip()
    if not times:
        raise _error(text, f"la règle « {rule} » n'indique ni horaires ni « off »")
    value = () if times.lower() in ("off", "closed") else _intervals(times, text)
    for day in selected:
        days[day], ph_closed[day] = value, False


def _canonical(days, ph_closed):
    """WeeklyHours whose closed days follow « PH off » when it is present: a closed day is
    closed on holidays too, so this changes no meaning and gives one value per meaning."""
    present = any(closed for day, closed in zip(days, ph_closed, strict=True) if day)
    present = present or (not any(days) and any(ph_closed))
    flags = tuple(closed if day else present for day, closed in zip(days, ph_closed, strict=True))
    return WeeklyHours(tuple(days), flags)


@functools.lru_cache(maxsize=4096)
def parse(text):
    """WeeklyHours from an OSM opening_hours string; raises HoursError if not understood."""
    text = " ".join(str(text or "").split())
    days, ph_closed = [()] * 7, [False] * 7
    if not text:
        return WeeklyHours()
    if len(text) > 500:
        raise HoursError("Horaires trop longs : 500 caractères au plus.")
    rules = [rule.strip() for rule in text.split(";") if rule.strip()]
    for position, rule in enumerate(rules):
        if '"' in rule or "||" in rule or "[" in rule:
            raise _error(
                text, "les commentaires, semaines et règles de repli ne sont pas pris en charge"
            )
        _apply_rule(rule, days, ph_closed, text, first=position == 0)
    return _canonical(days, ph_closed)


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


def _rules(hours, closed_on_holidays):
    """One rule per distinct set of intervals (by first day), for the days whose holidays are
    (or are not) closed by « PH off »."""
    groups = {}
    for day, intervals in enumerate(hours.days):
        if intervals and hours.ph_closed[day] == closed_on_holidays:
            groups.setdefault(intervals, []).append(day)
    return [
        f"{_format_days(days)} " + ",".join(f"{_format_time(s)}-{_format_time(e)}" for s, e in key)
        for key, days in sorted(groups.items(), key=lambda item: item[1][0])
    ]


def render(hours):
    """The canonical OSM string of `hours`: the rules « PH off » closes on holidays, then
    « PH off », then the rules that stay open on holidays (a later rule overrides)."""
    if hours.days == (ALL_DAY,) * 7 and len(set(hours.ph_closed)) == 1:
        before, after = (["24/7"], []) if hours.ph_off else ([], ["24/7"])
    else:
        before, after = _rules(hours, True), _rules(hours, False)
    if any(hours.ph_closed):
        return "; ".join([*before, "PH off", *after])
    return "; ".join(after)


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
    if hours.ph_closed[local.weekday()] and local.date() in public_holidays(local.year):
        return False
    minute = local.hour * 60 + local.minute
    return any(start <= minute < end for start, end in hours.days[local.weekday()])


# Far enough to step over two weeks whose only opening day is a public holiday (a place open
# on Fridays only, at Christmas and New Year's Day).
LOOKAHEAD_DAYS = 22


def _local_moment(day, minutes):
    return datetime.datetime(
        day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=PARIS
    )


def next_opening(hours, now):
    """The first moment at or after `now` (aware) when the place is open, in Europe/Paris time;
    None when it opens on no day of the next three weeks (closed all week, or no hours)."""
    local = now.astimezone(PARIS)
    minute = local.hour * 60 + local.minute
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + datetime.timedelta(days=offset)
        weekday = day.weekday()
        if hours.ph_closed[weekday] and day in public_holidays(day.year):
            continue
        for start, end in hours.days[weekday]:
            if offset == 0 and end <= minute:
                continue  # this slot is over for today
            if offset == 0 and start <= minute:
                return local.replace(second=0, microsecond=0)
            return _local_moment(day, start)
    return None


# --- Display ------------------------------------------------------------------------------------

MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def _french_time(minutes):
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def describe_next_opening(moment, now):
    """« aujourd'hui à 14 h », « demain à 9 h », « lundi 14 décembre à 9 h » (Paris time)."""
    moment, today = moment.astimezone(PARIS), now.astimezone(PARIS).date()
    at = _french_time(moment.hour * 60 + moment.minute)
    days = (moment.date() - today).days
    if days == 0:
        return f"aujourd'hui à {at}"
    if days == 1:
        return f"demain à {at}"
    day_name = DAY_NAMES[moment.weekday()].lower()
    number = "1er" if moment.day == 1 else moment.day
    return f"{day_name} {number} {MONTH_NAMES[moment.month - 1]} à {at}"


def next_opening_text(hours, now):
    """« Ouvre demain à 9 h » for a place closed at `now`; empty when open or never opening."""
    if is_open_at(hours, now):
        return ""
    moment = next_opening(hours, now)
    return f"Ouvre {describe_next_opening(moment, now)}" if moment else ""


def describe_day(intervals):
    if not intervals:
        return "Fermé"
    if intervals == ALL_DAY:
        return "Ouvert 24 h sur 24"
    return " et ".join(f"de {_french_time(s)} à {_french_time(e)}" for s, e in intervals)


def holidays_note(hours):
    """What public holidays change, in French (empty when nothing)."""
    closing = [day for day in range(7) if hours.days[day] and hours.ph_closed[day]]
    staying = [DAY_NAMES[day].lower() for day in range(7) if hours.days[day] and day not in closing]
    if not closing:
        return ""
    if not staying:
        return "Fermé les jours fériés."
    return f"Fermé les jours fériés, sauf s'ils tombent un {' ou un '.join(staying)}."


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
    return _canonical(days, [bool(ph_off)] * 7)


def _intervals_checked(intervals, day_name):
    for start, end in intervals:
        if not 0 <= start < end <= END_OF_DAY:
            raise HoursError(f"{day_name} : l'heure de fermeture doit suivre l'heure d'ouverture.")
    for (_, previous_end), (start, _) in zip(intervals, intervals[1:], strict=False):
        if start < previous_end:
            raise HoursError(f"{day_name} : l'après-midi doit commencer après la fin du matin.")
    return intervals


def to_day_slots(hours):
    """The 7 lists of slots for the per-day form, or None if the hours do not fit it (its one
    « closed on holidays » box cannot say that only some days close on holidays)."""
    if any(len(intervals) > SLOTS_PER_DAY for intervals in hours.days):
        return None
    if len(set(hours.ph_closed)) > 1:
        return None
    return [list(intervals) for intervals in hours.days]
