import pytest


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://cnum.exemple.fr"
