import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cnum.structures.enums import Audience
from cnum.structures.models import CallForInterest, CommitteeSession


@pytest.fixture(autouse=True)
def clear_cache():
    # Transaction logs point to a ContentType; transactional tests flush and recreate those
    # rows with new ids, so the per-process ContentType cache must not outlive a test. (The
    # shared cache, with the per-IP throttle, is emptied by cnum.core.cache_testing.)
    ContentType.objects.clear_cache()
    yield


@pytest.fixture
def open_call(db):
    now = timezone.now()
    return CallForInterest.objects.create(
        name="AMI 2026",
        audience=Audience.BOTH,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )


@pytest.fixture
def committee(db):
    return CommitteeSession.objects.create(number=12, date=datetime.date(2026, 3, 1))
