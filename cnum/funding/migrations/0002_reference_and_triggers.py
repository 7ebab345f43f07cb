"""The programme's envelopes and first grid; ledger rows made append-only in the database."""

from django.db import migrations


def forwards(apps, schema_editor):
    from cnum.funding import reference, triggers

    reference.install(
        apps.get_model("funding", "Envelope"),
        apps.get_model("funding", "GridVersion"),
        apps.get_model("funding", "GridAmount"),
        apps.get_model("funding", "InstalmentRule"),
    )
    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from cnum.funding import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
