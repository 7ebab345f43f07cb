"""The public data·inclusion feed: every item of both lists is valid for the official schema
(PyPI data-inclusion-schema, v1), on the demo places; pages, order and the date filter."""

import datetime

import pytest
from django.utils import timezone

from cnum.places.demo import DEMO_PLACES, _values
from cnum.places.models import Place
from cnum.places.testing import make_place
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.territories.models import Commune

pytestmark = pytest.mark.django_db
schema = pytest.importorskip("data_inclusion.schema.v1")  # at import: ≈ 1 s, outside the test
STRUCTURES = "/api/v1/data-inclusion/structures"
SERVICES = "/api/v1/data-inclusion/services"


@pytest.fixture
def demo_places():
    """The demo places, each at a validated structure (public), and one private place."""
    structure = make_structure(status=Status.VALIDATION_COSELEC)
    places = []
    for (
        _,
        name,
        insee,
        address,
        offset,
        hours,
        services,
        publics,
        access,
        roving,
        kind,
    ) in DEMO_PLACES:
        commune = Commune.objects.get(code_insee=insee)
        values = _values(
            structure, commune, address, offset, hours, services, publics, access, roving
        )
        places.append(
            Place.objects.create(structure=structure, nom=name, typologie=[kind], **values)
        )
    make_place(nom="Lieu non publié", structure=make_structure())
    return places


def all_items(client, url, taille):
    items, page = [], 1
    while True:
        body = client.get(url, {"taille": taille, "page": page}).json()
        items += body["items"]
        if page >= body["pages"]:
            return items, body
        page += 1


def test_every_item_of_both_feeds_is_valid_for_the_official_schema(client, demo_places):
    strict = {"ignore_warnings": False}
    structures, last = all_items(client, STRUCTURES, 4)
    assert [s["id"] for s in structures] == [f"conseiller-numerique--{p.pk}" for p in demo_places]
    assert last["total"] == len(demo_places) and "Lieu non publié" not in str(structures)
    for item in structures:
        schema.Structure.model_validate(item, context=strict)
    services, last = all_items(client, SERVICES, 7)
    expected = sum(len(p.services) for p in demo_places)
    assert len(services) == last["total"] == expected
    assert len({s["id"] for s in services}) == expected  # no service twice across pages
    for item in services:
        schema.Service.model_validate(item, context=strict)


def test_a_service_page_may_start_in_the_middle_of_a_place(client):
    place = make_place(services=["Aide aux démarches administratives"] * 1)
    other = make_place()  # two services
    body = client.get(SERVICES, {"taille": 2, "page": 2}).json()
    assert [s["id"] for s in body["items"]] == [f"conseiller-numerique--{other.pk}--2"]
    assert body["total"] == 3 and body["pages"] == 2 and place.pk < other.pk


def test_date_filter_keeps_places_updated_that_day_or_since(client):
    old, recent = make_place(), make_place()
    Place.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=10))
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    body = client.get(STRUCTURES, {"date_maj_depuis": since}).json()
    assert [s["id"] for s in body["items"]] == [f"conseiller-numerique--{recent.pk}"]
    services = client.get(SERVICES, {"date_maj_depuis": since}).json()["items"]
    assert {s["structure_id"] for s in services} == {f"conseiller-numerique--{recent.pk}"}


def test_public_without_token_cached_and_bad_parameters_explained_in_french(client):
    response = client.get(STRUCTURES)
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=600"
    too_big = client.get(SERVICES, {"taille": 5000})
    assert too_big.status_code == 400
    assert too_big.json()["detail"][0]["msg"] == "Doit être inférieur ou égal à 1000."
    assert client.get(STRUCTURES, {"date_maj_depuis": "hier"}).status_code == 400
