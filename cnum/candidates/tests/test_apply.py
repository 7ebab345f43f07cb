import re

import pytest
from django.urls import reverse

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, login, make_user
from cnum.candidates.models import CandidateProfile
from cnum.candidates.signals import profile_changed
from cnum.candidates.testing import make_profile
from cnum.core import throttling

from .test_forms import application_data, profile_data

pytestmark = pytest.mark.django_db
APPLY = reverse("candidates:apply")


def confirmation_link(mail):
    return re.search(r"https?://[^/\s]+(/candidats/candidater/confirmation/\S+/)", mail.body)[1]


def test_application_then_confirmation_activates_the_profile(client, send_emails, mailoutbox):
    received = []
    profile_changed.connect(
        lambda **kw: received.append(kw["changed_fields"]), weak=False, dispatch_uid="apply-test"
    )
    with send_emails():
        response = client.post(APPLY, application_data())
    assert response.status_code == 302 and response.url == reverse("candidates:apply_done")
    profile = CandidateProfile.objects.get(user__email="alix.durand@exemple.fr")
    assert profile.activated_at is None and profile.commune.departement_id == "69"
    assert not profile.user.has_role(Role.CANDIDAT)
    # Not confirmed: no login, not seen by deciders.
    response = client.post(
        reverse("accounts:login"),
        {"username": "alix.durand@exemple.fr", "password": "Un-mot-de-passe-solide-2026"},
    )
    assert "pas encore confirmée" in response.content.decode()
    assert CandidateProfile.objects.active().count() == 0

    [mail] = mailoutbox
    assert mail.to == ["alix.durand@exemple.fr"]
    # Opening the link (as a mail scanner would) confirms nothing: its button does.
    page = client.get(confirmation_link(mail))
    assert "Confirmer ma candidature" in page.content.decode()
    profile.refresh_from_db()
    assert profile.activated_at is None and not profile.user.email_confirmed
    response = client.post(confirmation_link(mail))
    assert "Candidature confirmée" in response.content.decode()
    profile.refresh_from_db()
    assert profile.activated_at is not None and profile.user.email_confirmed
    assert Membership.objects.filter(user=profile.user, role=Role.CANDIDAT).exists()
    assert frozenset({"activated_at"}) in received

    # A second click changes nothing and is not an error.
    assert client.post(confirmation_link(mail)).status_code == 200
    assert Membership.objects.filter(user=profile.user).count() == 1
    # Only this test's receiver: the apps' own (matching) must keep listening.
    profile_changed.disconnect(dispatch_uid="apply-test")


def test_tampered_link_is_refused(client, send_emails, mailoutbox):
    with send_emails():
        client.post(APPLY, application_data())
    link = confirmation_link(mailoutbox[0])
    for send in (client.get, client.post):
        response = send(link[:-3] + "zz/")
        assert "Lien invalide ou expiré" in response.content.decode()
    assert CandidateProfile.objects.active().count() == 0


def test_the_confirmation_needs_the_page_csrf_token(client, send_emails, mailoutbox):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    with send_emails():
        client.post(APPLY, application_data())
    link = confirmation_link(mailoutbox[0])
    assert csrf_client.post(link).status_code == 403
    assert CandidateProfile.objects.active().count() == 0
    token = csrf_client.get(link).context["csrf_token"]
    csrf_client.post(link, {"csrfmiddlewaretoken": str(token)})
    assert CandidateProfile.objects.active().count() == 1


def test_registered_email_is_not_revealed_its_owner_gets_the_links(client, send_emails, mailoutbox):
    existing = make_profile()
    existing.user.email_confirmed_at = existing.user.date_joined
    existing.user.save()
    with send_emails():
        response = client.post(APPLY, application_data(email=existing.user.email.upper()))
    # The visitor sees what any applicant sees; only the owner learns of the attempt.
    assert response.status_code == 302 and response.url == reverse("candidates:apply_done")
    assert CandidateProfile.objects.count() == 1
    [mail] = mailoutbox
    assert mail.to == [existing.user.email]
    assert reverse("accounts:login") in mail.body
    assert reverse("accounts:password_reset") in mail.body


def test_logged_in_account_without_profile_adds_one(client):
    user = login(client, make_user())
    response = client.get(APPLY)
    assert "Votre compte" not in response.content.decode()  # no account fields
    response = client.post(APPLY, profile_data())
    assert response.status_code == 302 and response.url == reverse("candidates:space")
    profile = CandidateProfile.objects.get(user=user)
    assert profile.activated_at is not None
    assert Membership.objects.filter(user=user, role=Role.CANDIDAT).exists()
    # Once a candidate, the form sends them to their space: no second profile.
    response = client.post(APPLY, profile_data())
    assert response.url == reverse("candidates:space")
    assert CandidateProfile.objects.filter(user=user).count() == 1


def test_profile_confirmed_through_the_generic_link_is_activated_at_login(client):
    profile = make_profile(active=False, user=make_user())
    response = client.post(
        reverse("accounts:login"), {"username": profile.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.activated_at is not None
    assert client.get(reverse("candidates:space")).status_code == 200


def test_invalid_form_shows_errors_without_creating_anything(client):
    response = client.post(APPLY, application_data(situations=[], commune=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cochez au moins une situation." in page and "Indiquez une commune." in page
    assert 'aria-invalid="true"' in page
    assert CandidateProfile.objects.count() == 0


def test_submissions_are_throttled_per_address(client, send_emails):
    for n in range(throttling.APPLY_LIMIT):
        response = client.post(APPLY, application_data(email=f"c{n}@exemple.fr"))
        assert response.status_code == 302
    response = client.post(APPLY, application_data(email="encore@exemple.fr"))
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert not CandidateProfile.objects.filter(user__email="encore@exemple.fr").exists()
    # Another address is not affected; reading the form stays possible.
    assert client.get(APPLY).status_code == 200
    other = client.post(APPLY, application_data(email="autre@exemple.fr"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302
