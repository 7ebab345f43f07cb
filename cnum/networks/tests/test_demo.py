import pytest
from django.core.management import call_command

from cnum.accounts.models import User
from cnum.networks.lists import structures_in_scope

pytestmark = pytest.mark.django_db


def test_demo_hub_and_network_have_structures_to_follow(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    hub = User.objects.get(email="hub@demo.conseiller-numerique.fr")
    network = User.objects.get(email="reseau@demo.conseiller-numerique.fr")
    assert hub.memberships.get().organisation.region_id == "84"
    assert structures_in_scope(hub).filter(departement_id="69").exists()
    members = structures_in_scope(network)
    assert members.exists()
    assert set(members.values_list("network__name", flat=True)) == {"La Poste"}
