"""The table of the database cache (settings.CACHES without REDIS_URL).

Created by `migrate` whatever the cache in use, so that switching from Redis to the database
needs no extra command.
"""

from django.core.management import call_command
from django.db import migrations

CACHE_TABLE = "cnum_cache"  # settings.CACHES["default"]["LOCATION"] of the database cache


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
