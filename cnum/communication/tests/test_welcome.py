import datetime

import pytest
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.communication.welcome import send_due_steps
from cnum.funding.testing import grant_posts
from cnum.structures.models import CommitteeDecision
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def run(send_emails, mailoutbox, now):
    mailoutbox.clear()
    with send_emails():
        send_due_steps(now)
    return [(m.to[0], m.subject) for m in mailoutbox]


def test_a_new_conseiller_gets_each_step_once_on_its_day(send_emails, mailoutbox):
    conseiller = make_user(Role.CONSEILLER)
    granted = Membership.objects.get(user=conseiller).created_at

    first = run(send_emails, mailoutbox, granted + datetime.timedelta(hours=2))
    assert first == [(conseiller.email, "Bienvenue dans le réseau Conseiller numérique")]
    assert "Saisissez vos premiers accompagnements" in mailoutbox[0].body
    assert run(send_emails, mailoutbox, granted + 3 * DAY) == []  # nothing twice, nothing early
    assert run(send_emails, mailoutbox, granted + 7 * DAY) == [
        (conseiller.email, "Vos premiers pas de conseiller numérique")
    ]
    assert run(send_emails, mailoutbox, granted + 8 * DAY) == []
    assert run(send_emails, mailoutbox, granted + 31 * DAY) == [
        (conseiller.email, "Un mois dans le réseau Conseiller numérique")
    ]


def test_the_existing_network_is_not_welcomed_again(send_emails, mailoutbox):
    conseiller = make_user(Role.CONSEILLER)
    Membership.objects.filter(user=conseiller).update(created_at=timezone.now() - 100 * DAY)
    assert run(send_emails, mailoutbox, timezone.now()) == []


def test_the_managers_of_a_validated_structure_are_welcomed(send_emails, mailoutbox):
    manager = make_user()
    structure = make_structure(manager=manager)
    make_structure(manager=make_user())  # not validated: no mail
    grant_posts(structure, 2)
    validated = CommitteeDecision.objects.get(structure=structure).decided_at

    sent = run(send_emails, mailoutbox, validated + DAY)
    assert sent == [(manager.email, "Bienvenue dans le dispositif Conseiller numérique")]
    assert structure.name in mailoutbox[0].body
    assert run(send_emails, mailoutbox, validated + 2 * DAY) == []
    assert [s for _, s in run(send_emails, mailoutbox, validated + 7 * DAY)] == [
        "Recruter vos conseillers numériques"
    ]
