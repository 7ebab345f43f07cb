"""Which tick a scheduler serves when it wakes up."""

import datetime
from zoneinfo import ZoneInfo

from cnum.ops import cron

PARIS = ZoneInfo("Europe/Paris")
WINDOW = datetime.timedelta(minutes=5)


def test_a_frequent_job_is_served_at_its_latest_tick_not_the_oldest_of_the_window():
    now = datetime.datetime(2027, 3, 10, 10, 3, 30, tzinfo=PARIS)
    assert cron.last_fire("* * * * *", now, WINDOW) == now.replace(minute=3, second=0)


def test_a_tick_older_than_the_window_is_not_served():
    now = datetime.datetime(2027, 3, 10, 10, 20, tzinfo=PARIS)
    assert cron.last_fire("0 10 * * *", now, WINDOW) is None
    assert cron.last_fire("0 10 * * *", now.replace(minute=4), WINDOW) == now.replace(minute=0)
