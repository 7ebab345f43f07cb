import pytest
from django.core.management import call_command

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.matching import demo
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import CandidateNote, Match
from cnum.structures.models import Structure

pytestmark = pytest.mark.django_db


def test_demo_matches_are_seeded_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    manager = User.objects.get(email="structure@demo.conseiller-numerique.fr")
    candidate = User.objects.get(email="candidat@demo.conseiller-numerique.fr")
    own = Structure.objects.managed_by(manager).get()
    context = {
        "users": {Role.GESTIONNAIRE_STRUCTURE: manager, Role.CANDIDAT: candidate},
        "organisations": {"structure": own},
    }
    demo.seed(context)
    # Later seeders (recruitment) move some of these matches on: only what stays is checked.
    assert Match.objects.get(structure=own, candidate__user=candidate).status == S.INTERESSEE
    assert Match.objects.filter(structure=own, status=S.NON_INTERESSEE).exists()
    assert CandidateNote.objects.filter(structure=own).count() == 1
    before = (Match.objects.count(), CandidateNote.objects.count())
    demo.seed(context)
    call_command("seed_demo", verbosity=0)
    assert (Match.objects.count(), CandidateNote.objects.count()) == before
