"""SQLite: the journal's DELETE trigger lets a whole-table flush through (see triggers.py)."""

from django.db import migrations

# The trigger SQL is frozen here: a migration installs what was true when it was written.
TRIGGERS = {
    "sqlite": {
        "install": [
            "DROP TRIGGER IF EXISTS mandates_journal_no_update",
            "DROP TRIGGER IF EXISTS mandates_journal_no_delete",
            "CREATE TRIGGER mandates_journal_no_update BEFORE UPDATE ON "
            "mandates_journalentry\n"
            "    BEGIN SELECT RAISE(ABORT, 'Le journal Aidants Connect ne se "
            "modifie pas.'); END",
            "CREATE TRIGGER mandates_journal_no_delete BEFORE DELETE ON "
            "mandates_journalentry\n"
            "    WHEN EXISTS (SELECT 1 FROM mandates_journalhead) AND EXISTS "
            "(SELECT 1 FROM mandates_journalentry WHERE position < OLD.position)\n"
            "    BEGIN SELECT RAISE(ABORT, 'Le journal Aidants Connect ne se "
            "supprime pas.'); END",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS mandates_journal_no_update",
            "DROP TRIGGER IF EXISTS mandates_journal_no_delete",
        ],
    }
}


def _run(action):
    def run(apps, schema_editor):
        statements = TRIGGERS.get(schema_editor.connection.vendor, {}).get(action, [])
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("mandates", "0003_usager_franceconnect")]

    operations = [migrations.RunPython(_run("install"), migrations.RunPython.noop)]
