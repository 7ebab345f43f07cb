"""Benchmark of the follow-up daily jobs (docs/suivi.md): inactivity and contract reminders.

    uv run python bench/followup.py                               # 4 000 conseillers, SQLite
    uv run python bench/followup.py --conseillers 8000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x uv run python bench/followup.py

Own database (var/bench_followup.sqlite3 or the PostgreSQL database bench_followup): national
structures from bench/scale.py (3 000 structures, 4 000 posts, one manager each) and
`--conseillers` candidates, each employed by one structure under a current contract (started
50–700 days ago, ending in 0–720 days), with their last activity date (0–120 days ago, none for
3 %) written straight into the table the rollups keep — the activity records themselves are not
generated: the jobs never read them (cnum.stats.last_activity). 8 % in training, 3 % on leave,
100 coordinators with 40 named conseillers each.

Prints, for each job, the duration and the number of queries of a first run (mails enqueued
included) and of a second run the same day (nothing more to send), and the same for the
"sans activité" list of the administration (count and first page).
"""

import argparse
import datetime
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale import _bulk, _users, ensure, setup_django  # noqa: E402


def build(rng, count):
    """Delete the follow-up data of earlier runs, then employ `count` conseillers."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cnum.accounts.models import Membership, User
    from cnum.accounts.roles import Role
    from cnum.candidates.models import CandidateProfile
    from cnum.followup.models import ContractReminder, InactivityReminder, Leave
    from cnum.matching.models import Match
    from cnum.recruitment.models import Contract
    from cnum.stats.models import ConseillerLastActivity, Coordination
    from cnum.structures.models import Structure
    from cnum.training.models import Enrolment, TrainingOrganisation

    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        for model in (
            InactivityReminder,
            ContractReminder,
            Leave,
            Coordination,
            ConseillerLastActivity,
            Contract,
            Enrolment,
        ):
            model.objects.all()._raw_delete(connection.alias)
        Match.objects.all()._raw_delete(connection.alias)
        Membership.objects.filter(
            role__in=(Role.CONSEILLER, Role.GESTIONNAIRE_STRUCTURE, Role.COORDINATEUR)
        )._raw_delete(connection.alias)
        User.objects.filter(email__startswith="staff-")._raw_delete(connection.alias)
    structures = list(Structure.objects.order_by("pk").values_list("pk", flat=True))
    candidates = list(CandidateProfile.objects.order_by("pk").values_list("pk", "user_id")[:count])
    staff = _users("staff", len(structures) + 100, rng, now)
    staff_ids = sorted(staff.values())
    managers, coordinators = staff_ids[: len(structures)], staff_ids[len(structures) :]
    with transaction.atomic():
        _bulk(Membership, [
            Membership(user_id=user, role=Role.GESTIONNAIRE_STRUCTURE, organisation_id=pk)
            for user, pk in zip(managers, structures, strict=True)
        ])  # fmt: skip
        placed = [(cand, user, rng.choice(structures)) for cand, user in candidates]
        _bulk(Match, [Match(candidate_id=c, structure_id=s, status="finalisee")
                      for c, _u, s in placed])  # fmt: skip
        matches = dict(Match.objects.values_list("candidate_id", "pk"))
        _bulk(Membership, [Membership(user_id=u, role=Role.CONSEILLER, organisation_id=s)
                           for _c, u, s in placed])  # fmt: skip
        contracts = []
        for c, _u, _s in placed:
            start = today - datetime.timedelta(days=rng.randint(50, 700))
            end = today + datetime.timedelta(days=rng.randint(0, 720))
            contracts.append(Contract(match_id=matches[c], type="CDD", start_date=start,
                                      end_date=end, created_by_id=managers[0]))  # fmt: skip
        _bulk(Contract, contracts)
        _bulk(ConseillerLastActivity, [
            ConseillerLastActivity(
                conseiller_id=u, last_date=today - datetime.timedelta(days=rng.randint(0, 120))
            )
            for _c, u, _s in placed if rng.random() > 0.03
        ])  # fmt: skip
        users = [u for _c, u, _s in placed]
        _bulk(Leave, [
            Leave(conseiller_id=u, start=today - datetime.timedelta(days=3),
                  end=today + datetime.timedelta(days=10), declared_by_id=managers[0])
            for u in rng.sample(users, len(users) * 3 // 100)
        ])  # fmt: skip
        organisation = _training_organisation(TrainingOrganisation)
        by_user = {u: s for _c, u, s in placed}
        _bulk(Enrolment, [
            Enrolment(conseiller_id=u, structure_id=by_user[u], organisation_id=organisation,
                      status="en_cours", started_on=today - datetime.timedelta(days=30))
            for u in rng.sample(users, len(users) * 8 // 100)
        ])  # fmt: skip
        for coordinator in coordinators:
            Membership.objects.create(
                user_id=coordinator, role=Role.COORDINATEUR, organisation_id=structures[0]
            )
        _bulk(Coordination, [
            Coordination(coordinator_id=coordinator, conseiller_id=u)
            for coordinator in coordinators for u in rng.sample(users, 40)
        ])  # fmt: skip
    return len(placed)


def _training_organisation(model):
    from cnum.accounts.roles import OrganisationKind

    found = model.objects.filter(name="Organisme de banc d'essai").first()
    if found:
        return found.pk
    return model.objects.create(
        kind=OrganisationKind.ORGANISME_FORMATION,
        name="Organisme de banc d'essai",
        departement_id="69",
        region_id="84",
        siret="90000000000999",
        address="1 rue de la Gare",
        commune_id="69123",
        contact_name="Alex Durand",
        contact_email="formation@bench.invalid",
        contact_phone="0102030405",
        capacity=30,
    ).pk


def timed(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, len(captured.captured_queries)


def command(name):
    from django.core.management import call_command

    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conseillers", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django("bench_followup")
    from django.db import connection

    from cnum.accounts.roles import Role
    from cnum.candidates.services import today
    from cnum.followup import inactivity
    from cnum.followup.policies import contracts_in_scope
    from cnum.stats.scopes import Scope

    sizes = {"candidates": args.conseillers, "structures": 3_000, "posts": 4_000}
    print(f"Base : {connection.vendor} — {sizes}")
    seconds = ensure(**sizes, seed=args.seed)
    print("Données réutilisées." if seconds is None else f"Génération : {seconds:.0f} s")
    rng = random.Random(args.seed)  # noqa: S311 (synthetic data, not secrets)
    started = time.perf_counter()
    employed = build(rng, args.conseillers)
    print(f"Conseillers en poste : {employed} ({time.perf_counter() - started:.0f} s)")

    for name in ("send_inactivity_reminders", "send_contract_reminders"):
        for run in ("1re", "2e"):
            out, seconds, queries = timed(lambda name=name: command(name))
            print(f"{name}, {run} exécution : {seconds:.2f} s, {queries} requêtes — {out}")

    national = Scope(Role.ADMINISTRATEUR, "France entière")

    def first_page():
        rows = contracts_in_scope(inactivity.silent(today()), national).select_related(
            "match__candidate__user", "match__structure__departement"
        )
        return rows.count(), len(list(rows.order_by("gap_start", "pk")[:50]))

    (total, shown), seconds, queries = timed(first_page)
    print(
        f"Liste « sans activité » nationale : {total} conseillers, 1re page de {shown} en "
        f"{seconds * 1000:.0f} ms, {queries} requêtes"
    )


if __name__ == "__main__":
    main()
