"""Request ids: echoed to the caller, on every JSON log line of the request and of the tasks
it started, and in the e-mails it sent; the user's id, never their e-mail or name."""

import io
import json
import logging
import re

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.ops.logconfig import formatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_logs():
    """The production formatter on the root logger; returns a function reading the lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_each_response_carries_a_new_request_id(client):
    first, second = client.get("/sante/"), client.get("/sante/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_incoming_request_id_is_kept_and_others_replaced(client):
    kept = client.get("/sante/", headers={"X-Request-ID": "lb-2026-12-07.abc:42"})
    assert kept["X-Request-ID"] == "lb-2026-12-07.abc:42"
    for forged in ("court", "a b c d e f g h", "x" * 200, 'abcdefgh"}\n{"user_id": 1'):
        response = client.get("/sante/", headers={"X-Request-ID": forged})
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]), forged


def test_the_request_log_line_has_request_id_user_id_and_duration(client, json_logs):
    admin = login(client, make_user(Role.ADMINISTRATEUR, email="camille.admin@exemple.fr"))
    response = client.get(reverse("ops:jobs") + "?q=Dupont")
    (line,) = [line for line in json_logs() if line["event"] == "request_finished"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == admin.pk
    assert line["code"] == 200 and line["view"] == "ops:jobs"
    assert line["request"] == "GET /exploitation/taches/"  # no query string
    assert isinstance(line["duration_ms"], float)
    everything = json.dumps(json_logs())
    assert "camille.admin" not in everything and admin.last_name not in everything
    assert "Dupont" not in everything


def test_an_email_sent_by_a_request_carries_its_request_id(client, send_emails, mailoutbox):
    make_user(email="oubli@exemple.fr")
    with send_emails():
        response = client.post(reverse("accounts:password_reset"), {"email": "oubli@exemple.fr"})
    (mail,) = mailoutbox
    assert mail.extra_headers["X-Request-ID"] == response["X-Request-ID"]
    assert mail.message()["X-Request-ID"] == response["X-Request-ID"]


def test_the_tasks_a_request_enqueued_log_under_its_request_id(client, run_tasks, json_logs):
    admin = login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("ops:job_run", kwargs={"name": "verify_ledger"})
    response = client.post(url, {"confirm": "1"})
    run_tasks()
    lines = {line["event"]: line for line in json_logs() if "task_id" in line}
    for event in ("job_started", "job_succeeded", "task_finished"):
        assert lines[event]["request_id"] == response["X-Request-ID"], event
        assert lines[event]["user_id"] == admin.pk
    assert isinstance(lines["task_finished"]["duration_ms"], int)
