import pytest

from cnum.accounts.demo import seed as seed_accounts
from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.structures.demo import seed as seed_structures
from cnum.training import demo
from cnum.training.models import Enrolment
from cnum.training.testing import make_conseiller

pytestmark = pytest.mark.django_db


def seed_all():
    context = {}
    seed_accounts(context)
    seed_structures(context)
    demo.seed(context)
    return context


def test_seed_enrols_existing_conseillers_and_tolerates_none():
    seed_all()  # the demo conseiller alone
    structure = Membership.objects.get(user__email="structure@demo.conseiller-numerique.fr")
    for _ in range(5):
        make_conseiller(structure.organisation.structure)
    seed_all()
    conseillers = Membership.objects.filter(role=Role.CONSEILLER).count()
    enrolled = Enrolment.objects.count()
    assert 0 < enrolled < conseillers
    seed_all()
    assert Enrolment.objects.count() == enrolled
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"en_cours", "terminee"}
