"""Append-only journal, enforced by the database (PostgreSQL and SQLite triggers)."""

from django.db import migrations

# The trigger SQL is frozen here: a migration installs what was true when it was written.
TRIGGERS = {
    "postgresql": {
        "install": [
            "CREATE OR REPLACE FUNCTION mandates_journal_append_only() RETURNS "
            "trigger AS $$\n"
            "BEGIN\n"
            "    RAISE EXCEPTION 'Le journal Aidants Connect ne se modifie pas "
            "(%).', TG_OP;\n"
            "END;\n"
            "$$ LANGUAGE plpgsql",
            "DROP TRIGGER IF EXISTS mandates_journal_append_only ON mandates_journalentry",
            "CREATE TRIGGER mandates_journal_append_only BEFORE UPDATE OR "
            "DELETE ON mandates_journalentry\n"
            "    FOR EACH ROW EXECUTE FUNCTION mandates_journal_append_only()",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS mandates_journal_append_only ON mandates_journalentry",
            "DROP FUNCTION IF EXISTS mandates_journal_append_only()",
        ],
    },
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
    },
}


def _run(action):
    def run(apps, schema_editor):
        statements = TRIGGERS.get(schema_editor.connection.vendor, {}).get(action, [])
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("mandates", "0001_initial")]

    operations = [migrations.RunPython(_run("install"), _run("remove"))]
