import pytest
from django.core import mail
from django.db import transaction

from cnum.core.mail import send_templated_email

pytestmark = pytest.mark.django_db


def test_home_explains_the_programme_to_each_audience(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "République<br>Française" in html
    assert '<html lang="fr"' in html
    for entry_point in ("/candidats/candidater/", "/compte/connexion/", "/territoires/communes/"):
        assert f'href="{entry_point}"' in html
    for legal in ("/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"):
        assert f'href="{legal}"' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/mentions-legales/", "Mentions légales"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/donnees-personnelles/", "Données personnelles"),
    ],
)
def test_legal_pages(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode().replace("&#x27;", "'")


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_healthcheck_answers_without_login(client):
    response = client.get("/healthz")
    assert response.json() == {"statut": "ok"}


def test_emails_are_sent_by_the_worker_after_commit(run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_templated_email("core/emails/test", {"nom": "Camille"}, ["camille@exemple.fr"])
        assert mail.outbox == []
    assert mail.outbox == []  # queued, not sent inline
    run_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@exemple.fr"]
    assert "Bonjour Camille" in mail.outbox[0].body


def test_an_email_is_not_sent_when_the_transaction_rolls_back(
    run_tasks, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_templated_email("core/emails/test", {"nom": "Camille"}, ["camille@exemple.fr"])
        raise RuntimeError
    run_tasks()
    assert mail.outbox == []
