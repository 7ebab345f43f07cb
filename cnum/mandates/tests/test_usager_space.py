"""The usager's own space: FranceConnect sign-in (local test provider), their mandates only,
revocation by the usager (journal, mail to the structure), expiry and sign-out."""

import datetime
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.mandates import franceconnect, services, usager_space
from cnum.mandates.models import JournalEntry, Kind
from cnum.mandates.testing_idp import DEFAULT_PERSON, TestIdentityProvider, settings_for
from cnum.mandates.tests.factories import habilitated_structure, make_usager, validated_aidant
from cnum.mandates.verification import verify_journal

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(settings):
    settings_for(settings)
    provider = TestIdentityProvider()
    with franceconnect.use_transport(provider.transport()):
        yield provider


@pytest.fixture
def world():
    """Two usagers of one structure, each with a mandate; the first is the provider's person."""
    structure = habilitated_structure()
    aidant = validated_aidant(structure, first_name="Alex", last_name="Durand")
    mine = make_usager(structure, aidant, franceconnect_sub=DEFAULT_PERSON["sub"])
    other = make_usager(structure, aidant, given_names="Autre", franceconnect_sub="autre-sub")

    def mandate(usager):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.get_or_create(user=aidant, name="Application", confirmed=True)
        return services.create_mandate(
            aidant=aidant,
            usager=usager,
            domains=["logement", "social"],
            duration_days=182,
            consent=True,
        )

    return mandate(mine), mandate(other), structure


def sign_in(client, idp):
    response = client.post(reverse("usager_space:sign_in"))
    assert response.status_code == 302
    callback = urlsplit(idp.authorize(response.url))
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 302 and response.url == reverse("usager_space:home")


def page(client, url=None):
    response = client.get(url or reverse("usager_space:home"))
    return response.status_code, unescape(response.content.decode())


def test_usager_sees_only_their_mandates_and_withdraws_one_domain(
    client, idp, world, send_emails, mailoutbox
):
    mine, other, structure = world
    logement = mine.authorisations.get(domain="logement")
    JournalEntry.log_authorisation_used(mine.created_by, logement, service="Démarche logement")
    status, content = page(client)
    assert status == 200 and "S’identifier avec" in content and "Mandat n°" not in content

    sign_in(client, idp)
    status, content = page(client)
    assert f"Mandat n° {mine.pk} — {structure}" in content
    assert f"Mandat n° {other.pk}" not in content
    assert "Alex Durand" in content and "Démarche logement (Logement)" in content

    # Another usager's mandate or authorisation does not exist here.
    other_authorisation = other.authorisations.first()
    assert client.get(reverse("usager_space:mandate_revoke", args=[other.pk])).status_code == 404
    url = reverse("usager_space:authorisation_revoke", args=[other_authorisation.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert not other.authorisations.filter(revoked_at__isnull=False).exists()

    url = reverse("usager_space:authorisation_revoke", args=[logement.pk])
    status, content = page(client, url)
    assert status == 200 and "Retirer l'autorisation « Logement »" in content
    with send_emails():
        response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    logement.refresh_from_db()
    mine.refresh_from_db()
    assert logement.revoked_at and mine.is_active  # "social" still holds
    entry = JournalEntry.objects.filter(kind=Kind.AUTHORISATION_REVOKED).last()
    assert entry.actor_id is None and entry.data["motif"] == "revocation_usager"
    [mail] = mailoutbox
    assert structure.habilitation.referent.email in mail.to
    assert "retiré une autorisation" in mail.body and "Logement" in mail.body
    assert verify_journal().ok


def test_usager_revokes_a_whole_mandate_then_signs_out(client, idp, world, send_emails):
    mine, other, _ = world
    sign_in(client, idp)
    url = reverse("usager_space:mandate_revoke", args=[mine.pk])
    client.get(url)
    mine.refresh_from_db()
    assert mine.is_active  # the confirmation page changes nothing
    with send_emails():
        client.post(url, {"confirm": "1"})
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == "revoque" and other.is_active
    entry = JournalEntry.objects.filter(kind=Kind.MANDATE_REVOKED).get()
    assert entry.data == {"par": "usager"} and entry.mandate_id_ref == mine.pk
    assert verify_journal().ok

    client.post(reverse("usager_space:sign_out"))
    assert client.get(url).status_code == 302
    assert f"Mandat n° {mine.pk}" not in page(client)[1]


def test_the_space_closes_after_its_lifetime(client, idp, world):
    sign_in(client, idp)
    session = client.session
    started = timezone.now() - usager_space.SESSION_LIFETIME - datetime.timedelta(minutes=1)
    session[usager_space.SESSION_KEY]["since"] = started.isoformat()
    session.save()
    response = client.get(reverse("usager_space:mandate_revoke", args=[world[0].pk]))
    assert response.status_code == 302
    assert "Mandat n°" not in page(client)[1]


def test_a_refused_sign_in_opens_nothing(client, idp, world):
    idp.refuse = True
    response = client.post(reverse("usager_space:sign_in"))
    callback = urlsplit(idp.authorize(response.url))
    client.get(f"{callback.path}?{callback.query}")
    status, content = page(client)
    assert "n'a pas abouti" in content and "Mandat n°" not in content


@pytest.mark.django_db
def test_every_page_leads_the_usager_to_their_space(client):
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("usager_space:home")}">Mes mandats Aidants Connect' in page
