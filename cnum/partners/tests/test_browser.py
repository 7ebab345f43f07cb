"""Journey in a real browser: an aidant logs in, a partner service sends them to the
authorization page, they pick the usager; the browser lands back at the service with a code,
which the service's back end exchanges over HTTP. axe check on the page."""

import pytest
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.testing import PASSWORD
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.mandates import triggers
from cnum.mandates.tests.factories import habilitated_structure
from cnum.partners.testing import REDIRECT_URI, make_aidant, make_service, mandate_for

pytestmark = BROWSER_TEST


@pytest.fixture
def empty_journal_afterwards(live_server):
    """The flush after the test deletes every table; the journal's triggers refuse that."""
    yield
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mandates_journalentry")
        cursor.execute("DELETE FROM mandates_journalhead")
    triggers.install(connection)


def test_aidant_logs_in_to_a_partner_service_as_a_usager(
    page, live_server, empty_journal_afterwards, settings
):
    from authlib.integrations.httpx_client import OAuth2Client

    settings.SITE_URL = live_server.url
    structure = habilitated_structure()
    aidant = make_aidant(structure)
    aidant.set_password(PASSWORD)
    aidant.save()
    mandate_for(aidant, structure, ["logement"], given_names="Lucie")
    service, secret = make_service()
    partner = OAuth2Client(
        client_id=service.application.client_id,
        client_secret=secret,
        scope="openid profile logement",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    )
    verifier = "v" * 64
    url, state = partner.create_authorization_url(
        f"{live_server.url}/oidc/authorize/", code_verifier=verifier, nonce="nonce-1"
    )
    # The service's own site is not reachable from here: answer in its place.
    landed = []
    page.route(
        f"{REDIRECT_URI}**",
        lambda route: landed.append(route.request.url) or route.fulfill(body="Service"),
    )

    page.goto(url)  # not logged in yet: the login page, then back to the authorization
    page.get_by_label("Adresse électronique").fill(aidant.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    device = TOTPDevice.objects.get(user=aidant)
    page.get_by_label("Code de vérification").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Vérifier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à Démarche logement")
    assert_accessible(page)
    page.get_by_label("Lucie Lefèvre — Logement").check(force=True)
    page.get_by_role("button", name="Se connecter au nom de l'usager").click()
    expect(page.get_by_text("Service")).to_be_visible()

    token = partner.fetch_token(
        f"{live_server.url}/oidc/token/",
        authorization_response=landed[0],
        grant_type="authorization_code",
        state=state,
        code_verifier=verifier,
    )
    info = partner.get(f"{live_server.url}/oidc/userinfo/").json()
    assert info["given_name"] == "Lucie" and info["domaine"] == "logement"
    assert "id_token" in token
