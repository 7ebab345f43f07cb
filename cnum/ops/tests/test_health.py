"""/sante/ and /sante/pret/: what a load balancer and the monitoring poll, with real failures."""

import datetime
import json

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cnum.core.mail import send_email

pytestmark = pytest.mark.django_db

# A Redis nobody listens on: every cache call fails at once.
CLOSED_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


def test_liveness_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/")
    assert response.status_code == 200 and response.json() == {"statut": "vivant"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_database_cache_migrations_and_tasks(client):
    response = client.get("/sante/pret/")
    assert response.status_code == 200
    assert response.json() == {
        "statut": "prêt",
        "controles": {
            "base_de_donnees": "ok",
            "cache": "ok",
            "migrations": "ok",
            "file_de_taches": "ok",
        },
    }


@override_settings(CACHES=CLOSED_CACHE)
def test_readiness_is_503_when_the_cache_is_down(client):
    response = client.get("/sante/pret/")
    assert response.status_code == 503
    body = response.json()
    assert body["statut"] == "indisponible"
    assert body["controles"]["cache"].startswith("échec")
    assert body["controles"]["base_de_donnees"] == "ok"


def test_a_task_backlog_is_reported_without_failing_readiness(client):
    send_email.enqueue("Objet", "Texte", ["personne@exemple.fr"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=11))
    response = client.get("/sante/pret/")
    assert response.status_code == 200
    state = response.json()["controles"]["file_de_taches"]
    assert state == "alerte : tâches en attente depuis plus de 10 minutes"
    # Nothing about the task itself: no address, no subject.
    assert "exemple.fr" not in json.dumps(response.json()) and "Objet" not in response.text
