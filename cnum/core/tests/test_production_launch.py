"""Two machines started by the production launch (deploy/launch), sharing PostgreSQL and Redis,
behave as one system: a session opened on one is valid on the other, a throttle counts across
both, the public statistics refresh is asked once, scheduled jobs run once, and the launcher
stops cleanly on SIGTERM or fails when one of its processes dies.

Each "machine" is one launcher with 1 gunicorn worker, 1 task worker and (when the scheduler
exists) the scheduler, on its own port: 2 web processes and 2 task workers in all. The requests
carry what the reverse proxy adds (X-Forwarded-Proto, X-Forwarded-For), and the environment
is deploy/cnum.env.example with its secrets and addresses replaced, so that the example's
`check --deploy` is verified too; only the static files are not collected (launch_settings).
The servers use this test's database: the test is transactional, so that they see what it
writes.
"""

import contextlib
import importlib.util
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import quote

import httpx
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cnum.accounts.testing import PASSWORD, make_user
from cnum.core.cache_testing import ProcessRedisCache
from cnum.partners.keys import generate_pem
from cnum.stats import public
from cnum.stats.models import PublicSnapshot

LAUNCH = settings.BASE_DIR / "deploy" / "launch"
ENV_EXAMPLE = settings.BASE_DIR / "deploy" / "cnum.env.example"
HAS_SCHEDULER = importlib.util.find_spec("cnum.ops") is not None
SMOKE_JOB = "essai_lancement"  # declared by launch_settings
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFRESH_TASK = "cnum.stats.tasks.refresh_public_statistics"
FAILURES_PER_ADDRESS = 3

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    or not settings.REDIS_URL,
    reason="Lancement de production à plusieurs machines : PostgreSQL et REDIS_URL requis.",
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def production_environment(var_dir):
    """deploy/cnum.env.example (read by the launcher), with real secrets and local addresses."""
    (var_dir / "static").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        ENV_FILE=str(ENV_EXAMPLE),
        DJANGO_SETTINGS_MODULE="cnum.core.tests.launch_settings",
        COLLECTSTATIC="0",
        PYTHON=sys.executable,
        SECRET_KEY=secrets.token_urlsafe(64),
        CV_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        OIDC_RSA_PRIVATE_KEY=generate_pem(),
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL,
        CACHE_KEY_PREFIX=f"test-launch-{uuid.uuid4().hex}",
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_HOST="",  # e-mails to the console
        CNUM_VAR_DIR=str(var_dir),
        LOGIN_FAILURES_PER_ADDRESS=str(FAILURES_PER_ADDRESS),
        WEB_WORKERS="1",
        TASK_WORKERS="1",
        SCHEDULER="1" if HAS_SCHEDULER else "0",
    )
    return env


class Machine:
    """One launcher (`deploy/launch`, every process) listening on its own port."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = subprocess.Popen(  # noqa: S603 — our own launcher
            [str(LAUNCH)],
            env={**env, "BIND": self.host},
            cwd=settings.BASE_DIR,
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole at the end
        )

    def log(self):
        return self.log_path.read_text(errors="replace")[-3000:]

    def wait_ready(self, deadline):
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                # The first request loads the views: slow on a busy machine.
                if httpx.get(f"http://{self.host}/healthz", timeout=60).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{self.host} ne répond pas :\n{self.log()}")

    def children(self):
        """The pids the launcher reported: web, task worker(s), scheduler."""
        found = re.search(r"; pids ([\d ]+)", self.log_path.read_text())
        return [int(pid) for pid in found.group(1).split()] if found else []

    def answers(self):
        try:
            httpx.get(f"http://{self.host}/healthz", timeout=1)
        except httpx.TransportError:
            return False
        return True

    def kill(self):
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class Visitor:
    """A browser behind the reverse proxy: HTTPS as the proxy reports it, one public address,
    and its cookies, whichever machine the proxy picks."""

    def __init__(self, address):
        self.address = address
        self.cookies = {}

    def request(self, machine, method, path, data=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Origin": f"https://{machine.host}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = httpx.request(
            method, f"http://{machine.host}{path}", data=data, headers=headers, timeout=30
        )
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, machine, path):
        return self.request(machine, "GET", path)

    def post_form(self, machine, path, data, token_from=None):
        """Load the form (on `token_from`, the same machine by default), then submit it."""
        page = self.get(token_from or machine, path)
        token = TOKEN.search(page.text).group(1)
        return self.request(machine, "POST", path, {**data, "csrfmiddlewaretoken": token})


def wait_until(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(message)


@pytest.mark.django_db(transaction=True)
def test_two_machines_behave_as_one_system(tmp_path):
    env = production_environment(tmp_path / "var")
    prepare = subprocess.run(  # noqa: S603 — our own launcher
        [str(LAUNCH), "prepare"], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert prepare.returncode == 0, prepare.stdout[-3000:] + prepare.stderr[-3000:]
    assert "System check identified no issues" in prepare.stdout + prepare.stderr

    machines = [Machine(env, tmp_path / f"machine-{n}.log") for n in (1, 2)]
    try:
        deadline = time.monotonic() + 240
        for machine in machines:
            machine.wait_ready(deadline)
        one, two = machines
        check_session_is_shared(one, two)
        check_login_throttle_counts_across_machines(one, two)
        check_statistics_refresh_is_asked_once(one, two)
        if HAS_SCHEDULER:
            check_scheduled_job_runs_once(one, two)
        check_launcher_supervision(one, two)
    finally:
        for machine in machines:
            machine.kill()
        ProcessRedisCache(env["REDIS_URL"], {"KEY_PREFIX": env["CACHE_KEY_PREFIX"]}).clear()


def check_session_is_shared(one, two):
    user = make_user(first_name="Dominique", last_name="Deux-Machines")
    # The servers run the production hashers (the tests' fast one is not among them).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    visitor = Visitor("203.0.113.10")

    # Form loaded from one machine, submitted to the other, then the next page from the first.
    login = visitor.post_form(
        two, "/compte/connexion/", {"username": user.email, "password": PASSWORD}, token_from=one
    )
    assert login.status_code == 302, re.findall(
        r'class="fr-(?:error|alert)[^"]*">(.*?)<', login.text
    )
    dashboard = visitor.get(one, "/compte/")
    assert dashboard.status_code == 200
    assert "Deux-Machines" in dashboard.text


def check_login_throttle_counts_across_machines(one, two):
    visitor = Visitor("203.0.113.20")
    for n, machine in enumerate([one, two, one]):
        wrong = {"username": f"inconnu{n}@exemple.fr", "password": "pas-le-bon-mot-de-passe"}
        assert visitor.post_form(machine, "/compte/connexion/", wrong).status_code == 200
    # Each machine saw fewer than 3 failures; together they reached the limit.
    blocked = visitor.post_form(two, "/compte/connexion/", {"username": "x@exemple.fr"})
    assert blocked.status_code == 429
    other_address = Visitor("203.0.113.21")
    assert other_address.get(two, "/compte/connexion/").status_code == 200


def check_statistics_refresh_is_asked_once(one, two):
    public.refresh_publication()
    stale = timezone.now() - timedelta(days=1)
    PublicSnapshot.objects.update(computed_at=stale)
    visitor = Visitor("203.0.113.30")

    for machine in (one, two, one, two):
        assert visitor.get(machine, "/statistiques/publiques/").status_code == 200

    # The first page to find it stale asks the task workers once; the others see the flag.
    assert DBTaskResult.objects.filter(task_path=REFRESH_TASK).count() == 1
    wait_until(
        lambda: DBTaskResult.objects.filter(task_path=REFRESH_TASK).finished().exists(),
        30,
        "Aucun travailleur de tâches n'a recalculé les statistiques publiques.",
    )
    assert DBTaskResult.objects.filter(task_path=REFRESH_TASK).successful().exists()
    assert PublicSnapshot.objects.filter(computed_at__gt=stale).exists()


def check_scheduled_job_runs_once(one, two):
    from cnum.ops.models import JobRun

    wait_until(
        lambda: all("scheduler_started" in machine.log_path.read_text() for machine in (one, two)),
        30,
        "Un planificateur n'a pas démarré.",
    )
    started = timezone.now()
    done = JobRun.objects.filter(
        job=SMOKE_JOB, enqueued_at__gte=started, status=JobRun.Status.SUCCEEDED
    )
    wait_until(done.exists, 100, "La tâche planifiée d'essai n'a pas tourné.")

    # Both schedulers reached its tick, and the tick gave one run only.
    for machine in (one, two):
        lines = machine.log_path.read_text().splitlines()
        assert any(SMOKE_JOB in line and "enqueued" in line for line in lines), machine.log()
    ticks = list(JobRun.objects.filter(job=SMOKE_JOB).values_list("scheduled_for", flat=True))
    assert len(ticks) == len(set(ticks))


def check_launcher_supervision(one, two):
    # A child that dies brings its launcher down with an error (systemd then restarts it).
    worker = two.children()[1]
    os.kill(worker, signal.SIGKILL)
    assert two.process.wait(timeout=30) != 0
    wait_until(lambda: not two.answers(), 30, "Le serveur web a survécu à son lanceur.")

    # SIGTERM stops every process of the machine, cleanly.
    one.process.send_signal(signal.SIGTERM)
    assert one.process.wait(timeout=60) == 0, one.log()
    assert not one.answers()
