import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_user
from cnum.candidates.testing import make_profile
from cnum.profiles import dormancy
from cnum.profiles.models import Dormancy
from cnum.recruitment.testing import employed

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def delays(settings):
    settings.INACTIVE_ACCOUNT_WARNING_DAYS = 365
    settings.INACTIVE_ACCOUNT_DEACTIVATION_DAYS = 30
    settings.INACTIVE_ACCOUNT_ANONYMISATION_DAYS = 90


def idle_user(role=Role.PREFET, days=366, **fields):
    user = make_user(role, **fields)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - days * DAY)
    return user


def log_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def test_warning_then_deactivation_then_anonymisation(send_emails, mailoutbox):
    user = idle_user(Role.ORGANISME_FORMATION, email="dormeur@exemple.fr")
    recent = idle_user(days=100)
    now = timezone.now()
    with send_emails():
        assert dormancy.run(now)["prevenus"] == 1
    assert mailoutbox[0].to == ["dormeur@exemple.fr"]
    body = mailoutbox[0].body
    deactivation = timezone.localdate(now + 30 * DAY)
    assert "il suffit de vous connecter avant le" in body
    assert f"{deactivation.day} " in body and "Merci" in body
    assert not Dormancy.objects.filter(user=recent).exists()
    assert dormancy.run(now + DAY) == {
        "anonymises": 0,
        "conserves": 0,
        "desactives": 0,
        "prevenus": 0,
    }  # one warning only

    with send_emails():
        assert dormancy.run(now + 31 * DAY)["desactives"] == 1
    user.refresh_from_db()
    assert not user.is_active
    assert "en veille" in mailoutbox[-1].subject

    # Still holding a role: kept, deactivated, until the role is withdrawn.
    assert dormancy.run(now + 122 * DAY)["conserves"] == 1
    user.memberships.update(is_active=False)
    assert dormancy.run(now + 123 * DAY)["anonymises"] == 1
    assert not User.objects.filter(email="dormeur@exemple.fr").exists()


def test_a_single_login_before_the_deadline_reactivates(client):
    user = idle_user()
    now = timezone.now()
    dormancy.run(now)
    dormancy.run(now + 31 * DAY)
    user.refresh_from_db()
    assert not user.is_active
    response = log_in(client, user)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and not Dormancy.objects.filter(user=user).exists()


def test_a_login_after_the_warning_stops_the_count(client):
    user = idle_user(Role.GESTIONNAIRE_STRUCTURE)
    now = timezone.now()
    dormancy.run(now)
    log_in(client, user)
    assert dormancy.run(now + 31 * DAY)["desactives"] == 0
    user.refresh_from_db()
    assert user.is_active


def test_an_account_closed_by_the_administration_stays_closed(client):
    user = idle_user()
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = log_in(client, user)
    assert response.status_code == 200  # the login page again, with its error
    user.refresh_from_db()
    assert not user.is_active


def test_candidates_keep_their_own_rule():
    profile = make_profile()
    User.objects.filter(pk=profile.user_id).update(last_login=timezone.now() - 400 * DAY)
    assert dormancy.run()["prevenus"] == 0


def test_a_conseiller_under_contract_is_never_anonymised():
    match = employed()
    user = match.candidate.user
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - 400 * DAY)
    now = timezone.now()
    assert dormancy.run(now)["prevenus"] == 1
    dormancy.run(now + 31 * DAY)
    assert dormancy.run(now + 200 * DAY)["conserves"] == 1
    user.refresh_from_db()
    assert user.email != "" and not user.email.endswith(".invalid")


def test_daily_command(capsys):
    idle_user()
    call_command("process_inactive_accounts")
    assert "1 compte(s) prévenu(s)" in capsys.readouterr().out
