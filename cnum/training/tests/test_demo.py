import pytest
from django.core.management import call_command

from cnum.accounts.demo import seed as seed_accounts
from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.structures.demo import seed as seed_structures
from cnum.training import demo
from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession
from cnum.training.testing import make_conseiller

pytestmark = pytest.mark.django_db


def seed_all():
    context = {}
    seed_accounts(context)
    seed_structures(context)
    demo.seed(context)
    return context


def test_seed_makes_the_demo_account_a_member_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)  # whatever the other parts seed
    context = seed_all()
    member = User.objects.get(email="formation@demo.conseiller-numerique.fr")
    own = TrainingOrganisation.objects.visible_to(member).get()
    assert own == context["training_organisations"]["demo"] and own.departement_id == "69"
    assert own.sessions.count() == 4
    # The demo conseiller (in the demo structure) gets a training in the demo organisation.
    conseiller = Membership.objects.get(user__email="conseiller@demo.conseiller-numerique.fr")
    assert Enrolment.objects.filter(conseiller=conseiller.user).count() <= 1
    counts = (
        TrainingOrganisation.objects.count(),
        TrainingSession.objects.count(),
        Enrolment.objects.count(),
    )
    seed_all()
    assert counts == (
        TrainingOrganisation.objects.count(),
        TrainingSession.objects.count(),
        Enrolment.objects.count(),
    )


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
