import pytest
from django.contrib.contenttypes.models import ContentType

from cnum.funding import reference


@pytest.fixture(autouse=True)
def funding_reference(request, settings, tmp_path):
    """Dossier files under a temporary directory; envelopes and grid present in every test
    touching the database (transactional tests flush what the data migration wrote)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ContentType.objects.clear_cache()
    marker = request.node.get_closest_marker("django_db")
    if marker:
        transactional = marker.kwargs.get("transaction", False)
        request.getfixturevalue("transactional_db" if transactional else "db")
        reference.ensure()
    yield
    ContentType.objects.clear_cache()
