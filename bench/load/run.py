"""Load test: a day of cnum (bench/load/locustfile.py, locust headless) against the production
launch (deploy/launch) on PostgreSQL and Redis, with 1 then 2 web processes. A benchmark, not a
test: it prints, per number of web processes, the requests per second while p95 stays within
300 ms, the error count, and where the time goes (slowest endpoints, share of server time).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev REDIS_URL=redis://127.0.0.1:6379/0 \\
        uv run python bench/load/run.py [--web 1 2] [--stages 2,4,8,16] [--stage-seconds 15]

It uses the database cnum_bench_load next to DATABASE_URL's (created if missing), prepared by
`deploy/launch prepare` (migrations, territories, static files, check --deploy) with the
production environment of deploy/cnum.env.example (bench secrets, local addresses), then filled
by `seed_demo` (idempotent). For each web process count it starts `deploy/launch` (gunicorn with
that many workers, one task worker, no scheduler) on a free port, and locust raises the number
of simulated people stage by stage. Requests carry X-Forwarded-Proto and X-Forwarded-For as the
reverse proxy would. Each run gets its own cache key prefix, removed afterwards.
"""

import argparse
import base64
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import scale  # noqa: E402 — bench databases

DATABASE = "cnum_bench_load"
VAR_DIR = ROOT / "var" / "bench_load"
TARGET_P95_MS = 300
# Bench-only secrets: this database holds demo data only.
SECRET_KEY = "bench-load-only-" + "not-a-secret-" * 5
CV_KEY = base64.urlsafe_b64encode(b"cnum-bench-load-key-not-secret!!").decode()


def environment(url, redis_url):
    from cnum.partners.keys import generate_pem

    static_ready = (VAR_DIR / "static" / "staticfiles.json").exists()
    return {
        **os.environ,
        "ENV_FILE": str(ROOT / "deploy" / "cnum.env.example"),
        "DJANGO_SETTINGS_MODULE": "cnum.settings",
        "PYTHON": sys.executable,
        "SECRET_KEY": SECRET_KEY,
        "CV_ENCRYPTION_KEY": CV_KEY,
        "OIDC_RSA_PRIVATE_KEY": generate_pem(),
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_HOST": "",
        "CNUM_VAR_DIR": str(VAR_DIR),
        # Collected once (hashing ~10 000 files takes minutes on a shared machine).
        "COLLECTSTATIC": "0" if static_ready else "1",
        "TASK_WORKERS": "1",
        "SCHEDULER": "0",
    }


def prepare(env):
    started = time.monotonic()
    subprocess.run([str(ROOT / "deploy" / "launch"), "prepare"], env=env, cwd=ROOT, check=True)  # noqa: S603
    seed_env = {**env, "DEBUG": "1"}  # seed_demo refuses to run without DEBUG
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "seed_demo"],
        env=seed_env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"préparation (prepare + seed_demo) : {time.monotonic() - started:.0f} s", flush=True)


def demo_accounts(env, path):
    """The demo accounts each kind of simulated person logs in with, written for locust."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "CV_ENCRYPTION_KEY")})
    os.environ.update(DJANGO_SETTINGS_MODULE="cnum.settings", ALLOWED_HOSTS="127.0.0.1")
    os.environ.setdefault("OIDC_RSA_PRIVATE_KEY", env["OIDC_RSA_PRIVATE_KEY"])
    import django

    django.setup()
    from django.db import connection

    from cnum.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET
    from cnum.accounts.models import Membership
    from cnum.accounts.roles import Role
    from cnum.activity.policies import conseiller_places
    from cnum.matching.policies import SEES_CANDIDATES

    demo = {"user__email__endswith": f"@{DEMO_DOMAIN}", "is_active": True}
    conseillers = []
    for membership in Membership.objects.filter(role=Role.CONSEILLER, **demo).select_related(
        "user"
    ):
        places = list(conseiller_places(membership.user))
        if places:
            conseillers.append([membership.user.email, places[0].pk])
    managers = list(
        Membership.objects.filter(
            role=Role.GESTIONNAIRE_STRUCTURE,
            organisation__structure__status=SEES_CANDIDATES,
            **demo,
        ).values_list("user__email", "organisation_id")
    )
    prefets = sorted(
        set(
            Membership.objects.filter(role=Role.PREFET, **demo).values_list(
                "user__email", flat=True
            )
        )
    )
    accounts = {
        "password": DEMO_PASSWORD,
        "totp_secret": DEMO_TOTP_SECRET,
        "conseillers": conseillers,
        "managers": managers,
        "prefets": prefets,
        "admin": f"admin@{DEMO_DOMAIN}",
    }
    connection.close()
    path.write_text(json.dumps(accounts))
    counts = {key: len(value) for key, value in accounts.items() if isinstance(value, list)}
    print(f"comptes de démonstration utilisés : {counts}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_launch(env, web, prefix, log):
    port = free_port()
    env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_WORKERS": str(web), "CACHE_KEY_PREFIX": prefix}
    process = subprocess.Popen(  # noqa: S603 — our own launcher
        [str(ROOT / "deploy" / "launch")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"deploy/launch s'est arrêté (code {process.returncode}), voir {log.name}"
            )
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"deploy/launch ne répond pas, voir {log.name}")


WARM_UP = ["/", "/carte/?q=69003", "/ateliers/?q=69003", "/statistiques/publiques/",
           "/compte/connexion/", "/api/v1/communes?q=lyon"]  # fmt: skip


def warm_up(base, web):
    """Each gunicorn worker loads its views and opens its connections before the measure."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    headers = {"X-Forwarded-Proto": "https"}
    for _ in range(3 * web):
        for path in WARM_UP:
            httpx.get(base + path, headers=headers, timeout=120)


def stop_launch(process):
    process.terminate()  # the launcher forwards it to gunicorn and the worker
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def clear_prefix(redis_url, prefix):
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def run_locust(base, accounts_path, stages, stage_seconds, report_path):
    env = {
        **os.environ,
        "LOAD_ACCOUNTS": str(accounts_path),
        "LOAD_STAGES": ",".join(map(str, stages)),
        "LOAD_STAGE_SECONDS": str(stage_seconds),
        "LOAD_REPORT": str(report_path),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
        "--host", base, "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(  # noqa: S603
        command,
        env=env,
        cwd=ROOT,
        timeout=len(stages) * stage_seconds + 300,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(report_path.read_text())


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(web, data):
    seconds, users = data["seconds"], data["users"]
    print(f"\n== {web} processus web", flush=True)
    print("personnes | requêtes/s | p50 ms | p95 ms | erreurs")
    best, everything = 0.0, []
    for stage, count in enumerate(users):
        samples = data["samples"].get(str(stage), [])
        everything += samples
        times = [ms for _, ms, _ in samples]
        rate = len(samples) / seconds
        p95 = percentile(times, 0.95)
        errors = sum(failed for _, _, failed in samples)
        if p95 <= TARGET_P95_MS and errors == 0:
            best = max(best, rate)
        print(f"{count:9} | {rate:10.1f} | {percentile(times, 0.5):6.0f} | {p95:6.0f} | {errors}")
    errors = defaultdict(int)
    by_name = defaultdict(list)
    for name, ms, failed in everything:
        by_name[name].append(ms)
        errors[name] += failed
    total = sum(ms for _, ms, _ in everything) or 1
    failed = sum(errors.values())
    print(f"débit à p95 ≤ {TARGET_P95_MS} ms : {best:.1f} requêtes/s ; erreurs : {failed}")
    for name, count in sorted(errors.items(), key=lambda item: -item[1]):
        if count:
            print(f"  erreurs {name} : {count}")
    print("points les plus lents (p95) et part du temps serveur :")
    slowest = sorted(by_name.items(), key=lambda item: -percentile(item[1], 0.95))[:8]
    for name, times in slowest:
        print(
            f"  {name:55} n={len(times):5}  p50 {percentile(times, 0.5):5.0f} ms  "
            f"p95 {percentile(times, 0.95):5.0f} ms  {100 * sum(times) / total:4.1f} % du temps"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--web", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--stages", default="2,4,8,16")
    parser.add_argument("--stage-seconds", type=float, default=15)
    parser.add_argument("--prepare-only", action="store_true", help="préparer la base, sans mesure")
    parser.add_argument("--no-prepare", action="store_true", help="base déjà préparée")
    args = parser.parse_args()
    stages = [int(n) for n in args.stages.split(",")]

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL=postgres://… est requis (le lancement de production).")
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    url = scale.database_url(DATABASE)
    env = environment(url, redis_url)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not args.no_prepare:
        prepare(env)
    if args.prepare_only:
        return
    workdir = Path(tempfile.mkdtemp(prefix="cnum-load-"))
    accounts_path = workdir / "comptes.json"
    demo_accounts(env, accounts_path)
    print(
        f"base {url.rsplit('/', 1)[-1]}, Redis {redis_url} ; paliers {stages} personnes, "
        f"{args.stage_seconds:g} s chacun ; machine : {os.cpu_count()} processeurs, charge "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )
    for web in args.web:
        prefix = f"bench-load-{web}-{int(time.time())}"
        log_path = workdir / f"launch-{web}.log"
        with log_path.open("w") as log:
            process, base = start_launch(env, web, prefix, log)
            try:
                warm_up(base, web)
                data = run_locust(
                    base, accounts_path, stages, args.stage_seconds, workdir / f"report-{web}.json"
                )
            finally:
                stop_launch(process)
                clear_prefix(redis_url, prefix)
        report(web, data)
        print(f"charge de la machine après la mesure : {os.getloadavg()[0]:.1f}", flush=True)
    print(f"\njournaux : {workdir}")


if __name__ == "__main__":
    main()
