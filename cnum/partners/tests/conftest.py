import pytest
from authlib.common.security import generate_token

from cnum.mandates.tests.factories import fresh_login, habilitated_structure
from cnum.partners.testing import make_aidant, make_service, mandate_for, partner_client


class World:
    """Structure A (the aidant's) with two usagers; structure B with its own usager."""


@pytest.fixture
def world(db, client):
    w = World()
    w.structure = habilitated_structure()
    w.aidant = make_aidant(w.structure)
    w.mandate = mandate_for(w.aidant, w.structure, ["logement", "social"], given_names="Lucie")
    w.logement = w.mandate.authorisations.get(domain="logement")
    w.social = w.mandate.authorisations.get(domain="social")
    w.argent_mandate = mandate_for(w.aidant, w.structure, ["argent"], given_names="Marc")
    w.argent = w.argent_mandate.authorisations.get()
    w.other_structure = habilitated_structure()
    w.other_aidant = make_aidant(w.other_structure)
    w.foreign_mandate = mandate_for(
        w.other_aidant, w.other_structure, ["logement"], given_names="Étrangère"
    )
    w.foreign = w.foreign_mandate.authorisations.get()
    w.service, w.secret = make_service()
    fresh_login(client, w.aidant)
    return w


@pytest.fixture
def partner(world):
    """The partner back end, its discovery document already fetched."""
    oauth = partner_client(world.service, world.secret)
    oauth.discovery = oauth.request(
        "GET", "/oidc/.well-known/openid-configuration", withhold_token=True
    ).json()
    yield oauth
    oauth.close()


@pytest.fixture
def authorization(partner):
    """Start a login at the partner: the URL the aidant's browser is sent to."""

    def start(**params):
        verifier = generate_token(48)
        nonce = generate_token(20)
        url, state = partner.create_authorization_url(
            partner.discovery["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
            **params,
        )
        return {"url": url, "state": state, "verifier": verifier, "nonce": nonce}

    return start
