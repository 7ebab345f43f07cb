import pytest

from cnum.accounts import demo as accounts_demo
from cnum.accounts.roles import Role
from cnum.places import demo
from cnum.places.models import ConseillerListing, Place, PlaceConseiller
from cnum.places.services import main_place
from cnum.structures import demo as structures_demo

pytestmark = pytest.mark.django_db


def seed_all():
    context = {}
    for seeder in (accounts_demo.seed, structures_demo.seed, demo.seed):
        seeder(context)
    return context


def test_demo_places_in_several_departements_once():
    context = seed_all()
    assert Place.objects.count() == len(demo.DEMO_PLACES)
    departements = set(Place.objects.values_list("commune__departement", flat=True))
    assert {"69", "75", "13", "971", "974"} <= departements
    assert Place.objects.filter(services=[]).count() == 1  # a back office, not on the map
    assert Place.objects.exclude(horaires="").count() >= 10
    conseiller = context["users"][Role.CONSEILLER]
    assert main_place(conseiller).nom == "Espace numérique de la Guillotière"
    # The demo conseiller opted in: shown on their main place's page.
    shown = ConseillerListing.objects.shown_at(main_place(conseiller))
    assert [listing.conseiller for listing in shown] == [conseiller]
    before = list(Place.objects.order_by("pk").values_list("pk", "horaires"))

    seed_all()
    assert list(Place.objects.order_by("pk").values_list("pk", "horaires")) == before
    assert PlaceConseiller.objects.filter(conseiller=conseiller).count() == 2
