"""One code posted twice at the same moment: a single token comes out, and it is revoked as a
replayed code's token must be."""

import base64
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, connections
from django.test import Client
from oauth2_provider.models import AccessToken

from cnum.mandates import triggers
from cnum.mandates.tests.factories import fresh_login, habilitated_structure
from cnum.partners.testing import REDIRECT_URI, make_aidant, make_service, mandate_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


@pytest.fixture
def empty_journal_afterwards():
    """The flush after the test deletes every table; the journal's triggers refuse that."""
    yield
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mandates_journalentry")
        cursor.execute("DELETE FROM mandates_journalhead")
    triggers.install(connection)


def test_simultaneous_exchanges_of_one_code_give_one_token(empty_journal_afterwards):
    from authlib.integrations.httpx_client import OAuth2Client

    structure = habilitated_structure()
    aidant = make_aidant(structure)
    authorisation = mandate_for(aidant, structure, ["logement"]).authorisations.get()
    service, secret = make_service()
    partner = OAuth2Client(
        client_id=service.application.client_id,
        scope="openid profile logement",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    )
    verifier = "v" * 64
    url, _ = partner.create_authorization_url("/oidc/authorize/", code_verifier=verifier)
    browser = Client()
    fresh_login(browser, aidant)
    location = browser.post(url, {"authorisation": authorisation.pk})["Location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    basic = base64.b64encode(f"{service.application.client_id}:{secret}".encode()).decode()
    barrier = threading.Barrier(2)
    statuses = []

    def exchange():
        try:
            barrier.wait()
            response = Client().post(
                "/oidc/token/",
                {
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier,
                },
                HTTP_AUTHORIZATION=f"Basic {basic}",
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=exchange) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 400]
    assert not AccessToken.objects.exists()  # the replay revoked the token the code gave
