"""Each conseiller's last activity date follows their records: creations, edits, deletions,
the legacy import and the rollups' rebuild."""

import datetime
import json

import pytest
from django.core.management import call_command

from cnum.activity import services
from cnum.activity.importer import run_import
from cnum.activity.testing import individual_values, make_conseiller
from cnum.places.testing import make_place
from cnum.stats.last_activity import last_activity_dates
from cnum.stats.models import ConseillerLastActivity
from cnum.stats.tests.test_upkeep import v1

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def record(user, day, cra=None):
    return services.save_record(user, individual_values(date=day), cra=cra)


def test_the_date_follows_creations_edits_and_deletions():
    alice, bob = make_conseiller(), make_conseiller()
    assert last_activity_dates([alice.pk, bob.pk]) == {}

    early = record(alice, DAY)
    late = record(alice, DAY + datetime.timedelta(days=5))
    record(alice, DAY - datetime.timedelta(days=20))  # an older one changes nothing
    record(bob, DAY - datetime.timedelta(days=1))
    assert last_activity_dates([alice.pk, bob.pk]) == {
        alice.pk: DAY + datetime.timedelta(days=5),
        bob.pk: DAY - datetime.timedelta(days=1),
    }

    # Moving the latest record back in time lowers the date to the next latest.
    record(alice, DAY - datetime.timedelta(days=30), cra=late)
    assert last_activity_dates([alice.pk]) == {alice.pk: DAY}

    services.soft_delete(early)
    assert last_activity_dates([alice.pk]) == {alice.pk: DAY - datetime.timedelta(days=20)}
    for cra in alice.cras.alive():
        services.soft_delete(cra)
    assert last_activity_dates([alice.pk, bob.pk]) == {bob.pk: DAY - datetime.timedelta(days=1)}


def test_the_legacy_import_raises_the_date(tmp_path):
    user = make_conseiller(email="conseillere@exemple.fr")
    make_place(commune="13055")
    record(user, datetime.date(2022, 6, 1))
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("legacy_id,email\n5f9b1c2e8a1b2c3d4e5f6a7b,conseillere@exemple.fr\n")
    path = tmp_path / "cra.jsonl"
    path.write_text("".join(json.dumps(v1(n)) + "\n" for n in range(1, 12)))
    assert run_import(path, mapping, batch_size=4).imported == 11
    # v1 dates run from January to April 2023: the latest is 4 April 2023.
    assert last_activity_dates([user.pk]) == {user.pk: datetime.date(2023, 4, 4)}


def test_the_rebuild_refills_the_dates(capsys):
    user = make_conseiller()
    record(user, DAY)
    ConseillerLastActivity.objects.all().delete()  # a table out of step, as after raw SQL
    call_command("rebuild_stats")
    assert last_activity_dates([user.pk]) == {user.pk: DAY}
