"""Registering partner services: the secret is shown once and stored hashed."""

import re

import pytest
from django.core.checks import run_checks
from django.urls import reverse
from oauth2_provider.models import Application

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.partners.models import PartnerService
from cnum.partners.secrets import secret_matches
from cnum.partners.testing import make_service

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Caf en ligne",
    "redirect_uris": "https://caf.exemple.fr/retour\n\nhttps://caf.exemple.fr/retour2",
    "domains": ["social", "famille"],
}


@pytest.fixture
def admin_client(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    return client


def test_registering_shows_the_secret_once_and_stores_only_its_hash(admin_client):
    response = admin_client.post(reverse("partners:service_list"), FORM)
    assert response.status_code == 200
    page = response.content.decode()
    service = PartnerService.objects.get()
    secret = page.split("<p><code>")[1].split("</code>")[0]
    assert len(secret) >= 64
    assert secret_matches(secret, service.application.client_secret)
    assert secret not in service.application.client_secret
    assert service.application.redirect_uris.split() == [
        "https://caf.exemple.fr/retour",
        "https://caf.exemple.fr/retour2",
    ]
    assert service.domains == ["social", "famille"]
    assert service.application.algorithm == Application.RS256_ALGORITHM
    detail = admin_client.get(reverse("partners:service_detail", args=[service.pk]))
    assert secret not in detail.content.decode()
    assert service.application.client_id in detail.content.decode()


@pytest.mark.parametrize(
    ("uris", "message"),
    [
        ("http://caf.exemple.fr/retour", "n&#x27;est pas une adresse https valide"),
        ("pas une adresse", "n&#x27;est pas une adresse https valide"),
        ("https://caf.exemple.fr/retour#x", "fragment"),
        ("  ", "Ce champ est obligatoire"),
    ],
)
def test_bad_redirect_uris_are_refused_in_french(admin_client, uris, message):
    response = admin_client.post(reverse("partners:service_list"), FORM | {"redirect_uris": uris})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PartnerService.objects.exists()


def test_unknown_domain_is_refused(admin_client):
    response = admin_client.post(reverse("partners:service_list"), FORM | {"domains": ["impots"]})
    assert "Ce domaine n&#x27;est pas proposé" in response.content.decode()
    assert not PartnerService.objects.exists()


def test_list_has_a_fixed_query_budget(admin_client, django_assert_max_num_queries):
    for n in range(15):
        make_service(name=f"Service {n}")
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("partners:service_list"))
    assert len(re.findall(r'href="/oidc/services/\d+/', response.content.decode())) == 15


def test_editing_changes_uris_and_domains(admin_client):
    service, _ = make_service()
    url = reverse("partners:service_edit", args=[service.pk])
    form = {
        "name": "Nouveau nom",
        "redirect_uris": "https://autre.exemple.fr/cb",
        "domains": ["logement"],
        "is_active": "on",
    }
    assert admin_client.post(url, form).status_code == 302
    service.refresh_from_db()
    service.application.refresh_from_db()
    assert service.name == "Nouveau nom"
    assert service.application.redirect_uris == "https://autre.exemple.fr/cb"
    assert service.domains == ["logement"] and service.is_active


def test_new_secret_replaces_the_old_one(admin_client):
    service, old = make_service()
    response = admin_client.post(reverse("partners:service_secret", args=[service.pk]))
    new = response.content.decode().split("<p><code>")[1].split("</code>")[0]
    service.application.refresh_from_db()
    assert secret_matches(new, service.application.client_secret)
    assert not secret_matches(old, service.application.client_secret)


def test_unknown_service_is_a_404(admin_client):
    assert admin_client.get(reverse("partners:service_detail", args=[999999])).status_code == 404


def test_non_admins_change_nothing(client):
    login(client, make_user(Role.AIDANT))
    assert client.post(reverse("partners:service_list"), FORM).status_code == 403
    assert not PartnerService.objects.exists()


def test_deploy_check_refuses_the_development_key(settings):
    settings.DEBUG = False
    settings.OIDC_KEY_FROM_ENVIRONMENT = False
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "partners.E001" in ids
    settings.OIDC_KEY_FROM_ENVIRONMENT = True
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "partners.E001" not in ids


def test_development_key_is_created_once_and_kept(tmp_path, monkeypatch):
    from cnum.partners.keys import signing_key

    monkeypatch.delenv("OIDC_RSA_PRIVATE_KEY", raising=False)
    first, from_env = signing_key(tmp_path)
    assert first.startswith("-----BEGIN PRIVATE KEY-----") and not from_env
    assert signing_key(tmp_path)[0] == first
    assert (tmp_path / "oidc_rsa_private_key.pem").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("OIDC_RSA_PRIVATE_KEY", first.replace("\n", "\\n"))
    assert signing_key(tmp_path) == (first, True)


def test_secret_check_never_compares_in_clear():
    assert not secret_matches("abc", "abc")
    assert not secret_matches("", "pbkdf2_sha256$1000$sel$empreinte")


def test_unwritable_var_directory_does_not_stop_the_site(tmp_path, monkeypatch):
    from cnum.partners.keys import signing_key

    monkeypatch.delenv("OIDC_RSA_PRIVATE_KEY", raising=False)
    not_a_directory = tmp_path / "fichier"
    not_a_directory.write_text("")
    assert signing_key(not_a_directory) == ("", False)
