"""The FranceConnect relying party, end to end against the local test identity provider."""

from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.mandates import franceconnect
from cnum.mandates.models import JournalEntry, Kind, Usager
from cnum.mandates.testing_idp import ISSUER, TestIdentityProvider, query_of, settings_for
from cnum.mandates.tests.factories import (
    fresh_login,
    habilitated_structure,
    join_as_aidant,
    validated_aidant,
)
from cnum.mandates.verification import verify_journal

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    return habilitated_structure()


@pytest.fixture
def aidant(client, structure):
    user = validated_aidant(structure)
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    fresh_login(client, user)
    return user


@pytest.fixture
def idp(settings):
    settings_for(settings)
    provider = TestIdentityProvider()
    with franceconnect.use_transport(provider.transport()):
        yield provider


def local(url):
    """An absolute URL of this site as the test client wants it (path and query)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def start(client):
    response = client.post(reverse("mandates:franceconnect_start"))
    assert response.status_code == 302
    return response.url


def come_back(client, idp, authorize_url):
    """FranceConnect answers; the aidant's browser brings the answer back to the callback."""
    return client.get(local(idp.authorize(authorize_url)))


def page_after(client, response):
    assert response.status_code == 302
    return unescape(client.get(response.url).content.decode())


def identification_count():
    return JournalEntry.objects.filter(kind=Kind.IDENTITY_ESTABLISHED).count()


def test_usager_identified_through_franceconnect_then_logged_out(client, aidant, structure, idp):
    url = start(client)
    assert url.startswith(f"{ISSUER}/api/v2/authorize?")
    params = query_of(url)
    assert params["redirect_uri"] == "http://127.0.0.1:8000/aidants-connect/franceconnect/retour/"
    assert params["scope"].split()[0] == "openid" and "birthplace" in params["scope"]
    assert params["state"] and params["nonce"] and params["state"] != params["nonce"]

    response = come_back(client, idp, url)
    usager = Usager.objects.get()
    assert (usager.given_names, usager.family_name) == ("Angela Claire Louise", "DUBOIS")
    assert usager.birth_date.isoformat() == "1962-08-24"
    assert usager.birth_place.startswith("Paris") and usager.birth_place.endswith("(75107)")
    assert usager.organisation == structure and usager.identity_method == "franceconnect"
    assert usager.franceconnect_sub == idp.person["sub"]
    entry = JournalEntry.objects.get(kind=Kind.IDENTITY_ESTABLISHED)
    assert entry.data == {"methode": "franceconnect"} and entry.usager_id_ref == usager.pk
    assert verify_journal().ok
    # The usager's FranceConnect session is ended (shared device), then on to the mandate.
    assert response.url.startswith(f"{ISSUER}/api/v2/session/end?")
    assert query_of(response.url)["id_token_hint"]
    back = client.get(local(idp.authorize(response.url)))
    assert back.url == reverse("mandates:mandate_create", args=[usager.pk])
    page = unescape(client.get(back.url).content.decode())
    assert "Angela Claire Louise DUBOIS" in page and "identité établie par FranceConnect" in page


def test_returning_usager_is_found_by_sub_not_duplicated(client, aidant, idp):
    come_back(client, idp, start(client))
    idp.person["family_name"] = "DUBOIS-MARTIN"
    come_back(client, idp, start(client))
    usager = Usager.objects.get()
    assert usager.family_name == "DUBOIS-MARTIN"
    assert identification_count() == 2


def test_same_person_in_another_structure_is_another_usager(client, aidant, idp):
    come_back(client, idp, start(client))
    other = habilitated_structure()
    other_aidant = validated_aidant(other)
    TOTPDevice.objects.create(user=other_aidant, name="Application", confirmed=True)
    fresh_login(client, other_aidant)
    come_back(client, idp, start(client))
    assert Usager.objects.filter(franceconnect_sub=idp.person["sub"]).count() == 2


def test_client_secret_basic_and_plain_json_userinfo(client, aidant, settings):
    settings_for(settings)
    provider = TestIdentityProvider(auth_method="client_secret_basic", end_session=False)
    provider.userinfo_as_jwt = False
    with franceconnect.use_transport(provider.transport()):
        response = come_back(client, provider, start(client))
    usager = Usager.objects.get()
    assert response.url == reverse("mandates:mandate_create", args=[usager.pk])


FAULTS = {
    "signature falsifiée": lambda idp: setattr(idp, "forge_signature", True),
    "jeton non signé": lambda idp: setattr(idp, "unsigned", True),
    "autre destinataire": lambda idp: setattr(idp, "audience", "un-autre-service"),
    "autre émetteur": lambda idp: setattr(idp, "issuer_claim", "https://faux-franceconnect.test"),
    "autre nonce": lambda idp: setattr(idp, "nonce", "rejoue"),
    "userinfo d'une autre personne": lambda idp: setattr(idp, "userinfo_sub", "quelquun-d-autre"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_unverifiable_answers_create_nothing(client, aidant, idp, fault):
    FAULTS[fault](idp)
    page = page_after(client, come_back(client, idp, start(client)))
    assert franceconnect.INVALID in page, fault
    assert not Usager.objects.exists() and identification_count() == 0


def test_expired_token_refused(client, aidant, idp):
    idp.expires_in = -franceconnect.CLOCK_LEEWAY_SECONDS - 5
    page = page_after(client, come_back(client, idp, start(client)))
    assert franceconnect.EXPIRED in page
    assert not Usager.objects.exists()


def test_wrong_client_secret_refused(client, aidant, idp, settings):
    url = start(client)
    settings.FRANCECONNECT_CLIENT_SECRET = "pas-le-bon-secret"
    page = page_after(client, come_back(client, idp, url))
    assert franceconnect.INVALID in page
    assert ("POST", "/api/v2/token") in idp.requests and not Usager.objects.exists()


def test_usager_refusal(client, aidant, idp):
    idp.refuse = True
    response = come_back(client, idp, start(client))
    assert response.url == reverse("mandates:usager_create")
    assert franceconnect.CANCELLED in page_after(client, response)
    assert not Usager.objects.exists() and ("POST", "/api/v2/token") not in idp.requests


def test_state_mismatch_and_replay_refused(client, aidant, idp):
    callback = local(idp.authorize(start(client)))
    forged = callback.replace("state=", "state=x")
    assert franceconnect.UNEXPECTED in page_after(client, client.get(forged))
    # The flow was consumed by the forged attempt: the genuine answer cannot be used either.
    assert franceconnect.UNEXPECTED in page_after(client, client.get(callback))
    assert not Usager.objects.exists()
    # An answer from another browser session (no flow started here) is refused too.
    assert franceconnect.UNEXPECTED in page_after(
        client, client.get(reverse("mandates:franceconnect_callback"), {"code": "x", "state": "y"})
    )


def test_provider_down(client, aidant, idp):
    idp.down = True
    response = client.post(reverse("mandates:franceconnect_start"))
    assert response.url == reverse("mandates:usager_create")
    assert franceconnect.UNAVAILABLE in page_after(client, response)
    idp.down = False
    url = start(client)
    callback = local(idp.authorize(url))
    idp.down = True
    assert franceconnect.UNAVAILABLE in page_after(client, client.get(callback))
    assert not Usager.objects.exists()


def test_provider_unreachable(client, aidant, settings):
    settings_for(settings)
    settings.FRANCECONNECT_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    response = client.post(reverse("mandates:franceconnect_start"))
    assert franceconnect.UNAVAILABLE in page_after(client, response)


def test_structure_switched_during_the_flow(client, aidant, structure, idp):
    other = habilitated_structure()
    join_as_aidant(aidant, other)
    url = start(client)
    client.post(reverse("mandates:structure_switch"), {"structure": other.pk})
    page = page_after(client, come_back(client, idp, url))
    assert franceconnect.STRUCTURE_CHANGED in page
    assert not Usager.objects.exists()


def test_page_offers_franceconnect_only_when_configured(client, aidant, settings):
    page = unescape(client.get(reverse("mandates:usager_create")).content.decode())
    assert "FranceConnect" not in page and "d'après sa pièce d'identité" in page
    assert client.post(reverse("mandates:franceconnect_start")).status_code == 404
    assert client.get(reverse("mandates:franceconnect_callback")).status_code == 404
    settings_for(settings)
    response = client.get(reverse("mandates:usager_create"))
    page = unescape(response.content.decode())
    assert "S’identifier avec" in page and "Sans FranceConnect" in page
    assert f"form-action 'self' {ISSUER}" in response["Content-Security-Policy"]


def test_identity_of_a_person_born_abroad_and_incomplete_ones():
    claims = {
        "sub": "abc",
        "given_name": "Ana",
        "family_name": "SILVA",
        "birthdate": "1975-03-09",
        "birthplace": "",
        "birthcountry": "99139",
    }
    identity = franceconnect.identity_from_claims(claims)
    assert identity.birth_place == "Étranger (pays n° INSEE 99139)"
    for broken in [{"birthdate": "1975-00-00"}, {"given_name": ""}, {"birthcountry": ""}]:
        with pytest.raises(franceconnect.FranceConnectError) as error:
            franceconnect.identity_from_claims({**claims, **broken})
        assert str(error.value) == franceconnect.INCOMPLETE
