"""Benchmark of the OpenID Connect provider for partner services (Aidants Connect).

    uv run python bench/partners.py                                      # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/partners.py  # PostgreSQL: cnum_bench

Uses its own database (never the development one). Builds (once) --structures habilitated
structures of --usagers usagers each, every usager under a mandate for two domains (default
50 × 1,000 = 50,000 usagers, 100,000 authorisations). Then, in process through Django's test
client (full middleware stack, no network):
- the authorization page of an aidant of one structure (its --usagers usagers offered among all
  the authorisations): time and number of queries;
- --flows complete logins on a small structure: chooser page, choice (code issued), token
  exchange (client authentication, ID token signed RS256), userinfo (journaled);
each step as a ratio to /healthz measured in the same run (same middleware, no work).
"""

import argparse
import base64
import datetime
import hashlib
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from territories import percentile, setup_django  # noqa: E402 — the bench database helpers

REDIRECT_URI = "https://demarche.bench.invalid/retour"
_PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
TAG = "Mesure partenaires"


def make_structure(n, usagers):
    """A habilitated structure, its validated aidant, `usagers` usagers under mandate."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cnum.accounts.models import Membership, Organisation, User
    from cnum.accounts.roles import OrganisationKind, Role
    from cnum.mandates.domains import Domain
    from cnum.mandates.models import AidantProfile, Authorisation, Habilitation, Mandate, Usager

    org, created = Organisation.objects.get_or_create(
        kind=OrganisationKind.STRUCTURE, name=f"{TAG} {usagers}-{n}"
    )
    aidant, _ = User.objects.get_or_create(email=f"aidant-partenaires{usagers}-{n}@bench.invalid")
    if created:
        Habilitation.objects.create(
            organisation=org,
            status="acceptee",
            siret=f"{91000000000000 + usagers * 100000 + n}",
            structure_type="association",
            referent=aidant,
            aidants_to_train="mesure",
            commitments_accepted_at=timezone.now(),
            domains=Domain.values,
        )
        membership = Membership.objects.create(user=aidant, role=Role.AIDANT, organisation=org)
        AidantProfile.objects.create(
            membership=membership,
            training_date=timezone.localdate(),
            pix_validated=True,
            validated_at=timezone.now(),
        )
        TOTPDevice.objects.create(user=aidant, name="Mesure", confirmed=True)
        now = timezone.now()
        people = Usager.objects.bulk_create(
            Usager(
                organisation=org,
                given_names="Camille",
                family_name=f"Mesure-{n}-{i:05d}",
                birth_date=datetime.date(1950, 1, 1),
                birth_place="Lyon",
                identity_method="verification_manuelle",
                identity_checked_by=aidant,
                identity_checked_at=now,
            )
            for i in range(usagers)
        )
        mandates = Mandate.objects.bulk_create(
            Mandate(
                organisation=org,
                usager=usager,
                created_by=aidant,
                duration_days=365,
                consent_given_at=now,
                created_at=now,
                expires_at=now + datetime.timedelta(days=365),
            )
            for usager in people
        )
        domains = Domain.values
        Authorisation.objects.bulk_create(
            Authorisation(mandate=mandate, domain=domains[(i + k) % len(domains)])
            for i, mandate in enumerate(mandates)
            for k in (0, 1)
        )
    return org, aidant


def make_service():
    from oauth2_provider.models import Application

    from cnum.accounts.models import User
    from cnum.mandates.domains import Domain
    from cnum.partners.models import PartnerService
    from cnum.partners.secrets import hash_secret

    secret = "bench-secret-partenaire"  # noqa: S105 (bench database only)
    application, _ = Application.objects.update_or_create(
        client_id="bench-partenaire",
        defaults={
            "name": "Service de mesure",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": REDIRECT_URI,
            "algorithm": Application.RS256_ALGORITHM,
            "client_secret": hash_secret(secret),
            "hash_client_secret": False,
        },
    )
    admin, _ = User.objects.get_or_create(email="admin-partenaires@bench.invalid")
    PartnerService.objects.update_or_create(
        application=application, defaults={"domains": Domain.values, "created_by": admin}
    )
    return application, secret


def logged_in_client(aidant):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cnum.mandates.policies import LAST_ACTIVITY_KEY

    client = Client(HTTP_HOST="localhost")
    client.force_login(aidant)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=aidant).persistent_id
    session[LAST_ACTIVITY_KEY] = datetime.datetime.now(datetime.UTC).isoformat()
    session.save()
    return client


def authorize_url(application, domain):
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    query = urlencode(
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": f"openid profile {domain}",
            "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": challenge.decode(),
            "code_challenge_method": "S256",
        }
    )
    return f"/oidc/authorize/?{query}", verifier


def timed(function):
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def one_flow(client, application, secret, authorisation):
    """Chooser, choice, token, userinfo: the duration of each step in ms."""
    url, verifier = authorize_url(application, authorisation.domain)
    steps = {}
    steps["page de choix"], page = timed(lambda: client.get(url))
    assert page.status_code == 200, page.status_code
    steps["choix (code émis)"], chosen = timed(
        lambda: client.post(url, {"authorisation": authorisation.pk})
    )
    code = parse_qs(urlsplit(chosen["Location"]).query)["code"][0]
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    body = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    steps["jeton (échange du code)"], token = timed(
        lambda: client.post("/oidc/token/", body, HTTP_AUTHORIZATION=f"Basic {basic}")
    )
    assert token.status_code == 200, token.content
    bearer = token.json()["access_token"]
    steps["userinfo (journalisé)"], info = timed(
        lambda: client.get("/oidc/userinfo/", HTTP_AUTHORIZATION=f"Bearer {bearer}")
    )
    assert info.status_code == 200, info.content
    return steps


def secret_check_costs():
    """Checking a client secret: the library's default hashing against ours."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password

    from cnum.partners.secrets import hash_secret, new_secret, secret_matches

    secret, _ = new_secret()
    default = make_password(secret, hasher=PBKDF2PasswordHasher())
    ours = hash_secret(secret)
    slow = statistics.median(timed(lambda: check_password(secret, default))[0] for _ in range(5))
    fast = statistics.median(timed(lambda: secret_matches(secret, ours))[0] for _ in range(50))
    print(
        f"\nVérification du secret client : {slow:.0f} ms avec le hachage par défaut "
        f"(PBKDF2, {PBKDF2PasswordHasher.iterations} tours), {fast:.2f} ms avec le nôtre "
        f"(× {slow / fast:.0f})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--structures", type=int, default=50)
    parser.add_argument("--usagers", type=int, default=1000)
    parser.add_argument("--flows", type=int, default=100)
    args = parser.parse_args()

    import os

    os.environ["SECURE_SSL_REDIRECT"] = "0"  # in-process client over plain HTTP
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    # Pages render static URLs: no collectstatic manifest in the bench database's setup.
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": _PLAIN_STATIC}}
    override_settings(STORAGES=storages).enable()

    from cnum.mandates.models import Authorisation
    from cnum.partners.policies import offered_authorisations

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    structures = [make_structure(n, args.usagers) for n in range(args.structures)]
    small_org, small_aidant = make_structure(9999, 20)
    print(
        f"Données : {Authorisation.objects.count()} autorisations "
        f"(préparées en {time.perf_counter() - started:.1f} s)"
    )
    application, secret = make_service()
    secret_check_costs()

    org, aidant = structures[0]
    client = logged_in_client(aidant)
    url, _ = authorize_url(application, "papiers")
    offered = offered_authorisations(aidant, org.pk, ["papiers"]).count()
    client.get(url)  # warm-up
    durations = []
    for _ in range(10):
        with CaptureQueriesContext(connection) as queries:
            durations.append(timed(lambda: client.get(url))[0])
    print(
        f"\nPage de choix, structure de {args.usagers} usagers ({offered} proposés pour "
        f"« papiers ») : p50 {statistics.median(durations):.0f} ms, "
        f"{len(queries.captured_queries)} requêtes SQL"
    )

    client = logged_in_client(small_aidant)
    authorisations = list(
        offered_authorisations(small_aidant, small_org.pk, ["papiers", "social", "logement"])
    )
    for _ in range(5):  # warm-up
        one_flow(client, application, secret, authorisations[0])
        client.get("/healthz")
    health = [timed(lambda: client.get("/healthz"))[0] for _ in range(args.flows)]
    base = statistics.median(health)
    results = {}
    for i in range(args.flows):
        for step, ms in one_flow(client, application, secret, authorisations[i % 3]).items():
            results.setdefault(step, []).append(ms)
    print(f"\n{args.flows} connexions complètes (référence /healthz p50 {base:.2f} ms) :")
    for step, values in results.items():
        p50 = statistics.median(values)
        print(
            f"  {step:26} p50 {p50:6.1f} ms · p95 {percentile(values, 0.95):6.1f} ms · "
            f"× {p50 / base:.0f} /healthz"
        )
    total = sum(statistics.median(v) for v in results.values())
    print(f"  {'total':26} p50 {total:6.1f} ms")


if __name__ == "__main__":
    main()
