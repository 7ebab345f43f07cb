"""Benchmark of CRA creation over HTTP: concurrent conseillers posting the entry form.

    uv run python bench/activity_http.py                                          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_x uv run python bench/activity_http.py

Uses its own database (var/cnum_bench_activity_http.sqlite3, or cnum_bench_activity_http next
to DATABASE_URL's PostgreSQL), migrated and loaded with the territories if needed, and its own
static files (collected into var/bench_activity_http/, as a deployment does). Creates N
conseillers with a main place (once) and a logged-in session each (server side, as a login
does), then starts the site in a real HTTP server on a free local port, in a subprocess: gunicorn
(already a dependency; production settings, DEBUG=0) with W worker processes of T threads.

For C = 1, 4 and 16 concurrent clients (threads, one HTTP connection each, conseiller i % N),
each client loads /activite/saisie/ once (CSRF token), then POSTs valid typical individual
records (today, main place, 30 min, one or two thématiques, anonymous) for a fixed duration,
without following the redirect. Prints first a reference: the latency of /healthz (HTTP,
gunicorn and middleware alone) and the machine's load; then per C: records per second, p50 /
p95 / max latency of the POST, errors (any answer but the 302 to the entry screen), and checks
that the database holds exactly one record per successful POST.
"""

import argparse
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402 — bench databases
from territories import percentile  # noqa: E402

DATABASE = "cnum_bench_activity_http"
VAR_DIR = ROOT / "var" / "bench_activity_http"
EMAIL = "conseiller{}@banc-http.exemple.fr"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
THEMES = [["email"], ["navigation_sur_internet"], ["sante", "email"], ["bureautique"]]


def server_environment(url):
    """Production settings on plain local HTTP (no TLS redirect, a throwaway key), with its own
    var/ directory (collected static files)."""
    return {
        **os.environ,
        "CNUM_VAR_DIR": str(VAR_DIR),
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "cnum.settings",
    }


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def conseillers_with_sessions(count):
    """`count` bench conseillers (created once) and a fresh session for each: (session key,
    main place id)."""
    from django.test import Client

    from cnum.accounts.models import User
    from cnum.activity.policies import conseiller_places
    from cnum.activity.testing import make_conseiller
    from cnum.structures.models import Structure
    from cnum.structures.testing import make_structure

    structure = Structure.objects.filter(name="Structure du banc HTTP").first()
    structure = structure or make_structure(name="Structure du banc HTTP")
    found = []
    for n in range(count):
        email = EMAIL.format(n)
        user = User.objects.filter(email=email).first()
        user = user or make_conseiller(structure=structure, email=email)
        client = Client()
        client.force_login(user)  # stores the session as the login view does
        found.append((client.cookies["sessionid"].value, conseiller_places(user).first().pk))
    return found


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, port, workers, threads):
    command = [
        sys.executable, "-m", "gunicorn", "cnum.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (a fixed command)
    import httpx

    deadline = time.monotonic() + 180  # a loaded machine imports slowly
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("Le serveur HTTP n'a pas démarré.")


class Client(threading.Thread):
    """One conseiller's browser: a CSRF token from the entry screen, then records as fast as
    the server answers, until `stop` is set."""

    def __init__(self, base, session, place, today, start, stop, number):
        super().__init__(daemon=True)
        self.base, self.session, self.place, self.today = base, session, place, today
        self.start_event, self.stop = start, stop
        self.number = number
        self.latencies, self.errors = [], []

    def run(self):
        import httpx

        with httpx.Client(base_url=self.base, timeout=30) as http:
            cookies = f"sessionid={self.session}"
            page = http.get("/activite/saisie/", headers={"Cookie": cookies})
            token = TOKEN.search(page.text)
            csrf = re.search(r"csrftoken=([^;]+)", page.headers.get("set-cookie", ""))
            if page.status_code != 200 or not token or not csrf:
                self.errors.append(f"écran de saisie : {page.status_code}")
                return
            headers = {"Cookie": f"{cookies}; csrftoken={csrf.group(1)}"}
            self.start_event.wait()
            sent = 0
            while not self.stop.is_set():
                data = self.record(token.group(1), THEMES[(self.number + sent) % len(THEMES)])
                started = time.perf_counter()
                try:
                    answer = http.post("/activite/saisie/", data=data, headers=headers)
                except httpx.HTTPError as error:
                    self.errors.append(type(error).__name__)
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                sent += 1
                if answer.status_code == 302 and answer.headers["location"] == "/activite/saisie/":
                    self.latencies.append(elapsed)
                else:
                    self.errors.append(str(answer.status_code))

    def record(self, token, themes):
        return {
            "csrfmiddlewaretoken": token,
            "type": "individuel",
            "date": self.today,
            "duree": "30",
            "type_lieu": "lieu_activite",
            "place": str(self.place),
            "thematiques": themes,
            "genre": "non_communique",
            "tranche_age": "non_communique",
            "statut": "non_communique",
        }


def run(base, sessions, clients, seconds, today):
    start, stop = threading.Event(), threading.Event()
    threads = [
        Client(base, *sessions[n % len(sessions)], today, start, stop, n) for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)  # every client has its token
    start.set()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [ms for thread in threads for ms in thread.latencies]
    errors = [error for thread in threads for error in thread.errors]
    return latencies, errors, elapsed


def baseline(base, seconds):
    """Latencies of the lightest page (/healthz) from one client: the cost of HTTP, gunicorn and
    Django's middleware on this machine now, to read the figures against."""
    import httpx

    latencies = []
    with httpx.Client(base_url=base, timeout=30) as http:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            started = time.perf_counter()
            http.get("/healthz")
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def record_count():
    from cnum.activity.models import Cra

    return Cra.objects.filter(conseiller__email__endswith="@banc-http.exemple.fr").count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conseillers", type=int, default=16)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    url = scale.database_url(DATABASE)
    env = server_environment(url)
    setup_django(env)
    from django.core.management import call_command
    from django.db import connection

    from cnum.activity.services import today
    from cnum.territories.loading import load_territories

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    load_territories()
    sessions = conseillers_with_sessions(args.conseillers)
    connection.close()  # the server's processes write from now on

    port = free_port()
    server = start_server(env, port, args.workers, args.threads)
    base = f"http://127.0.0.1:{port}"
    print(f"base : {url.split('@')[-1]} ({connection.vendor})")
    print(
        f"serveur : gunicorn, {args.workers} processus × {args.threads} fils, DEBUG=0 ; "
        f"{args.conseillers} conseillers ; {args.seconds:g} s par mesure"
    )
    try:
        run(base, sessions, 2, 2, today().isoformat())  # warm up: imports, connections
        floor = baseline(base, min(args.seconds, 5))
        print(
            f"référence GET /healthz (1 client) : p50 {percentile(floor, 0.5):.1f} ms, "
            f"p95 {percentile(floor, 0.95):.1f} ms ; charge de la machine "
            f"{os.getloadavg()[0]:.1f} pour {os.cpu_count()} processeurs"
        )
        for clients in args.clients:
            before = record_count()
            latencies, errors, elapsed = run(
                base, sessions, clients, args.seconds, today().isoformat()
            )
            created = record_count() - before
            report(clients, latencies, errors, elapsed, created)
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(clients, latencies, errors, elapsed, created):
    ok = len(latencies)
    line = f"C = {clients:>2} : {ok / elapsed:6.1f} CRA/s"
    if latencies:
        line += (
            f", p50 {percentile(latencies, 0.5):6.1f} ms, p95 {percentile(latencies, 0.95):6.1f} ms"
            f", max {max(latencies):6.1f} ms"
        )
    kinds = sorted(set(errors))
    line += f", erreurs {len(errors)}" + (f" ({', '.join(kinds)})" if kinds else "")
    line += f", en base +{created}" + ("" if created == ok else f" ≠ {ok} réussis")
    print(line, flush=True)


if __name__ == "__main__":
    main()
