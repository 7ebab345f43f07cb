import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from cnum.accounts.testing import make_user
from cnum.mandates import triggers
from cnum.mandates.models import JournalEntry, JournalError, JournalHead, Kind
from cnum.mandates.models.journal import GENESIS_HASH, entry_hash
from cnum.mandates.verification import verify_journal

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    user = make_user()
    return [JournalEntry.log_login(user) for _ in range(5)]


def test_entries_are_chained(entries):
    assert [e.position for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].previous_hash == GENESIS_HASH
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.previous_hash == previous.hash
    stored = JournalEntry.objects.get(pk=entries[2].pk)
    assert stored.compute_hash() == stored.hash
    head = JournalHead.objects.get()
    assert (head.position, head.last_hash) == (5, entries[-1].hash)
    assert verify_journal().ok


def test_model_refuses_changes_and_direct_writes(entries):
    entry = entries[0]
    entry.data = {"forged": True}
    with pytest.raises(JournalError):
        entry.save()
    with pytest.raises(JournalError):
        entry.delete()
    with pytest.raises(JournalError):
        JournalEntry(position=99, kind=Kind.LOGIN).save()
    with pytest.raises(JournalError):
        JournalEntry.objects.create(position=99, kind=Kind.LOGIN)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE mandates_journalentry SET kind = 'x' WHERE position = 2",
        "DELETE FROM mandates_journalentry WHERE position = 2",
        "DELETE FROM mandates_journalentry WHERE position = 5",
        "DELETE FROM mandates_journalentry WHERE position > 3",
    ],
)
def test_database_refuses_update_and_delete(entries, sql):
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert JournalEntry.objects.filter(position=2, kind=Kind.LOGIN).exists()


def test_test_flush_empties_the_journal_whatever_the_table_order(entries):
    """Transactional tests end with Django's flush (random table order): it must go through."""
    from django.core.management.color import no_style

    statements = connection.ops.sql_flush(
        no_style(), ["mandates_journalentry", "mandates_journalhead"]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    assert not JournalEntry.objects.exists() and not JournalHead.objects.exists()


def test_queryset_bulk_writes_refused(entries):
    with pytest.raises(JournalError):
        JournalEntry.objects.filter(position=1).update(data={"x": 1})
    with pytest.raises(JournalError):
        JournalEntry.objects.all().delete()
    with pytest.raises(JournalError):
        JournalEntry.objects.bulk_create([JournalEntry(position=99, kind=Kind.LOGIN)])
    # Even bypassing the manager, the database refuses.
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        models.QuerySet(JournalEntry).filter(position=1).update(data={"x": 1})
    assert verify_journal().ok


def _tamper(*statements):
    """Run raw SQL as an attacker with database access would, triggers dropped."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _problems():
    report = verify_journal()
    return [(p.position, p.message) for p in report.problems]


def test_altered_row_detected_with_its_position(entries):
    _tamper(("UPDATE mandates_journalentry SET kind = %s WHERE position = 3", ["attestation"]))
    problems = _problems()
    assert problems == [(3, "le contenu de la ligne a été modifié")]
    with pytest.raises(CommandError, match="Journal altéré"):
        call_command("verify_journal")


def test_altered_row_with_recomputed_hash_detected_at_next_row(entries):
    row = JournalEntry.objects.get(position=3)
    forged = entry_hash(
        row.previous_hash,
        3,
        row.created_at,
        "attestation",
        row.actor_id,
        None,
        None,
        None,
        None,
        row.data,
    )
    _tamper(
        (
            "UPDATE mandates_journalentry SET kind = %s, hash = %s WHERE position = 3",
            ["attestation", forged],
        )
    )
    assert [p[0] for p in _problems()] == [4]  # row 4 no longer links to row 3


def test_deleted_row_detected(entries):
    _tamper(("DELETE FROM mandates_journalentry WHERE position = 2", []))
    problems = _problems()
    assert problems[0][0] == 3
    assert "supprimée" in problems[0][1]


def test_deleted_last_row_detected_by_head(entries):
    _tamper(("DELETE FROM mandates_journalentry WHERE position = 5", []))
    assert _problems() == [(None, _problems()[0][1])]
    assert "fin de journal" in _problems()[0][1]


def test_inserted_row_in_the_middle_detected(entries):
    row2 = JournalEntry.objects.get(position=2)
    # Shift the later rows, then slip a well-formed row in at position 3.
    forged = entry_hash(
        row2.hash, 3, row2.created_at, "mandat_cree", row2.actor_id, None, None, None, None, {}
    )
    _tamper(
        ("UPDATE mandates_journalentry SET position = position + 100 WHERE position > 2", []),
        ("UPDATE mandates_journalentry SET position = position - 99 WHERE position > 100", []),
        (
            "INSERT INTO mandates_journalentry (position, created_at, kind, actor_id, data, "
            "previous_hash, hash) VALUES (3, %s, 'mandat_cree', %s, '{}', %s, %s)",
            [row2.created_at, row2.actor_id, row2.hash, forged],
        ),
    )
    problems = _problems()
    # Row 3 is consistent with row 2; the break shows where the original row 3 now sits.
    assert problems[0][0] == 4
    assert problems[0][1].startswith("position attendue") is False
    assert any("rompu" in message for _, message in problems)


def test_verify_command_ok(entries, capsys):
    call_command("verify_journal")
    assert "5 ligne(s) vérifiée(s)" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("in-memory SQLite: one connection only")
    user = make_user()
    errors = []

    def append():
        try:
            for _ in range(5):
                JournalEntry.log_login(user)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert JournalEntry.objects.count() == 20
    assert verify_journal().ok
