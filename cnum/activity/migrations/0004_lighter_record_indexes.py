"""Indexes of activity_cra that other indexes make useless, dropped: each costs every write and
every imported line. conseiller_id is the head of cra_conseiller_date, place_id of the partial
cra_place_date (which answers `place_id = …`, the only lookup by place); the pattern-matching
copies PostgreSQL adds to text keys serve LIKE 'prefix%', and nothing searches a legacy id or a
commune code by prefix. The foreign keys themselves are kept: only the state records that
conseiller and place have no index of their own (altering them through the ORM would drop and
re-validate their constraints over every record)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROPPED = (
    "activity_cra_conseiller_id_c96b4b77",
    "activity_cra_place_id_3d9062b4",
    "activity_cra_legacy_id_ad202ea1_like",  # PostgreSQL only
    "activity_cra_commune_id_750d9a6a_like",  # PostgreSQL only
)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0003_date_id_index"),
        ("places", "0003_public_map"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="cra",
                    name="conseiller",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cras",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="cra",
                    name="place",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.place",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", migrations.RunSQL.noop)
                for name in DROPPED
            ],
        ),
    ]
