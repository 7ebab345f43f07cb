"""ProConnect login, end to end against a local identity provider (real HTTP, real JWT)."""

import socket
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import proconnect
from cnum.accounts.models import AccountEvent, AccountLog, ProConnectIdentity, User
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.mandates.testing_idp import CLIENT_ID, CLIENT_SECRET, TestIdentityProvider, serve

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
START = reverse("accounts:proconnect_start")
LINK = reverse("accounts:proconnect_link")
VERIFY = reverse("accounts:two_factor_verify")
DASHBOARD = reverse("accounts:dashboard")
AGENT_EMAIL = "agent.prefecture@interieur.gouv.fr"


class ProConnectProvider(TestIdentityProvider):
    """The local provider, speaking as ProConnect: e-mail in userinfo, amr/acr chosen."""

    __test__ = False

    def __init__(self):
        super().__init__(
            person={
                "sub": "proconnect-sub-42",
                "email": AGENT_EMAIL,
                "given_name": "Agathe",
                "usual_name": "Agent",
                "uid": "42",
                "siret": "11000601200010",
            }
        )
        self.id_token_extra = {}

    def sign(self, claims):
        if "nonce" in claims:  # the id_token
            claims = {**claims, **self.id_token_extra}
        return super().sign(claims)


@pytest.fixture
def idp(settings):
    provider = ProConnectProvider()
    with serve(provider):
        provider.issuer_claim = f"{provider.base}/api/v2"
        settings.PROCONNECT_ISSUER = provider.issuer_claim
        settings.PROCONNECT_CLIENT_ID = CLIENT_ID
        settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
        yield provider


@pytest.fixture
def agent():
    user = make_user(Role.PREFET, email=AGENT_EMAIL)
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    return user


def authorize(client):
    """Start at the login page's button, pass ProConnect (a real HTTP request), come back."""
    response = client.get(START)
    assert response.status_code == 302
    answer = httpx.get(response.url)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["location"])
    assert callback.path == reverse("accounts:proconnect_callback")
    return client.get(f"{callback.path}?{callback.query}")


def text(response):
    return unescape(response.content.decode())


def logged_in(client):
    return "_auth_user_id" in client.session


def test_not_offered_without_configuration(client):
    assert "S'identifier avec ProConnect" not in text(client.get(LOGIN))
    assert client.get(START).status_code == 404


def test_first_login_links_only_after_explicit_confirmation(client, idp, agent):
    assert "S'identifier avec ProConnect" in text(client.get(LOGIN))
    response = authorize(client)
    assert response.url == LINK and not logged_in(client)
    page = text(client.get(LINK))
    assert AGENT_EMAIL in page and "C'est bien mon compte" in page and "Préfet" in page
    assert not ProConnectIdentity.objects.exists() and not logged_in(client)

    response = client.post(LINK, {"confirm": "1"})
    assert int(client.session["_auth_user_id"]) == agent.pk
    assert ProConnectIdentity.objects.get().sub == "proconnect-sub-42"
    assert AccountLog.objects.filter(user=agent, event=AccountEvent.PROCONNECT_LINKED).exists()
    # ProConnect said nothing of a second factor: the préfet still types a TOTP code.
    assert response.url.startswith(VERIFY)
    assert client.get(DASHBOARD).url.startswith(VERIFY)


def test_later_logins_go_straight_to_the_linked_account(client, idp, agent):
    ProConnectIdentity.objects.create(user=agent, sub="proconnect-sub-42")
    idp.person["email"] = "nouvelle.adresse@interieur.gouv.fr"  # the sub decides, not the e-mail
    response = authorize(client)
    assert int(client.session["_auth_user_id"]) == agent.pk and response.url.startswith(VERIFY)


def test_second_factor_checked_by_proconnect_counts(client, idp, agent):
    idp.id_token_extra = {"amr": ["pwd", "mfa"]}
    authorize(client)
    response = client.post(LINK, {"confirm": "1"})
    assert response.url == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_eidas1_acr_alone_is_not_a_second_factor():
    assert not proconnect.second_factor_checked({"acr": "eidas1", "amr": ["pwd"]})
    assert proconnect.second_factor_checked(
        {"acr": "https://proconnect.gouv.fr/assurance/self-asserted-2fa"}
    )


def test_declining_links_nothing_and_logs_nobody_in(client, idp, agent):
    authorize(client)
    response = client.post(LINK, {"confirm": "0"})
    assert response.url == LOGIN and not logged_in(client)
    assert not ProConnectIdentity.objects.exists()
    assert "Aucun compte n'a été lié" in text(client.get(LOGIN))
    assert client.post(LINK, {"confirm": "1"}).url == LOGIN and not logged_in(client)


def test_unknown_email_creates_no_account(client, idp):
    response = authorize(client)
    assert response.status_code == 403
    assert "aucun compte de la plateforme ne correspond" in text(response)
    assert not User.objects.filter(email=AGENT_EMAIL).exists() and not logged_in(client)


def test_not_for_accounts_without_an_agent_role(client, idp):
    make_user(Role.CANDIDAT, email=AGENT_EMAIL)
    response = authorize(client)
    assert response.status_code == 403 and "réservé aux agents publics" in text(response)
    assert not logged_in(client)


FAULTS = {
    "forge_signature": (True, proconnect.INVALID),
    "audience": ("un-autre-service", proconnect.INVALID),
    "expires_in": (-3600, proconnect.EXPIRED),
    "nonce": ("un-autre-nonce", proconnect.INVALID),
    "issuer_claim": ("https://faux-proconnect.test", proconnect.INVALID),
    "userinfo_sub": ("quelqu-un-d-autre", proconnect.INVALID),
    "down": (True, proconnect.UNAVAILABLE),
    "refuse": (True, proconnect.CANCELLED),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_faulty_answer_logs_nobody_in(client, idp, agent, fault):
    value, message = FAULTS[fault]
    response = client.get(START)
    answer = httpx.get(response.url)  # the authorisation itself goes well…
    setattr(idp, fault, value)  # …then the provider misbehaves
    if fault == "refuse":
        answer = httpx.get(response.url)
    callback = urlsplit(answer.headers["location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.url == LOGIN and not logged_in(client)
    assert message in text(client.get(LOGIN))
    assert not ProConnectIdentity.objects.exists()
    assert "proconnect_pending" not in client.session


def test_state_mismatch(client, idp, agent):
    client.get(START)
    answer = httpx.get(client.get(START).url)
    callback = urlsplit(answer.headers["location"])
    response = client.get(f"{callback.path}?code=abc&state=un-autre-etat")
    assert response.url == LOGIN and not logged_in(client)
    assert proconnect.UNEXPECTED in text(client.get(LOGIN))
    # The same answer opened in another browser: no flow there.
    other = type(client)()
    assert other.get(f"{callback.path}?{callback.query}").url == LOGIN


def test_provider_unreachable(client, settings, agent):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block ends: nobody listens there
    settings.PROCONNECT_ISSUER = f"http://127.0.0.1:{port}/api/v2"
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    client.get(START)
    state = next(iter(client.session["oidc_states"]))
    response = client.get(reverse("accounts:proconnect_callback"), {"code": "x", "state": state})
    assert response.url == LOGIN and not logged_in(client)
    assert proconnect.UNAVAILABLE in text(client.get(LOGIN))
