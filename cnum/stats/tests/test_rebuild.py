"""manage.py rebuild_stats: rebuild from the records, --check finds tampered rows, --fix
rewrites them (and only them)."""

import io

import pytest
from django.core.management import CommandError, call_command

from cnum.activity.models import Cra
from cnum.stats.models import ActivityRollup, Level, YearRollup
from cnum.stats.tests.activity_data import (
    assert_rollups_match_records,
    make_world,
    random_generator,
    random_operations,
    recomputed_rows,
    stored_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    rng = random_generator(3)
    world = make_world(rng, conseillers_per_structure=1)
    random_operations(rng, world, 25)
    return world


def run(*args):
    out = io.StringIO()
    call_command("rebuild_stats", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rebuild_recomputes_rollups_of_records_written_without_upkeep(activity):
    expected = recomputed_rows()
    ActivityRollup.objects.all().delete()
    # Records written straight to the table (as the demo does) are counted by the rebuild.
    cra = Cra.objects.alive().first()
    cra.pk = None
    cra.legacy_id = None
    cra.save()
    message = run()
    assert f"à partir de {Cra.objects.alive().count()} CRA" in message
    assert len(stored_rows()) >= len(expected)
    assert_rollups_match_records()
    assert "correspondent" in run("--check")


def test_check_reports_tampered_rows_in_french_and_fix_rewrites_only_them(activity):
    assert "Les agrégats correspondent aux CRA." in run("--check")
    rows = list(ActivityRollup.objects.filter(level=Level.CONSEILLER, records__gt=0).order_by("pk"))
    changed, removed, kept = rows[0], rows[1], rows[2:]
    ActivityRollup.objects.filter(pk=changed.pk).update(minutes=changed.minutes + 7)
    removed.delete()
    bogus = ActivityRollup.objects.create(
        level=Level.PLACE, scope="999999", departement="69", month=changed.month,
        type="individuel", records=2, accompagnements=2,
    )  # fmt: skip
    with pytest.raises(CommandError, match="3 ligne"):
        run("--check")
    # The check changed nothing.
    assert ActivityRollup.objects.get(pk=changed.pk).minutes == changed.minutes + 7

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rebuild_stats", "--check", stdout=out, stderr=io.StringIO())
    report = out.getvalue()
    assert f"minutes : enregistré {changed.minutes + 7}, attendu {changed.minutes}" in report
    assert f"records : enregistré 0, attendu {removed.records}" in report
    assert "niveau place « 999999 »" in report and "records : enregistré 2, attendu 0" in report

    assert "3 ligne(s) d'agrégat corrigée(s)." in run("--fix")
    assert_rollups_match_records()
    assert not ActivityRollup.objects.filter(pk=bogus.pk).exists()
    # Rows that were right were left alone.
    assert set(
        ActivityRollup.objects.filter(pk__in=[r.pk for r in kept]).values_list("pk", "minutes")
    ) == {(r.pk, r.minutes) for r in kept}
    assert "correspondent" in run("--check")


def test_check_compares_the_yearly_rows_and_fix_rewrites_them(activity):
    year = YearRollup.objects.filter(level=Level.PLACE).order_by("pk").first()
    YearRollup.objects.filter(pk=year.pk).update(accompagnements=year.accompagnements + 4)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 ligne"):
        call_command("rebuild_stats", "--check", stdout=out, stderr=io.StringIO())
    assert (
        f"agrégat annuel : niveau place « {year.scope} »" in out.getvalue()
        and f"accompagnements : enregistré {year.accompagnements + 4}, attendu "
        f"{year.accompagnements}"
        in out.getvalue()
    )
    assert "1 ligne(s) d'agrégat corrigée(s)." in run("--fix")
    assert_rollups_match_records()


def test_rows_left_at_zero_by_deletions_are_not_differences(activity):
    from cnum.activity import services

    for cra in Cra.objects.alive():
        services.soft_delete(cra)
    assert ActivityRollup.objects.exists()
    assert not stored_rows()
    assert "correspondent" in run("--check")


def test_demo_seeds_the_coordinators_team_and_counts_the_demo_records_once():
    from cnum.accounts.roles import Role
    from cnum.accounts.testing import make_user
    from cnum.activity import demo as activity_demo
    from cnum.activity.testing import make_conseiller
    from cnum.stats import demo
    from cnum.stats.models import Coordination
    from cnum.structures.testing import make_structure

    structure = make_structure()
    conseillers = [make_conseiller(structure=structure) for _ in range(2)]
    make_conseiller()  # of another structure: not in the team
    coordinator = make_user(Role.COORDINATEUR, organisation=structure)
    context = {"users": {Role.CONSEILLER: conseillers[0], Role.COORDINATEUR: coordinator}}
    activity_demo.seed(context)
    demo.seed(context)
    demo.seed(context)
    team = Coordination.objects.filter(coordinator=coordinator)
    assert set(team.values_list("conseiller", flat=True)) == {c.pk for c in conseillers}
    row = ActivityRollup.objects.filter(level=Level.CONSEILLER, scope=str(conseillers[0].pk))
    assert sum(r.records for r in row.filter(thematique="")) == 20
    assert_rollups_match_records()
