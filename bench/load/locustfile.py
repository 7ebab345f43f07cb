"""A day of cnum in proportions (locust): anonymous visitors on the map, the workshops (and a
few registrations) and the public statistics; conseillers recording their activity; structure
managers on their candidates screen; préfets and the administration on dashboards and exports;
partner applications on the communes API.

Started by bench/load/run.py, which passes in the environment:
  LOAD_ACCOUNTS   JSON file of demo accounts by role (seed_demo's database)
  LOAD_STAGES     users per stage, e.g. "5,10,20,40"; LOAD_STAGE_SECONDS each stage's length
  LOAD_REPORT     where to write the per-stage figures (JSON) when locust stops

Every request goes through what the reverse proxy adds in production: X-Forwarded-Proto https
and X-Forwarded-For with the visitor's own address (one per simulated person, as on the
internet: the per-address limits then apply as they do in production).
"""

import base64
import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from datetime import date
from http.cookiejar import DefaultCookiePolicy

from django_otp.oath import TOTP
from locust import FastHttpUser, LoadTestShape, between, events, task

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORKSHOP = re.compile(r'href="/ateliers/(\d+)/"')
PLACE = re.compile(r'href="/lieux/(\d+)/"')
# Where the demo lives (seed_demo): Rhône, Paris, Bouches-du-Rhône, Nord, Gironde.
POSTCODES = ["69003", "69100", "75011", "75018", "13001", "59000", "33000", "Lyon", "Marseille"]
COMMUNE_QUERIES = ["lyon", "mars", "bord", "lill", "par", "ajac", "saint", "villeu", "69", "13"]
COMMUNE_CODES = ["69123", "75056", "13055", "59350", "33063", "2A004", "97411"]
THEMES = [["email"], ["navigation_sur_internet"], ["sante", "email"], ["bureautique"]]
EXPORTS = ["structures", "candidats", "mises-en-relation"]
_addresses = (f"198.18.{n // 250}.{n % 250 + 1}" for n in itertools.count())
_registrations = itertools.count(1)
rng = random.Random()  # noqa: S311 — the mix of pages, not secrets


def accounts(role):
    with open(os.environ["LOAD_ACCOUNTS"]) as handle:
        return json.load(handle)[role]


class BehindTls(DefaultCookiePolicy):
    """The proxy terminates TLS: the site's Secure cookies travel on this plain-HTTP leg."""

    def return_ok_secure(self, cookie, request):
        return True


class Visitor(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 2.5)

    def on_start(self):
        self.address = next(_addresses)
        self.client.cookiejar.set_policy(BehindTls())

    def page(self, path, name=None, **kwargs):
        return self.client.get(path, name=name or path, headers=self.headers(), **kwargs)

    def headers(self, **extra):
        return {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": f"https://{self.host_name}/",
            "Origin": f"https://{self.host_name}",
            **extra,
        }

    @property
    def host_name(self):
        return self.host.split("://", 1)[1]

    def form(self, path, data, name):
        """Load a form page, then post it with its CSRF token (no redirect followed)."""
        page = self.page(path, name=f"{name} (formulaire)")
        token = TOKEN.search(page.text or "")
        if token is None:
            return None
        return self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token.group(1)},
            name=name,
            headers=self.headers(),
            allow_redirects=False,
        )

    def log_in(self, email, password, second_factor=False):
        response = self.form(
            "/compte/connexion/", {"username": email, "password": password}, "connexion"
        )
        if response is None or response.status_code != 302:
            raise RuntimeError(f"connexion refusée pour {email}")
        if second_factor:
            self.verify_second_factor(accounts("totp_secret"))

    def verify_second_factor(self, secret):
        """The TOTP code of the demo key. A code serves once per account: a second simulated
        person on the same account waits for the next one."""
        totp = TOTP(base64.b32decode(secret))
        for _ in range(4):
            response = self.form(
                "/compte/double-authentification/verifier/",
                {"code": f"{totp.token():06d}"},
                "double authentification",
            )
            if response is not None and response.status_code == 302:
                return
            time.sleep(30 - time.time() % 30 + 0.5)
        raise RuntimeError("double authentification refusée")


class Anonymous(Visitor):
    """The public: map, workshops, public statistics; now and then a workshop registration."""

    weight = 50

    @task(6)
    def map_search(self):
        page = self.page(f"/carte/?q={rng.choice(POSTCODES)}", name="/carte/?q=…")
        places = PLACE.findall(page.text or "")
        if places:
            self.page(f"/lieux/{rng.choice(places)}/", name="/lieux/[id]/")

    @task(2)
    def map(self):
        self.page("/carte/")

    @task(5)
    def workshops(self):
        page = self.page(f"/ateliers/?q={rng.choice(POSTCODES)}", name="/ateliers/?q=…")
        found = WORKSHOP.findall(page.text or "")
        if not found:
            return
        workshop = rng.choice(found)
        self.page(f"/ateliers/{workshop}/", name="/ateliers/[id]/")
        if rng.random() < 0.2:
            self.register(workshop)

    def register(self, workshop):
        n = next(_registrations)
        self.form(
            f"/ateliers/{workshop}/",
            {"name": f"Personne {n}", "email": f"inscription{n}@charge.exemple.fr"},
            "inscription à un atelier",
        )

    @task(2)
    def public_statistics(self):
        self.page("/statistiques/publiques/")

    @task(1)
    def home(self):
        self.page("/")


class Conseiller(Visitor):
    """Records the day's activity, and looks at the history now and then."""

    weight = 15

    def on_start(self):
        super().on_start()
        email, self.place = rng.choice(accounts("conseillers"))
        self.log_in(email, accounts("password"))

    @task(5)
    def record_activity(self):
        self.form(
            "/activite/saisie/",
            {
                "type": "individuel",
                "date": date.today().isoformat(),
                "duree": "30",
                "type_lieu": "lieu_activite",
                "place": str(self.place),
                "thematiques": rng.choice(THEMES),
                "genre": "non_communique",
                "tranche_age": "non_communique",
                "statut": "non_communique",
            },
            "/activite/saisie/",
        )

    @task(2)
    def history(self):
        self.page("/activite/")

    @task(1)
    def own_statistics(self):
        self.page("/statistiques/")


class StructureManager(Visitor):
    """A validated structure's manager browsing its candidates."""

    weight = 10

    def on_start(self):
        super().on_start()
        email, self.structure = rng.choice(accounts("managers"))
        self.log_in(email, accounts("password"))

    @task(5)
    def candidates(self):
        tab = rng.choice(["", "?onglet=interesses", "?page=2"])
        self.page(
            f"/mises-en-relation/structures/{self.structure}/candidats/{tab}",
            name="/mises-en-relation/structures/[id]/candidats/",
        )

    @task(1)
    def dashboard(self):
        self.page("/compte/")


class Prefet(Visitor):
    """A préfecture agent: steering page, dashboards, the structures to give an opinion on."""

    weight = 4

    def on_start(self):
        super().on_start()
        self.log_in(rng.choice(accounts("prefets")), accounts("password"), second_factor=True)

    @task(3)
    def steering(self):
        self.page("/statistiques/pilotage/")

    @task(3)
    def dashboard(self):
        self.page("/statistiques/")

    @task(2)
    def structures(self):
        self.page("/structures/instruction/")

    @task(1)
    def export(self):
        self.page(f"/exports/{rng.choice(EXPORTS)}/?format=csv", name="/exports/[jeu]/ (CSV)")


class Administration(Visitor):
    """The national administration: national dashboards and exports."""

    weight = 2

    def on_start(self):
        super().on_start()
        self.log_in(accounts("admin"), accounts("password"), second_factor=True)

    @task(3)
    def steering(self):
        self.page("/statistiques/pilotage/")

    @task(2)
    def dashboard(self):
        self.page("/statistiques/")

    @task(2)
    def export(self):
        self.page(f"/exports/{rng.choice(EXPORTS)}/?format=csv", name="/exports/[jeu]/ (CSV)")

    @task(1)
    def figures(self):
        self.page("/statistiques/export/indicateurs.csv")


class PartnerApplication(Visitor):
    """A partner's software completing commune names (public API, no personal data)."""

    weight = 19
    wait_time = between(0.2, 1.0)

    @task(4)
    def search(self):
        self.page(f"/api/v1/communes?q={rng.choice(COMMUNE_QUERIES)}", name="/api/v1/communes")

    @task(1)
    def commune(self):
        self.page(f"/api/v1/communes/{rng.choice(COMMUNE_CODES)}", name="/api/v1/communes/[code]")


class Stages(LoadTestShape):
    """Stages of increasing users (LOAD_STAGES), LOAD_STAGE_SECONDS each, then stop."""

    users = [int(n) for n in os.environ.get("LOAD_STAGES", "5,10,20").split(",")]
    seconds = float(os.environ.get("LOAD_STAGE_SECONDS", "20"))

    def tick(self):
        stage = int(self.get_run_time() // self.seconds)
        if stage >= len(self.users):
            return None
        return self.users[stage], max(self.users[stage], 5)


# Per-stage figures, kept here because locust's own summary mixes the stages.
_started = time.monotonic()
_samples = defaultdict(list)  # stage -> [(name, milliseconds, failed)]


@events.request.add_listener
def _record(request_type, name, response_time, exception, response=None, **kwargs):
    stage = int((time.monotonic() - _started) // Stages.seconds)
    failed = exception is not None or (response is not None and response.status_code >= 400)
    _samples[stage].append((f"{request_type} {name}", response_time, failed))


@events.test_start.add_listener
def _reset(**kwargs):
    global _started
    _started = time.monotonic()
    _samples.clear()


@events.quitting.add_listener
def _write(**kwargs):
    path = os.environ.get("LOAD_REPORT")
    if path:
        with open(path, "w") as handle:
            json.dump(
                {"users": Stages.users, "seconds": Stages.seconds, "samples": _samples}, handle
            )
