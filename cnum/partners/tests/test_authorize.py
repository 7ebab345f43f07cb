"""The authorization step seen by the aidant: who is offered, what is refused and how."""

from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.mandates.policies import CURRENT_STRUCTURE_KEY
from cnum.mandates.tests.factories import fresh_login, habilitated_structure
from cnum.partners.models import Delegation
from cnum.partners.testing import REDIRECT_URI, make_aidant, mandate_for
from cnum.partners.views.oidc import TokenView, UserInfoView, authorize, discovery


def error_of(response):
    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI)
    return {
        key: values[0] for key, values in parse_qs(urlsplit(response["Location"]).query).items()
    }


def test_only_active_authorisations_of_the_requested_domain_in_the_structure_are_offered(
    client, world, authorization
):
    page = client.get(authorization()["url"]).content.decode()
    assert f'value="{world.logement.pk}"' in page
    assert f'value="{world.social.pk}"' not in page  # not requested
    assert f'value="{world.argent.pk}"' not in page  # not requested
    assert f'value="{world.foreign.pk}"' not in page  # another structure
    assert "Étrangère" not in page


def test_usager_of_another_structure_is_a_404_and_issues_nothing(client, world, authorization):
    start = authorization()
    response = client.post(start["url"], {"authorisation": world.foreign.pk})
    assert response.status_code == 404
    assert not Delegation.objects.exists()


def test_authorisation_of_another_domain_is_a_404(client, world, authorization):
    start = authorization()
    assert client.post(start["url"], {"authorisation": world.argent.pk}).status_code == 404
    assert client.post(start["url"], {"authorisation": "abc"}).status_code == 404
    assert not Delegation.objects.exists()


def test_domain_not_registered_for_the_service_is_refused(client, world, authorization):
    start = authorization(scope="openid profile argent")
    error = error_of(client.get(start["url"]))
    assert error["error"] == "invalid_scope"
    assert error["state"] == start["state"]


def test_request_without_any_domain_is_refused(client, world, authorization):
    error = error_of(client.get(authorization(scope="openid profile")["url"]))
    assert error["error"] == "invalid_scope"
    assert "domaine" in error["error_description"]


def test_unknown_parameter_is_refused_with_an_oidc_error(client, world, authorization):
    start = authorization(acces_total="oui")
    error = error_of(client.get(start["url"]))
    assert error["error"] == "invalid_request"
    assert "acces_total" in error["error_description"]
    assert error["state"] == start["state"]


def test_prompt_none_is_refused(client, world, authorization):
    error = error_of(client.get(authorization(prompt="none")["url"]))
    assert error["error"] in {"login_required", "consent_required"}


def test_unknown_client_gets_an_error_page_not_a_redirect(client, world, authorization):
    url = authorization()["url"].replace(world.service.application.client_id, "inconnu")
    response = client.get(url)
    assert response.status_code == 400
    assert "Location" not in response


def test_submitting_without_choice_shows_a_french_error(client, world, authorization):
    start = authorization()
    response = client.post(start["url"], {"action": "connecter"})
    assert response.status_code == 200
    assert "Choisissez l'usager et le domaine" in response.content.decode()


def test_cancel_goes_back_to_the_service_with_access_denied(client, world, authorization):
    start = authorization()
    error = error_of(client.post(start["url"], {"action": "refuser"}))
    assert error["error"] == "access_denied"
    assert not Delegation.objects.exists()


def test_stale_second_factor_sends_to_reverification_first(world, authorization):
    stale = Client()
    login(stale, world.aidant)  # logged in, but no code typed in the last 15 minutes
    start = authorization()
    response = stale.get(start["url"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mandates:reverify"))
    assert "authorize" in parse_qs(urlsplit(response["Location"]).query)["next"][0]
    assert stale.post(start["url"], {"authorisation": world.logement.pk}).status_code == 302
    assert not Delegation.objects.exists()


def test_only_the_current_structure_is_offered(client, world, authorization):
    # The same aidant also works in a second structure, with its own usager.
    second = habilitated_structure()
    from cnum.accounts.models import Membership
    from cnum.mandates.models import AidantProfile

    membership = Membership.objects.create(user=world.aidant, role=Role.AIDANT, organisation=second)
    AidantProfile.objects.create(
        membership=membership,
        training_date="2026-01-01",
        pix_validated=True,
        validated_at=world.mandate.created_at,
        attendance_recorded_at=world.mandate.created_at,
    )
    elsewhere = mandate_for(world.aidant, second, ["logement"], given_names="Ailleurs")
    other = elsewhere.authorisations.get()
    session = client.session
    session[CURRENT_STRUCTURE_KEY] = world.structure.pk
    session.save()
    start = authorization()
    page = client.get(start["url"]).content.decode()
    assert f'value="{world.logement.pk}"' in page and "Ailleurs" not in page
    assert client.post(start["url"], {"authorisation": other.pk}).status_code == 404
    session = client.session
    session[CURRENT_STRUCTURE_KEY] = second.pk
    session.save()
    page = client.get(start["url"]).content.decode()
    assert f'value="{other.pk}"' in page and "Lucie" not in page


def test_non_aidant_is_forbidden(client, world, authorization):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE, organisation=world.structure)
    login(client, manager)
    assert client.get(authorization()["url"]).status_code == 403


def test_aidant_not_yet_validated_is_forbidden(world, authorization):
    from cnum.mandates.tests.factories import validated_aidant

    rookie = Client()
    fresh_login(rookie, validated_aidant(world.structure, validated=False))
    assert rookie.get(authorization()["url"]).status_code == 403


def test_chooser_page_has_a_fixed_query_budget(
    client, world, authorization, django_assert_max_num_queries
):
    for n in range(30):
        mandate_for(world.aidant, world.structure, ["logement"], given_names=f"Usager{n}")
    url = authorization()["url"]
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.content.decode().count('name="authorisation"') == 31


def test_the_form_may_redirect_to_the_service(client, world, authorization):
    response = client.get(authorization()["url"])
    assert "form-action 'self' https://demarche.exemple.fr" in response["Content-Security-Policy"]


def test_csrf_exemption_only_on_the_bearer_endpoints(world, authorization):
    assert TokenView.as_view().csrf_exempt
    assert UserInfoView.as_view().csrf_exempt
    for view in (authorize, discovery):
        assert not getattr(view, "csrf_exempt", False)
    checked = Client(enforce_csrf_checks=True)
    fresh_login(checked, world.aidant)
    start = authorization()
    assert checked.post(start["url"], {"authorisation": world.logement.pk}).status_code == 403
    assert not Delegation.objects.exists()


@pytest.mark.parametrize("name", ["discovery", "jwks", "userinfo"])
def test_machine_endpoints_answer_without_session(client, name):
    response = Client().get(reverse(f"partners:{name}"))
    assert response.status_code in {200, 401}
    assert response["Content-Type"].startswith("application/json") or response.status_code == 401


def test_userinfo_without_token_is_401_with_a_bearer_challenge(db):
    response = Client().get(reverse("partners:userinfo"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_endpoint_requires_client_authentication(db):
    response = Client().post(
        reverse("partners:token"), {"grant_type": "authorization_code", "code": "x"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_another_aidant_of_the_structure_sees_the_same_usagers(world, authorization):
    colleague = Client()
    fresh_login(colleague, make_aidant(world.structure))
    page = colleague.get(authorization()["url"]).content.decode()
    assert f'value="{world.logement.pk}"' in page


def test_search_narrows_the_list_without_issuing_a_code(client, world, authorization):
    mandate_for(world.aidant, world.structure, ["logement"], given_names="Bérénice")
    start = authorization()
    response = client.post(
        start["url"],
        {"action": "rechercher", "recherche": "bérén", "authorisation": world.logement.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bérénice" in page and "Lucie" not in page
    assert not Delegation.objects.exists()
    page = client.post(start["url"], {"action": "rechercher", "recherche": "zzz"}).content
    assert "Aucun usager ne correspond à « zzz »" in page.decode()


def test_long_lists_are_capped(client, world, authorization, settings, monkeypatch):
    from cnum.partners.views import oidc

    monkeypatch.setattr(oidc, "CHOOSER_LIMIT", 2)
    for n in range(3):
        mandate_for(world.aidant, world.structure, ["logement"], given_names=f"Usager{n}")
    page = client.get(authorization()["url"]).content.decode()
    assert page.count('name="authorisation"') == 2
    assert "Seuls les 2 premiers usagers sont affichés" in page


@pytest.mark.parametrize("method", ["plain", None])
def test_plain_pkce_is_refused_before_any_usager_is_shown(client, world, authorization, method):
    """A "plain" challenge (the default when none is named) protects nothing."""
    start = authorization()
    parts = urlsplit(start["url"])
    query = {k: v for k, v in parse_qsl(parts.query) if k != "code_challenge_method"}
    if method:
        query["code_challenge_method"] = method
    url = f"{parts.path}?{urlencode(query)}"
    response = client.get(url)
    assert "Lucie" not in response.content.decode()
    error = error_of(response)
    assert error["error"] == "invalid_request"
    assert "S256" in error["error_description"]
    assert error["state"] == start["state"]
    assert not Delegation.objects.exists()
    # Nor by posting a choice straight away.
    response = client.post(url, {"authorisation": world.logement.pk})
    assert error_of(response)["error"] == "invalid_request"
    assert not Delegation.objects.exists()
