"""API tokens for machine clients: issued by the national administration, key shown once."""

import datetime
from zoneinfo import ZoneInfo

from cnum.api.models import ApiToken

PARIS = ZoneInfo("Europe/Paris")


def expiry_from_date(day):
    """A token valid "until `day`" stops working at the end of that day, Paris time."""
    if day is None:
        return None
    next_day = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=PARIS)


def issue_api_token(*, name, scopes, created_by, expires_on=None):
    return ApiToken.issue(
        name=name, scopes=scopes, created_by=created_by, expires_at=expiry_from_date(expires_on)
    )
