"""The whole OpenID Connect flow with a real client library (Authlib) and signature checks
(joserfc) against the published keys: discovery, authorization by an aidant, code exchange,
ID token, userinfo; then what must be refused."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.integrations.base_client.errors import OAuthError
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet
from oauth2_provider.models import Grant

from cnum.mandates.models import JournalEntry, Kind
from cnum.mandates.services import revoke_authorisation
from cnum.partners.testing import REDIRECT_URI, make_service, partner_client


def authorize(client, start, authorisation):
    """The aidant's browser: open the authorization URL, pick the authorisation."""
    page = client.get(start["url"])
    assert page.status_code == 200
    response = client.post(start["url"], {"authorisation": authorisation.pk})
    assert response.status_code == 302
    return response["Location"]


def exchange(partner, start, location):
    return partner.fetch_token(
        partner.discovery["token_endpoint"],
        authorization_response=location,
        grant_type="authorization_code",
        state=start["state"],
        code_verifier=start["verifier"],
    )


def verified_id_token(partner, token, nonce):
    keys = KeySet.import_key_set(
        partner.request("GET", partner.discovery["jwks_uri"], withhold_token=True).json()
    )
    decoded = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": partner.discovery["issuer"]},
        aud={"essential": True, "value": partner.client_id},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
    ).validate(decoded.claims)
    return decoded.claims


def uses(authorisation):
    return JournalEntry.objects.filter(
        kind=Kind.AUTHORISATION_USED, authorisation_id_ref=authorisation.pk
    ).count()


def test_discovery_document_points_to_the_endpoints(partner):
    metadata = partner.discovery
    assert metadata["issuer"].endswith("/oidc")
    assert metadata["authorization_endpoint"].endswith("/oidc/authorize/")
    assert metadata["response_types_supported"] == ["code"]
    assert "logement" in metadata["scopes_supported"]
    assert "birthplace" in metadata["claims_supported"]
    keys = partner.request("GET", metadata["jwks_uri"], withhold_token=True).json()["keys"]
    assert keys[0]["kty"] == "RSA" and "d" not in keys[0]  # public part only


def test_full_flow_gives_the_usager_identity_and_journals_each_userinfo_call(
    client, world, partner, authorization
):
    start = authorization()
    location = authorize(client, start, world.logement)
    assert location.startswith(REDIRECT_URI)
    assert parse_qs(urlsplit(location).query)["iss"] == [partner.discovery["issuer"]]

    token = exchange(partner, start, location)
    assert "refresh_token" not in token
    assert token["scope"].split() == ["openid", "profile", "logement"]
    claims = verified_id_token(partner, token, start["nonce"])
    assert claims["given_name"] == "Lucie"
    assert claims["domaine"] == "logement"

    before = uses(world.logement)
    info = partner.get(partner.discovery["userinfo_endpoint"])
    assert info.status_code == 200
    data = info.json()
    assert data["sub"] == claims["sub"]
    assert (data["given_name"], data["family_name"]) == ("Lucie", "Lefèvre")
    assert (data["birthdate"], data["birthplace"]) == ("1950-04-02", "Lyon")
    assert data["domaine"] == "logement"
    partner.get(partner.discovery["userinfo_endpoint"])
    assert uses(world.logement) == before + 2
    entry = JournalEntry.objects.filter(kind=Kind.AUTHORISATION_USED).last()
    assert entry.actor_id == world.aidant.pk
    assert entry.data == {"domaine": "logement", "service": "Démarche logement"}


def test_subject_is_stable_for_a_service_and_differs_between_services(
    client, world, partner, authorization
):
    subjects = []
    for _ in range(2):
        start = authorization()
        token = exchange(partner, start, authorize(client, start, world.logement))
        subjects.append(verified_id_token(partner, token, start["nonce"])["sub"])
    assert subjects[0] == subjects[1]
    other, secret = make_service(name="Autre démarche")
    other_partner = partner_client(other, secret)
    other_partner.discovery = partner.discovery
    verifier = "v" * 50
    url, state = other_partner.create_authorization_url(
        partner.discovery["authorization_endpoint"], code_verifier=verifier, nonce="n"
    )
    location = authorize(client, {"url": url}, world.logement)
    token = exchange(other_partner, {"state": state, "verifier": verifier}, location)
    assert verified_id_token(other_partner, token, "n")["sub"] != subjects[0]


def test_code_replay_is_refused_and_revokes_the_token_it_gave(
    client, world, partner, authorization
):
    start = authorization()
    location = authorize(client, start, world.logement)
    exchange(partner, start, location)
    assert partner.get(partner.discovery["userinfo_endpoint"]).status_code == 200
    with pytest.raises(OAuthError) as refused:
        exchange(partner, start, location)
    assert refused.value.error == "invalid_grant"
    assert partner.get(partner.discovery["userinfo_endpoint"]).status_code == 401


def test_expired_code_is_refused(client, world, partner, authorization):
    start = authorization()
    location = authorize(client, start, world.logement)
    grant = Grant.objects.get()
    assert grant.expires - timezone.now() <= datetime.timedelta(seconds=60)
    Grant.objects.filter(pk=grant.pk).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(OAuthError) as refused:
        exchange(partner, start, location)
    assert refused.value.error == "invalid_grant"


def test_code_of_another_client_is_refused(client, world, partner, authorization):
    start = authorization()
    location = authorize(client, start, world.logement)
    other, secret = make_service(name="Service tiers")
    thief = partner_client(other, secret)
    with pytest.raises(OAuthError) as refused:
        thief.fetch_token(
            partner.discovery["token_endpoint"],
            authorization_response=location,
            grant_type="authorization_code",
            code_verifier=start["verifier"],
        )
    assert refused.value.error == "invalid_grant"
    # The code was not consumed by the failed attempt: its owner still gets its token.
    assert "access_token" in exchange(partner, start, location)


def test_wrong_client_secret_is_refused(client, world, partner, authorization):
    start = authorization()
    location = authorize(client, start, world.logement)
    impostor = partner_client(world.service, "pas-le-bon-secret")
    with pytest.raises(OAuthError) as refused:
        impostor.fetch_token(
            partner.discovery["token_endpoint"],
            authorization_response=location,
            grant_type="authorization_code",
            code_verifier=start["verifier"],
        )
    assert refused.value.error == "invalid_client"


def test_missing_pkce_verifier_is_refused(client, world, partner, authorization):
    start = authorization()
    location = authorize(client, start, world.logement)
    with pytest.raises(OAuthError) as refused:
        partner.fetch_token(
            partner.discovery["token_endpoint"],
            authorization_response=location,
            grant_type="authorization_code",
        )
    assert refused.value.error == "invalid_request"


def test_redirect_uri_mismatch_is_refused_without_redirecting(client, world, partner):
    url, _ = partner.create_authorization_url(
        partner.discovery["authorization_endpoint"],
        code_verifier="v" * 50,
        redirect_uri="https://attaquant.exemple.net/retour",
    )
    response = client.get(url)
    assert response.status_code == 400
    assert "Location" not in response
    assert "adresse de retour ne correspond pas" in response.content.decode()


def test_token_request_with_another_redirect_uri_is_refused(client, world, partner, authorization):
    start = authorization()
    location = authorize(client, start, world.logement)
    with pytest.raises(OAuthError):
        partner.fetch_token(
            partner.discovery["token_endpoint"],
            authorization_response=location,
            grant_type="authorization_code",
            code_verifier=start["verifier"],
            redirect_uri="https://demarche.exemple.fr/ailleurs",
        )


def test_userinfo_answers_post_too(client, world, partner, authorization):
    start = authorization()
    exchange(partner, start, authorize(client, start, world.logement))
    before = uses(world.logement)
    response = partner.post(partner.discovery["userinfo_endpoint"])
    assert response.status_code == 200
    assert response.json()["given_name"] == "Lucie"
    assert uses(world.logement) == before + 1


def test_userinfo_refused_once_the_authorisation_is_revoked(client, world, partner, authorization):
    start = authorization()
    exchange(partner, start, authorize(client, start, world.logement))
    revoke_authorisation(world.logement, aidant=world.aidant)
    before = uses(world.logement)
    response = partner.get(partner.discovery["userinfo_endpoint"])
    assert response.status_code == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]
    assert uses(world.logement) == before


def test_userinfo_refused_once_the_mandate_has_expired(client, world, partner, authorization):
    start = authorization()
    exchange(partner, start, authorize(client, start, world.logement))
    past = timezone.now() - datetime.timedelta(seconds=1)
    type(world.mandate).objects.filter(pk=world.mandate.pk).update(
        created_at=past - datetime.timedelta(days=31), expires_at=past
    )
    assert partner.get(partner.discovery["userinfo_endpoint"]).status_code == 401


def test_code_refused_when_the_authorisation_was_revoked_before_the_exchange(
    client, world, partner, authorization
):
    start = authorization()
    location = authorize(client, start, world.logement)
    revoke_authorisation(world.logement, aidant=world.aidant)
    with pytest.raises(OAuthError) as refused:
        exchange(partner, start, location)
    assert refused.value.error == "invalid_grant"


def test_unknown_token_parameter_is_refused(client, world, partner, authorization):
    start = authorization()
    location = authorize(client, start, world.logement)
    with pytest.raises(OAuthError) as refused:
        partner.fetch_token(
            partner.discovery["token_endpoint"],
            authorization_response=location,
            grant_type="authorization_code",
            code_verifier=start["verifier"],
            audience="tout",
        )
    assert refused.value.error == "invalid_request"


def test_disabled_service_can_no_longer_call_userinfo(client, world, partner, authorization):
    from cnum.partners.services import update_service

    start = authorization()
    exchange(partner, start, authorize(client, start, world.logement))
    update_service(
        world.service,
        name=world.service.name,
        redirect_uris=[REDIRECT_URI],
        domains=world.service.domains,
        is_active=False,
    )
    assert partner.get(partner.discovery["userinfo_endpoint"]).status_code == 401


def test_userinfo_takes_the_token_only_from_the_authorization_header(
    client, world, partner, authorization
):
    """A token in a URL or a form body ends up in logs and histories: 401, nothing given."""
    from django.test import Client
    from django.urls import reverse

    start = authorization()
    token = exchange(partner, start, authorize(client, start, world.logement))["access_token"]
    machine = Client()
    url = reverse("partners:userinfo")
    before = uses(world.logement)
    for response in (
        machine.get(url, {"access_token": token}),
        machine.post(url, {"access_token": token}),
        machine.get(url, {"access_token": token}, HTTP_AUTHORIZATION=f"Bearer {token}"),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Lucie" not in response.content.decode()
    assert uses(world.logement) == before
    response = machine.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["given_name"] == "Lucie"
