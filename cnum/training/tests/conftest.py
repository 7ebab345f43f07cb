import pytest
from django.contrib.contenttypes.models import ContentType


@pytest.fixture(autouse=True)
def fresh_content_types():
    # Transition logs point to a ContentType; transactional tests flush and recreate those rows
    # with new ids, so the per-process ContentType cache must not outlive a test.
    ContentType.objects.clear_cache()
    yield
