"""Append-only journal, enforced by the database (PostgreSQL and SQLite triggers)."""

from django.db import migrations


def install(apps, schema_editor):
    from cnum.mandates import triggers

    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from cnum.mandates import triggers

    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("mandates", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
