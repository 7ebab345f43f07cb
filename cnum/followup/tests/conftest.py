import datetime

import pytest
from django.utils import timezone

from cnum.activity import services as activity
from cnum.activity.testing import individual_values
from cnum.recruitment.testing import employed

# Noon in Paris: the same day in UTC and in Paris, whatever the hour the tests run.
DAY = datetime.date(2026, 9, 15)


class Clock:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.set(DAY)

    def set(self, day):
        moment = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC)
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        self.day = day

    def forward(self, days):
        self.set(self.day + datetime.timedelta(days=days))


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock (django.utils.timezone.now), on DAY until moved."""
    return Clock(monkeypatch)


def days(n):
    return datetime.timedelta(days=n)


def conseiller_in_post(structure=None, *, start=None, end=None, **contract):
    """An employed conseiller whose contract runs from `start` to `end` (around DAY)."""
    today = timezone.now().date()
    return employed(
        structure,
        start_date=start or today - days(100),
        end_date=end or today + days(300),
        **contract,
    )


def record(user, day):
    return activity.save_record(user, individual_values(date=day))
