"""SQLite: the journal's DELETE trigger lets a whole-table flush through (see triggers.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from cnum.mandates import triggers

    if schema_editor.connection.vendor == "sqlite":
        triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("mandates", "0003_usager_franceconnect")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
