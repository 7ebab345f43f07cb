"""OSM opening hours: parsing, rendering, the per-day form's round trip, open-now in Paris time."""

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cnum.places import hours as h

UTC = datetime.UTC


def paris(*args):
    return datetime.datetime(*args, tzinfo=h.PARIS)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        (
            "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00",
            "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00",
        ),
        ("Mo-Fr 09:00-12:00; PH off", "Mo-Fr 09:00-12:00; PH off"),
        ("PH off; Mo-Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),  # open on holidays: PH off overridden
        ("Mo-Fr 09:00-12:00; PH off; Sa 09:00-12:00", "Mo-Fr 09:00-12:00; PH off; Sa 09:00-12:00"),
        ("mo,we,fr 9:00-12:00", "Mo,We,Fr 09:00-12:00"),
        ("Sa-Mo 10:00-12:00", "Mo,Sa-Su 10:00-12:00"),
        ("09:00-18:00; Su off", "Mo-Sa 09:00-18:00"),
        ("Mo-Su 08:00-20:00; We closed", "Mo-Tu,Th-Su 08:00-20:00"),
        ("Mo 14:00-17:00 , 09:00-12:00", "Mo 09:00-12:00,14:00-17:00"),
        ("24/7", "24/7"),
        ("Mo-Su 00:00-24:00; PH off", "24/7; PH off"),
        ("  Tu   10:00-11:00 ;", "Tu 10:00-11:00"),
        ("", ""),
    ],
)
def test_common_variants_are_read_and_written_canonically(text, canonical):
    assert h.normalise(text) == canonical
    assert h.normalise(canonical) == canonical


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Mo-Fr 22:00-02:00", "passe minuit"),
        ("Jan-Mar 10:00-12:00", "n'est pas un jour"),
        ("Mo 10:00-12:00,11:00-13:00", "se chevauchent"),
        ("PH 10:00-12:00", "PH off"),
        ("Mo 25:00-26:00", "n'existe pas"),
        ("Mo 10h-12h", "HH:MM"),
        ("Mo-Fr", "ni horaires"),
        ('Mo 10:00-12:00 "sur rendez-vous"', "commentaires"),
        ("Mo[1] 10:00-12:00", "semaines"),
        ("sunrise-sunset", "n'est pas un jour"),
        ("open", "n'est pas un jour"),
        ("Mo 10:00-12:00; 09:00-18:00", "qu'en premier"),  # the reference adds, not overrides
    ],
)
def test_what_cannot_be_read_is_rejected_with_a_french_message(text, says):
    with pytest.raises(h.HoursError) as error:
        h.parse(text)
    assert says in error.value.message
    assert "Mo-Fr 09:00-12:00" in error.value.message  # an example of what to write


# --- Round trips -------------------------------------------------------------------------------

minutes = st.integers(min_value=0, max_value=h.END_OF_DAY)


@st.composite
def day_slots(draw):
    """What the per-day form produces: 0, 1 or 2 disjoint slots, minute precision."""
    count = draw(st.integers(0, 2))
    bounds = sorted(draw(st.lists(minutes, min_size=2 * count, max_size=2 * count, unique=True)))
    return [(bounds[i], bounds[i + 1]) for i in range(0, 2 * count, 2)]


form_hours = st.builds(
    h.from_day_slots, st.lists(day_slots(), min_size=7, max_size=7), st.booleans()
)


@given(form_hours)
def test_form_hours_survive_a_round_trip(hours):
    text = h.render(hours)
    assert h.parse(text) == hours
    assert h.render(h.parse(text)) == text
    assert h.to_day_slots(h.parse(text)) == [list(day) for day in hours.days]


day_codes = st.sampled_from(h.DAYS)
time_text = st.builds(lambda m: f"{m // 60:02d}:{m % 60:02d}", st.integers(0, 24 * 60))
rule = st.one_of(
    st.builds(lambda d, a, b: f"{d} {a}-{b}", day_codes, time_text, time_text),
    st.builds(lambda d, e, a, b: f"{d}-{e} {a}-{b}", day_codes, day_codes, time_text, time_text),
    st.builds(lambda d: f"{d} off", day_codes),
    st.builds(lambda d, e: f"{d}-{e} off", day_codes, day_codes),
    st.builds(lambda a, b: f"{a}-{b}", time_text, time_text),
    st.just("PH off"),
    st.just("24/7"),
)


@given(st.lists(rule, min_size=1, max_size=5).map("; ".join))
def test_any_accepted_text_renders_to_a_fixed_point(text):
    try:
        hours = h.parse(text)
    except h.HoursError:
        return  # rejected texts are the other test's business
    rendered = h.render(hours)
    assert h.parse(rendered) == hours
    assert h.render(h.parse(rendered)) == rendered


# --- Meaning, as the OpenStreetMap reference parser reads it -------------------------------------

CHECKER = Path(settings.BASE_DIR) / "tools" / "standard-check"
needs_parser = pytest.mark.skipif(
    not ((CHECKER / "node_modules" / "opening_hours").exists() and shutil.which("node")),
    reason="analyseur de référence absent : lancer « npm ci » dans tools/standard-check",
)
# A whole year, with every French public holiday (on weekdays and on a Saturday and a Sunday).
YEAR = (datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))


@pytest.fixture(scope="module")
def reference_parser():
    """One node process for the whole module: each call sends a batch of texts and gets, for each,
    the open slots of the year as opening_hours (npm) reads them."""
    process = subprocess.Popen(  # noqa: S603 — fixed command, our own script
        [shutil.which("node"), str(CHECKER / "hours.js")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TZ": "UTC"},
    )

    def open_slots(*texts):
        request = {"from": YEAR[0].isoformat(), "to": YEAR[1].isoformat(), "texts": texts}
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        return [_merged(answer) for answer in json.loads(process.stdout.readline())]

    yield open_slots
    process.stdin.close()
    process.wait(timeout=10)


def _merged(slots):
    """Slots as {date: [(start, end) minutes]}, contiguous slots of a day joined."""
    if isinstance(slots, dict):
        return slots  # the reference parser's error
    days = {}
    for slot in slots:
        date, _, times = slot.partition(" ")
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in times.split("-"))
        day = days.setdefault(date, [])
        if day and day[-1][1] == start:
            day[-1] = (day[-1][0], end)
        else:
            day.append((start, end))
    return days


def our_slots(hours):
    """What `is_open_at` means over the year, in the reference parser's shape."""
    slots, date = [], YEAR[0]
    while date < YEAR[1]:
        closed = hours.ph_closed[date.weekday()] and date in h.public_holidays(date.year)
        for start, end in () if closed else hours.days[date.weekday()]:
            slots.append(f"{date} {h._format_time(start)}-{h._format_time(end)}")
        date += datetime.timedelta(days=1)
    return _merged(slots)


@needs_parser
@hypothesis_settings(deadline=None)  # the first call starts node
@given(st.lists(rule, min_size=1, max_size=5).map("; ".join))
def test_accepted_text_keeps_its_meaning_for_the_reference_parser(reference_parser, text):
    try:
        hours = h.parse(text)
    except h.HoursError:
        return
    typed, stored = reference_parser(text, h.render(hours))
    assert stored == typed  # what we store means what was typed
    assert our_slots(hours) == typed  # and « open now » reads it the same way


@needs_parser
@hypothesis_settings(deadline=None)
@given(form_hours)
def test_form_hours_mean_what_the_form_says(reference_parser, hours):
    (stored,) = reference_parser(h.render(hours))
    assert stored == our_slots(hours)


@needs_parser
def test_a_later_rule_overrides_public_holidays_closing(reference_parser):
    open_on_holidays, closed_on_holidays = "PH off; Mo-Fr 09:00-17:00", "Mo-Fr 09:00-17:00; PH off"
    typed = reference_parser(open_on_holidays, closed_on_holidays)
    assert typed[0]["2026-07-14"] == [(540, 1020)]  # a Tuesday, Fête nationale
    assert "2026-07-14" not in typed[1]
    for text in (open_on_holidays, closed_on_holidays):
        assert reference_parser(h.normalise(text)) == reference_parser(text)
    assert h.is_open_at(h.parse(open_on_holidays), paris(2026, 7, 14, 10, 0))
    assert not h.is_open_at(h.parse(closed_on_holidays), paris(2026, 7, 14, 10, 0))
    mixed = "Mo-Fr 09:00-17:00; PH off; Sa 10:00-12:00"
    assert h.normalise(mixed) == mixed  # open on a Saturday holiday, closed on the others
    assert h.to_day_slots(h.parse(mixed)) is None  # the form's single box cannot say it


def test_the_form_refuses_overlapping_or_reversed_slots():
    with pytest.raises(h.HoursError, match="après-midi"):
        h.from_day_slots([[(540, 720), (700, 800)]] + [[]] * 6)
    with pytest.raises(h.HoursError, match="Mardi"):
        h.from_day_slots([[], [(720, 540)]] + [[]] * 5)


def test_hours_with_three_slots_do_not_fit_the_form():
    assert h.to_day_slots(h.parse("Mo 08:00-09:00,10:00-11:00,12:00-13:00")) is None


# --- Open now ----------------------------------------------------------------------------------


def test_open_now_uses_paris_time_not_utc():
    hours = h.parse("Mo-Fr 09:00-12:00")
    # Monday 2026-01-05 08:30 UTC is 09:30 in Paris (winter, UTC+1).
    assert h.is_open_at(hours, datetime.datetime(2026, 1, 5, 8, 30, tzinfo=UTC))
    assert not h.is_open_at(hours, datetime.datetime(2026, 1, 5, 7, 30, tzinfo=UTC))


def test_midnight_edges():
    hours = h.parse("Mo 20:00-24:00; Tu 00:00-01:00")
    assert h.is_open_at(hours, paris(2026, 1, 5, 23, 59, 59))
    assert h.is_open_at(hours, paris(2026, 1, 6, 0, 0))
    assert h.is_open_at(hours, paris(2026, 1, 6, 0, 59))
    assert not h.is_open_at(hours, paris(2026, 1, 6, 1, 0))  # the end is excluded
    assert not h.is_open_at(hours, paris(2026, 1, 5, 19, 59))
    assert not h.is_open_at(h.parse("Mo 20:00-24:00"), paris(2026, 1, 6, 0, 0))


def test_spring_forward_last_sunday_of_march():
    # 2026-03-29: at 02:00 CET clocks jump to 03:00 CEST.
    hours = h.parse("Su 03:00-04:00")
    assert not h.is_open_at(hours, datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC))  # 01:59
    assert h.is_open_at(hours, datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 03:00
    early = h.parse("Su 01:00-02:30")
    assert h.is_open_at(early, datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC))  # 01:30 CET


def test_fall_back_last_sunday_of_october():
    # 2026-10-25: at 03:00 CEST clocks go back to 02:00 CET; 02:30 happens twice.
    hours = h.parse("Su 02:00-03:00")
    assert h.is_open_at(hours, datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 02:30 CEST
    assert h.is_open_at(hours, datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 02:30 CET
    assert not h.is_open_at(hours, datetime.datetime(2026, 10, 25, 2, 0, tzinfo=UTC))  # 03:00 CET


def test_closed_on_public_holidays_when_asked():
    hours = h.parse("Mo-Fr 09:00-17:00; PH off")
    easter_monday = paris(2026, 4, 6, 10, 0)
    assert h.easter(2026) == datetime.date(2026, 4, 5)
    assert not h.is_open_at(hours, easter_monday)
    assert h.is_open_at(h.parse("Mo-Fr 09:00-17:00"), easter_monday)
    assert not h.is_open_at(hours, paris(2026, 7, 14, 10, 0))  # a Tuesday
    assert h.is_open_at(hours, paris(2026, 7, 15, 10, 0))


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Mo-Fr 09:00-17:00; PH off", "Fermé les jours fériés."),
        ("PH off; Mo-Fr 09:00-17:00", ""),
        (
            "Mo-Fr 09:00-17:00; PH off; Sa-Su 10:00-12:00",
            "Fermé les jours fériés, sauf s'ils tombent un samedi ou un dimanche.",
        ),
    ],
)
def test_what_public_holidays_change_is_said_in_french(text, note):
    assert h.holidays_note(h.parse(text)) == note


def test_week_table_in_french():
    table = h.week_table(h.parse("Mo 09:00-12:00,14:00-17:30; Su 00:00-24:00"))
    assert table[0] == ("Lundi", "de 9 h à 12 h et de 14 h à 17 h 30")
    assert table[1] == ("Mardi", "Fermé")
    assert table[6] == ("Dimanche", "Ouvert 24 h sur 24")


# --- Next opening --------------------------------------------------------------------------------

WEEKDAYS = h.parse("Mo-Fr 09:00-12:00,14:00-17:30; PH off")


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # Lunch break: opens again this afternoon.
        ("Mo-Fr 09:00-12:00,14:00-17:30", paris(2026, 12, 7, 12, 30), paris(2026, 12, 7, 14, 0)),
        # Closed today (Sunday), opens tomorrow morning.
        ("Mo-Fr 09:00-12:00", paris(2026, 12, 6, 10, 0), paris(2026, 12, 7, 9, 0)),
        # After closing on Friday: the week wraps over to Monday.
        ("Mo 09:00-12:00", paris(2026, 12, 11, 18, 0), paris(2026, 12, 14, 9, 0)),
        # Across midnight: a slot starting at 00:00 tomorrow.
        ("Mo 20:00-24:00; Tu 00:00-02:00", paris(2026, 12, 7, 19, 0), paris(2026, 12, 7, 20, 0)),
        ("Tu 00:00-02:00", paris(2026, 12, 7, 23, 50), paris(2026, 12, 8, 0, 0)),
        # Open now: the moment itself.
        ("Mo 09:00-12:00", paris(2026, 12, 7, 10, 15), paris(2026, 12, 7, 10, 15)),
        # Christmas (Friday) is a public holiday with « PH off »: the next Monday.
        (
            "Fr 09:00-12:00; Mo 09:00-12:00; PH off",
            paris(2026, 12, 25, 8, 0),
            paris(2026, 12, 28, 9, 0),
        ),
        # The only opening day is a holiday two weeks running (Christmas, New Year's Day).
        ("Fr 09:00-12:00; PH off", paris(2026, 12, 24, 18, 0), paris(2027, 1, 8, 9, 0)),
    ],
)
def test_next_opening(text, now, expected):
    assert h.next_opening(h.parse(text), now) == expected


def test_next_opening_is_none_when_closed_all_week():
    assert h.next_opening(h.parse("Mo-Su off"), paris(2026, 12, 7, 10, 0)) is None
    assert h.next_opening(h.WeeklyHours(), paris(2026, 12, 7, 10, 0)) is None


def test_next_opening_reads_paris_time_from_utc():
    # 23:30 UTC on Sunday is already Monday 00:30 in Paris.
    now = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert h.next_opening(WEEKDAYS, now) == paris(2026, 12, 7, 9, 0)


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (paris(2026, 12, 7, 12, 30), "Ouvre aujourd'hui à 14 h"),
        (paris(2026, 12, 6, 10, 0), "Ouvre demain à 9 h"),
        (paris(2026, 12, 4, 18, 0), "Ouvre lundi 7 décembre à 9 h"),
        (paris(2026, 12, 7, 10, 0), ""),  # open now
    ],
)
def test_next_opening_text(now, text):
    assert h.next_opening_text(WEEKDAYS, now) == text
