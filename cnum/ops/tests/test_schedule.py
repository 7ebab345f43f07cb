"""The schedule declares every periodic command: a new command must say whether it is one."""

import datetime

from django.core.management import get_commands
from django.utils import timezone

from cnum.ops import cron, schedule, services

# What the operators had to put in cron by hand before the scheduler existed.
FORMER_CRON_LINES = {
    "purge_cvs",
    "send_workshop_reminders",
    "purge_workshop_registrations",
    "purge_inactive_candidates",
    "purge_beneficiaries",
    "send_prefet_digest",
    "send_mandate_reminders",
    "purge_mandates --apply",
    "verify_journal",
    "cleartokens",
    "end_contracts",
    "verify_ledger",
    "rebuild_matches --check",
    "publish_stats",
}

# The platform's commands that are run by hand, never on a schedule.
NOT_PERIODIC = {
    "seed_demo",  # demo data, development only
    "create_api_token",
    "import_legacy_cra",
    "import_training",
    "load_territories",  # at each release (deploy/launch prepare)
    "rebuild_stats",  # repair tool: the rollups are kept in the writes' transactions
    "run_scheduler",  # the scheduler itself
    "restore",  # into a new database, by an operator
}


def declared_commands():
    return {" ".join(job.command) for job in schedule.JOBS if job.command}


def test_every_former_cron_line_is_declared():
    assert declared_commands() >= FORMER_CRON_LINES


def test_every_command_of_the_platform_is_scheduled_or_known_as_manual():
    ours = {name for name, app in get_commands().items() if app.startswith("cnum.")}
    scheduled = {job.command[0] for job in schedule.JOBS if job.command}
    unclassified = ours - scheduled - NOT_PERIODIC
    assert not unclassified, (
        f"Commandes ni planifiées (cnum/ops/schedule.py) ni déclarées manuelles : {unclassified}"
    )


def test_every_declaration_is_runnable_and_well_formed():
    commands = get_commands()
    names = [job.name for job in schedule.jobs()]
    assert len(names) == len(set(names))
    start = timezone.now()
    for job in schedule.jobs():
        assert bool(job.command) != bool(job.call), job.name
        assert not job.command or job.command[0] in commands, job.name
        # The scheduler serves a late tick up to MISFIRE_GRACE: ticks must be further apart.
        assert cron.min_interval(job.cron, start) > services.MISFIRE_GRACE, job.name
        assert "cron" not in cron.describe(job.cron), job.name  # said in words


def test_schedules_in_words():
    assert cron.describe("*/15 * * * *") == "toutes les 15 minutes"
    assert cron.describe("5 3 * * *") == "chaque jour à 3 h 05"
    assert cron.describe("30 7 * * mon-fri") == "du lundi au vendredi à 7 h 30"
    assert cron.describe("0 6 1 * *") == "le 1er de chaque mois à 6 h 00"
    assert cron.describe("0 6 1-7 * mon") == "selon l'expression cron « 0 6 1-7 * mon »"


def test_ticks_are_in_paris_time_across_the_daylight_saving_change():
    # The night of the spring change (29 March 2026): 3 h 00 still exists in Paris.
    before = timezone.make_aware(datetime.datetime(2026, 3, 29, 1, 0))
    fire = timezone.localtime(cron.next_fire("0 3 * * *", before))
    assert (fire.day, fire.hour, fire.minute) == (29, 3, 0)
