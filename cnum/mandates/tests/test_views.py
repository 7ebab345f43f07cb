import datetime
import hashlib
import json
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, login, make_user
from cnum.mandates import attestation as attestations
from cnum.mandates import services
from cnum.mandates.models import JournalEntry, Kind, Mandate, Usager
from cnum.mandates.policies import LAST_ACTIVITY_KEY
from cnum.mandates.tests.factories import (
    fresh_login,
    habilitated_structure,
    make_usager,
    validated_aidant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    return habilitated_structure()


@pytest.fixture
def aidant(structure):
    return validated_aidant(structure)


@pytest.fixture
def usager(structure, aidant):
    return make_usager(structure, aidant)


def make_mandate(aidant, usager, domains=("papiers",), days=182):
    if not TOTPDevice.objects.filter(user=aidant).exists():
        TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    return services.create_mandate(
        aidant=aidant, usager=usager, domains=list(domains), duration_days=days, consent=True
    )


def test_aidant_creates_usager_and_mandate(client, aidant, structure):
    fresh_login(client, aidant)
    response = client.post(
        reverse("mandates:usager_create"),
        {
            "given_names": "Dominique",
            "family_name": "Lefèvre",
            "birth_date": "1950-04-02",
            "birth_place": "Lyon",
            "document_checked": "on",
        },
    )
    usager = Usager.objects.get()
    assert response.url == reverse("mandates:mandate_create", args=[usager.pk])
    response = client.post(
        response.url, {"domains": ["papiers", "social"], "duration_days": "31", "consent": "on"}
    )
    mandate = Mandate.objects.get()
    assert response.url == reverse("mandates:mandate_detail", args=[mandate.pk])
    assert mandate.organisation == structure and mandate.created_by == aidant
    page = unescape(client.get(response.url).content.decode())
    assert "Papiers – Citoyenneté – Élections" in page and "Social – Santé" in page


def test_invalid_inputs_give_french_errors_not_500(client, aidant, usager):
    fresh_login(client, aidant)
    response = client.post(reverse("mandates:usager_create"), {"birth_date": "3000-01-01"})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Confirmez avoir vérifié une pièce d'identité." in page
    assert "Saisissez une date de naissance plausible." in page
    url = reverse("mandates:mandate_create", args=[usager.pk])
    response = client.post(url, {"domains": ["impots"], "duration_days": "30"})
    page = unescape(response.content.decode())
    assert "Ce domaine n'est pas proposé." in page
    assert "Cette durée n'est pas proposée." in page
    assert "Le consentement de l'usager est obligatoire." in page
    assert not Mandate.objects.exists()


def test_aidant_never_sees_another_structures_usagers(client, aidant, usager):
    other = habilitated_structure()
    other_aidant = validated_aidant(other)
    other_usager = make_usager(other, other_aidant, family_name="Autrestructure")
    other_mandate = make_mandate(other_aidant, other_usager)
    mine = make_mandate(aidant, usager)
    fresh_login(client, aidant)
    page = unescape(client.get(reverse("mandates:home")).content.decode())
    assert "Autrestructure" not in page and f"Mandat n° {mine.pk}" in page
    for name, kwargs in [
        ("mandates:mandate_detail", {"pk": other_mandate.pk}),
        ("mandates:attestation", {"pk": other_mandate.pk}),
        ("mandates:mandate_renew", {"pk": other_mandate.pk}),
        ("mandates:mandate_create", {"usager_pk": other_usager.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    auth = other_mandate.authorisations.get()
    url = reverse("mandates:authorisation_revoke", args=[auth.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 404
    revoke = reverse("mandates:mandate_revoke", args=[other_mandate.pk])
    assert client.post(revoke, {"confirm": "1"}).status_code == 404
    other_mandate.refresh_from_db()
    assert other_mandate.is_active


def test_deactivated_aidant_loses_access(client, aidant, usager):
    mandate = make_mandate(aidant, usager)
    aidant.memberships.update(is_active=False)
    fresh_login(client, aidant)
    assert client.get(reverse("mandates:mandate_detail", args=[mandate.pk])).status_code == 403


def test_lists_by_state_and_search_within_query_budget(
    client, aidant, usager, structure, django_assert_max_num_queries
):
    active = make_mandate(aidant, usager)
    revoked = make_mandate(
        aidant, make_usager(structure, aidant, family_name="Révoqué"), domains=["social"]
    )
    services.revoke_mandate(revoked, aidant=aidant)
    expired = make_mandate(aidant, make_usager(structure, aidant, family_name="Expiré"), days=1)
    Mandate.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3),
        expires_at=timezone.now() - datetime.timedelta(days=2),
    )
    old = make_mandate(aidant, make_usager(structure, aidant, family_name="Ancien"), days=1)
    Mandate.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400),
        expires_at=timezone.now() - datetime.timedelta(days=399),
    )
    for n in range(5):
        make_mandate(aidant, make_usager(structure, aidant, family_name=f"Masse{n}"))
    fresh_login(client, aidant)
    url = reverse("mandates:home")
    with django_assert_max_num_queries(14):
        page = unescape(client.get(url).content.decode())
    assert f"Mandat n° {active.pk}<" in page and f"Mandat n° {revoked.pk}<" not in page
    page = unescape(client.get(url, {"onglet": "revoques"}).content.decode())
    assert f"Mandat n° {revoked.pk}<" in page and f"Mandat n° {active.pk}<" not in page
    page = unescape(client.get(url, {"onglet": "expires"}).content.decode())
    assert f"Mandat n° {expired.pk}<" in page
    assert f"Mandat n° {old.pk}<" not in page  # hidden a year after its end
    page = unescape(client.get(url, {"q": "lefèvre"}).content.decode())
    assert f"Mandat n° {active.pk}<" in page and "Masse1" not in page


def test_mandate_actions_ask_a_fresh_code_after_15_idle_minutes(client, aidant, usager):
    device = TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    mandate = make_mandate(aidant, usager)
    login(client, aidant)
    session = client.session
    session[LAST_ACTIVITY_KEY] = (timezone.now() - datetime.timedelta(minutes=16)).isoformat()
    session.save()
    url = reverse("mandates:mandate_renew", args=[mandate.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mandates:reverify"))
    # Revocation is refused too, and nothing changes.
    client.post(reverse("mandates:mandate_revoke", args=[mandate.pk]), {"confirm": "1"})
    mandate.refresh_from_db()
    assert mandate.is_active
    response = client.post(reverse("mandates:reverify"), {"code": "000000", "next": url})
    assert "Ce code n'est pas valide" in unescape(response.content.decode())
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next attempt wait a second
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("mandates:reverify"), {"code": code, "next": url})
    assert response.url == url
    assert client.get(url).status_code == 200
    checks = JournalEntry.objects.filter(kind=Kind.TOTP_CHECK, actor=aidant)
    assert [e.data["succes"] for e in checks] == [False, True]


def test_activity_within_15_minutes_keeps_the_session_fresh(client, aidant, usager):
    mandate = make_mandate(aidant, usager)
    login(client, aidant)
    session = client.session
    session[LAST_ACTIVITY_KEY] = (timezone.now() - datetime.timedelta(minutes=14)).isoformat()
    session.save()
    assert client.get(reverse("mandates:mandate_renew", args=[mandate.pk])).status_code == 200


def test_a_code_typed_in_another_browser_does_not_refresh_this_session(aidant, usager):
    mandate = make_mandate(aidant, usager)
    device = TOTPDevice.objects.get(user=aidant)
    url = reverse("mandates:mandate_renew", args=[mandate.pk])
    here, elsewhere = Client(), Client()
    login(here, aidant)  # second factor checked at some earlier time in this browser
    assert here.get(url).status_code == 302
    # The same aidant logs in on another computer and types a code there.
    elsewhere.post(reverse("accounts:login"), {"username": aidant.email, "password": PASSWORD})
    response = elsewhere.post(
        reverse("accounts:two_factor_verify"), {"code": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 302
    assert elsewhere.get(url).status_code == 200  # a code typed at login is fresh there
    response = here.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mandates:reverify"))


def test_attestation_carries_hash_version_and_qr(client, aidant, usager):
    mandate = make_mandate(aidant, usager, domains=["papiers", "famille"])
    fresh_login(client, aidant)
    response = client.get(reverse("mandates:attestation", args=[mandate.pk]))
    page = unescape(response.content.decode())
    entry = JournalEntry.objects.get(kind=Kind.ATTESTATION)
    content_hash = entry.data["empreinte"]
    assert content_hash in page and attestations.TEMPLATE_VERSION in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Famille – Scolarité" in page and "Dominique Lefèvre" in page
    from cnum.mandates.attestation import attestation_content

    canonical = json.dumps(
        attestation_content(mandate, "mandat"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == content_hash
    # No revocation attestation for an active mandate.
    url = reverse("mandates:attestation", args=[mandate.pk])
    assert client.get(url, {"type": "revocation"}).status_code == 404


def test_revoke_whole_mandate_leads_to_revocation_attestation(client, aidant, usager):
    mandate = make_mandate(aidant, usager)
    fresh_login(client, aidant)
    response = client.post(reverse("mandates:mandate_revoke", args=[mandate.pk]), {"confirm": "1"})
    assert response.url.endswith("?type=revocation")
    page = unescape(client.get(response.url).content.decode())
    assert "Attestation de révocation de mandat" in page
    mandate.refresh_from_db()
    assert mandate.status == "revoque"


def test_revoke_one_authorisation_view(client, aidant, usager):
    mandate = make_mandate(aidant, usager, domains=["papiers", "social"])
    fresh_login(client, aidant)
    auth = mandate.authorisations.get(domain="social")
    client.post(reverse("mandates:authorisation_revoke", args=[auth.pk]), {"confirm": "1"})
    auth.refresh_from_db()
    mandate.refresh_from_db()
    assert auth.revoked_at and mandate.is_active


def test_renew_view(client, aidant, usager):
    mandate = make_mandate(aidant, usager)
    fresh_login(client, aidant)
    response = client.post(
        reverse("mandates:mandate_renew", args=[mandate.pk]),
        {"duration_days": "365", "consent": "on"},
    )
    new = Mandate.objects.get(renewed_from=mandate)
    assert response.url == reverse("mandates:mandate_detail", args=[new.pk])


def test_journal_read_filter_and_export_for_admins_only(client, aidant, usager):
    mandate = make_mandate(aidant, usager)
    admin = make_user(Role.ADMINISTRATEUR)
    login(client, admin)
    response = client.get(reverse("mandates:journal"), {"kind": "mandat_cree"})
    page = unescape(response.content.decode())
    assert "Mandat créé" in page and "1 entrée(s)" in page
    assert client.get(reverse("mandates:journal"), {"start": "pas-une-date"}).status_code == 200
    response = client.get(reverse("mandates:journal_export"))
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("position;date;acte")
    assert any(f";mandat_cree;{aidant.pk};" in line and f";{mandate.pk};" in line for line in lines)
    # Nobody can write to it through the web.
    assert client.post(reverse("mandates:journal")).status_code == 405
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    assert client.get(reverse("mandates:journal_export")).status_code == 403


def test_retention_policy_set_by_admin(client):
    from cnum.mandates.models import RetentionPolicy

    login(client, make_user(Role.ADMINISTRATEUR))
    response = client.post(reverse("mandates:retention"), {"days_after_end": "100"})
    assert "au moins un an" in unescape(response.content.decode())
    client.post(reverse("mandates:retention"), {"days_after_end": "730"})
    assert RetentionPolicy.current().days_after_end == 730
