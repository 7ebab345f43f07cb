import pytest
from django.core.management import call_command

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.matching import demo, services
from cnum.matching.enums import ContactStatus
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import CandidateNote, ContactRequest, Match
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
    # Pre-selections stay within each candidate's own zone; farther, a contact request.
    for match in Match.objects.filter(status=S.INTERESSEE).select_related("structure__commune"):
        assert services.may_preselect(match.structure, match.candidate)
    request = ContactRequest.objects.get(candidate__user=candidate)
    assert request.status == ContactStatus.EN_ATTENTE
    before = (Match.objects.count(), CandidateNote.objects.count(), ContactRequest.objects.count())
    demo.seed(context)
    call_command("seed_demo", verbosity=0)
    after = (Match.objects.count(), CandidateNote.objects.count(), ContactRequest.objects.count())
    assert after == before
