"""/metrics: Prometheus's text for a bearer token or an allowed address, nobody else."""

import pytest
from django.test import override_settings

from cnum.ops import services

pytestmark = pytest.mark.django_db

TOKEN = "jeton-de-supervision-2026"


def test_without_configuration_the_endpoint_does_not_exist(client):
    assert client.get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
def test_refused_without_the_token(client):
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", headers={"Authorization": "Bearer pas-le-bon"})
    assert wrong.status_code == 403 and b"django_http" not in wrong.content


@override_settings(METRICS_TOKEN=TOKEN)
def test_served_with_the_token_with_latency_by_view_and_queue_depth(client, run_tasks):
    client.get("/sante/")
    services.enqueue_scheduled("verify_ledger")
    run_tasks()
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    text = response.content.decode()
    latency = [
        line
        for line in text.splitlines()
        if line.startswith("django_http_requests_latency_seconds_by_view_method_count")
        and 'view="ops:liveness"' in line
    ]
    assert latency and float(latency[0].split()[-1]) >= 1
    assert 'cnum_job_runs_total{job="verify_ledger",result="reussi"}' in text
    assert 'cnum_task_duration_seconds_count{task="cnum.ops.tasks.run_job"}' in text
    assert "cnum_task_queue_depth 0.0" in text


@override_settings(METRICS_ALLOWED_IPS=["127.0.0.0/8"])
def test_served_to_an_allowed_address_without_token(client):
    assert client.get("/metrics").status_code == 200


@override_settings(METRICS_ALLOWED_IPS=["10.0.0.0/8"], PROXY_COUNT=1)
def test_refused_to_other_addresses_even_claiming_one(client):
    # A client cannot claim an internal address: only the proxy's hop is trusted.
    forged = client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3, 203.0.113.9"})
    assert forged.status_code == 403
