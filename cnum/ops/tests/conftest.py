import pytest

from cnum.ops import schedule
from cnum.ops.tests import jobs_for_tests


@pytest.fixture
def test_jobs(monkeypatch):
    """The test jobs declared next to the real ones, for one test."""
    monkeypatch.setattr(
        schedule, "_extra", [jobs_for_tests.COUNTING, jobs_for_tests.SLOW, jobs_for_tests.BROKEN]
    )
    jobs_for_tests.calls.clear()
    return jobs_for_tests
