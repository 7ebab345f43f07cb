"""The programme's envelopes and first grid; ledger rows made append-only in the database."""

from django.db import migrations

# The trigger SQL is frozen here: a migration installs what was true when it was written.
TRIGGERS = {
    "postgresql": {
        "install": [
            "CREATE OR REPLACE FUNCTION funding_ledger_append_only() RETURNS "
            "trigger AS $$\n"
            "BEGIN\n"
            "    RAISE EXCEPTION 'Une écriture comptable ne se modifie ni ne "
            "se supprime (%).', TG_OP;\n"
            "END;\n"
            "$$ LANGUAGE plpgsql",
            "DROP TRIGGER IF EXISTS funding_ledger_append_only ON funding_ledgerentry",
            "CREATE TRIGGER funding_ledger_append_only BEFORE UPDATE OR DELETE "
            "ON funding_ledgerentry\n"
            "    FOR EACH ROW EXECUTE FUNCTION funding_ledger_append_only()",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS funding_ledger_append_only ON funding_ledgerentry",
            "DROP FUNCTION IF EXISTS funding_ledger_append_only()",
        ],
    },
    "sqlite": {
        "install": [
            "DROP TRIGGER IF EXISTS funding_ledger_no_update",
            "DROP TRIGGER IF EXISTS funding_ledger_no_delete",
            "CREATE TRIGGER funding_ledger_no_update BEFORE UPDATE ON "
            "funding_ledgerentry\n"
            "    BEGIN SELECT RAISE(ABORT, 'Une écriture comptable ne se modifie "
            "ni ne se supprime.'); END",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS funding_ledger_no_update",
            "DROP TRIGGER IF EXISTS funding_ledger_no_delete",
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


def forwards(apps, schema_editor):
    from cnum.funding import reference

    reference.install(
        apps.get_model("funding", "Envelope"),
        apps.get_model("funding", "GridVersion"),
        apps.get_model("funding", "GridAmount"),
        apps.get_model("funding", "InstalmentRule"),
    )
    _run("install")(apps, schema_editor)


def backwards(apps, schema_editor):
    _run("remove")(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
