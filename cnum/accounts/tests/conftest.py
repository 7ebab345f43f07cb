import pytest

from cnum.territories.models import Departement, Region

REGIONS = {"84": "Auvergne-Rhône-Alpes", "11": "Île-de-France", "93": "Provence-Alpes-Côte d'Azur"}
DEPARTEMENTS = {"69": ("Rhône", "84"), "75": ("Paris", "11"), "13": ("Bouches-du-Rhône", "93")}


@pytest.fixture(autouse=True)
def territories(db):
    """The few départements and régions these tests use, unless the reference data is loaded."""
    for code, nom in REGIONS.items():
        Region.objects.get_or_create(code=code, defaults={"nom": nom})
    for code, (nom, region) in DEPARTEMENTS.items():
        Departement.objects.get_or_create(code=code, defaults={"nom": nom, "region_id": region})
