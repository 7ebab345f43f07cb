"""The reference data loaded in the test database is the real file: check its shape."""

import pytest

from cnum.territories.loading import DATASET_NAME, DEFAULT_DATA_FILE, file_checksum
from cnum.territories.models import CodePostal, Commune, Departement, ReferenceDataset, Region
from cnum.territories.services import departement_code_from_insee

pytestmark = pytest.mark.django_db

# (lat min, lat max, lon min, lon max) of each part of France, with a small margin.
BOXES = {
    "metropole": (42.3, 51.15, -5.2, 8.3),
    "corse": (41.3, 43.1, 8.5, 9.6),
    "971": (15.8, 16.55, -61.85, -60.95),  # Guadeloupe, Marie-Galante, les Saintes, la Désirade
    "972": (14.35, 14.9, -61.25, -60.8),  # Martinique
    "973": (2.1, 5.8, -54.65, -51.6),  # Guyane
    "974": (-21.4, -20.85, 55.2, 55.85),  # La Réunion
    "976": (-13.05, -12.6, 45.0, 45.35),  # Mayotte
    "975": (46.7, 47.15, -56.45, -56.1),  # Saint-Pierre-et-Miquelon
    "977": (17.85, 17.97, -62.95, -62.78),  # Saint-Barthélemy
    "978": (18.0, 18.13, -63.16, -62.96),  # Saint-Martin
}


def box_of(departement):
    if departement in ("2A", "2B"):
        return "corse"
    return departement if departement.startswith("97") else "metropole"


def test_the_loaded_file_is_the_committed_one():
    dataset = ReferenceDataset.objects.get(name=DATASET_NAME)
    assert dataset.checksum == file_checksum(DEFAULT_DATA_FILE.read_bytes())


def test_counts():
    communes = Commune.objects.filter(type=Commune.Type.COMMUNE)
    assert 34_700 <= communes.count() <= 35_100
    assert communes.filter(departement__in=["975", "977", "978"]).count() == 4
    assert Commune.objects.filter(type=Commune.Type.ARRONDISSEMENT).count() == 45
    assert Departement.objects.count() == 101 + 3  # with Saint-Pierre-et-Miquelon, SB, SM
    assert Departement.objects.filter(region=None).count() == 3
    assert Region.objects.count() == 18
    assert CodePostal.objects.values("code").distinct().count() > 6_000
    assert not Commune.objects.filter(codes_postaux=[]).exists()


@pytest.mark.parametrize(
    ("code", "nom", "departement", "region"),
    [
        ("2A004", "Ajaccio", "2A", "94"),
        ("2B033", "Bastia", "2B", "94"),
        ("97611", "Mamoudzou", "976", "06"),
        ("97801", "Saint-Martin", "978", None),
        ("97701", "Saint-Barthélemy", "977", None),
        ("97502", "Saint-Pierre", "975", None),
        ("75056", "Paris", "75", "11"),
        ("69123", "Lyon", "69", "84"),
        ("13055", "Marseille", "13", "93"),
        ("42218", "Saint-Étienne", "42", "84"),
    ],
)
def test_known_communes(code, nom, departement, region):
    commune = Commune.objects.get(pk=code)
    assert (commune.nom, commune.departement_id, commune.region_id) == (nom, departement, region)
    assert commune.type == Commune.Type.COMMUNE
    assert commune.population > 0


@pytest.mark.parametrize(
    ("parent", "first", "last"),
    [("75056", 75101, 75120), ("69123", 69381, 69389), ("13055", 13201, 13216)],
)
def test_municipal_arrondissements(parent, first, last):
    codes = {str(code) for code in range(first, last + 1)}
    arrondissements = Commune.objects.filter(parent_id=parent)
    assert set(arrondissements.values_list("code_insee", flat=True)) == codes
    assert set(arrondissements.values_list("type", flat=True)) == {Commune.Type.ARRONDISSEMENT}


def test_every_commune_lies_in_its_territory():
    outside = []
    for code, departement, lat, lon in Commune.objects.values_list(
        "code_insee", "departement_id", "latitude", "longitude"
    ):
        lat_min, lat_max, lon_min, lon_max = BOXES[box_of(departement)]
        if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
            outside.append((code, lat, lon))
    assert not outside


def test_departement_is_the_one_of_the_insee_code_for_every_commune():
    mismatches = [
        (code, departement)
        for code, departement in Commune.objects.values_list("code_insee", "departement_id")
        if departement_code_from_insee(code) != departement
    ]
    assert not mismatches


def test_postal_codes_spanning_two_departements():
    # 05110 serves communes of the Hautes-Alpes (05) and of the Alpes-de-Haute-Provence (04):
    # the département comes from the INSEE code, never from the postal code.
    communes = Commune.objects.filter(postal_codes__code="05110")
    assert set(communes.values_list("departement_id", flat=True)) == {"04", "05"}
    claret = communes.get(nom="Claret")
    assert claret.departement_id == departement_code_from_insee(claret.code_insee) == "04"

    spanning = {}
    for code, departement in CodePostal.objects.values_list("code", "commune__departement"):
        spanning.setdefault(code, set()).add(departement)
    assert sum(len(departements) > 1 for departements in spanning.values()) >= 10
