import pytest
from cryptography.fernet import Fernet
from django.contrib.contenttypes.models import ContentType

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.matching.eligibility import local_communes, territory_points
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure


@pytest.fixture(autouse=True)
def cv_storage(settings, tmp_path, monkeypatch):
    """CVs (ciphertext) in a temporary folder, with a key of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("CV_ENCRYPTION_KEY", Fernet.generate_key().decode())


@pytest.fixture(autouse=True)
def fresh_caches():
    # Transactional tests recreate ContentType rows; the commune caches hold reference data only
    # but are cleared too so a test never depends on another's order.
    ContentType.objects.clear_cache()
    local_communes.cache_clear()
    territory_points.cache_clear()
    yield


@pytest.fixture
def manager(db):
    return make_user(Role.GESTIONNAIRE_STRUCTURE, first_name="Gaëlle", last_name="Gestion")


@pytest.fixture
def structure(manager):
    """A validated structure in Lyon (69123) managed by `manager`."""
    return make_structure(departement="69", manager=manager, status=Status.VALIDATION_COSELEC)


@pytest.fixture
def manager_client(client, manager):
    login(client, manager)
    return client
