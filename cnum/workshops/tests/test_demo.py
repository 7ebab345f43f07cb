import pytest

from cnum.accounts import demo as accounts_demo
from cnum.accounts.roles import Role
from cnum.places import demo as places_demo
from cnum.structures import demo as structures_demo
from cnum.workshops import demo
from cnum.workshops.models import Registration, Workshop
from cnum.workshops.policies import my_workshops

pytestmark = pytest.mark.django_db


def seed_all():
    context = {}
    for seeder in (accounts_demo.seed, structures_demo.seed, places_demo.seed, demo.seed):
        seeder(context)
    return context


def test_demo_workshops_once_and_visible_to_the_demo_conseiller():
    context = seed_all()
    assert Workshop.objects.count() == 6
    assert Registration.objects.count() == 3
    assert my_workshops(context["users"][Role.CONSEILLER]).count() == 6
    seed_all()
    assert Workshop.objects.count() == 6
