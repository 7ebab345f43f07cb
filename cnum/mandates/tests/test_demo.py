import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts import demo as accounts_demo
from cnum.accounts.roles import Role
from cnum.accounts.testing import login
from cnum.mandates import demo
from cnum.mandates.models import JournalEntry, Mandate, Usager
from cnum.mandates.policies import LAST_ACTIVITY_KEY, can_create_mandates
from cnum.mandates.verification import verify_journal
from cnum.structures import demo as structures_demo

pytestmark = pytest.mark.django_db


def seed_all():
    context = {}
    for seeder in (accounts_demo.seed, structures_demo.seed, demo.seed):
        seeder(context)
    return context


def test_demo_aidant_works_in_two_structures_with_mandates_in_every_state(client):
    context = seed_all()
    aidant = context["users"][Role.AIDANT]
    own, second = context["mandates"]["structures"]
    assert can_create_mandates(aidant, own) and can_create_mandates(aidant, second)
    statuses = sorted(m.status for m in Mandate.objects.filter(organisation=own))
    assert statuses == ["actif", "actif", "expire", "revoque"]
    report = verify_journal()
    assert report.ok and report.checked > 10

    counts = (Usager.objects.count(), Mandate.objects.count(), JournalEntry.objects.count())
    seed_all()
    assert (Usager.objects.count(), Mandate.objects.count(), JournalEntry.objects.count()) == counts
    assert verify_journal().ok

    login(client, aidant)
    session = client.session
    session[LAST_ACTIVITY_KEY] = timezone.now().isoformat()
    session.save()
    page = client.get(reverse("mandates:home")).content.decode()
    assert "Lefèvre" in page and "Changer de structure" in page
    assert client.get(reverse("mandates:usager_create")).status_code == 200
