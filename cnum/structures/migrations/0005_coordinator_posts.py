# Coordinator posts (docs/domaine.md#coordinateurs). Written by hand next to the networks
# migration (0004_network) made at the same time: it touches none of its models.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("structures", "0004_network"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="committeedecision",
            name="coordinator_posts_granted",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="postes de coordinateur attribués"
            ),
        ),
        migrations.AddField(
            model_name="postamendment",
            name="post_type",
            field=models.CharField(
                choices=[("CONSEILLER", "Conseiller numérique"), ("COORDINATEUR", "Coordinateur")],
                default="CONSEILLER",
                max_length=15,
                verbose_name="type de poste",
            ),
        ),
        migrations.CreateModel(
            name="CoordinatorRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "time",
                    models.CharField(
                        choices=[
                            ("TEMPS_PARTIEL", "Coordinateur à temps partiel"),
                            ("TEMPS_PLEIN", "Coordinateur à temps plein"),
                        ],
                        max_length=20,
                        verbose_name="temps de travail",
                    ),
                ),
                (
                    "motivation",
                    models.TextField(
                        validators=[
                            django.core.validators.MinLengthValidator(10),
                            django.core.validators.MaxLengthValidator(2000),
                        ],
                        verbose_name="motivation",
                    ),
                ),
                (
                    "requested_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="demandée le"),
                ),
                (
                    "prefet_opinion",
                    models.CharField(
                        blank=True,
                        choices=[("FAVORABLE", "Favorable"), ("DEFAVORABLE", "Défavorable")],
                        max_length=12,
                        verbose_name="avis du préfet",
                    ),
                ),
                (
                    "prefet_comment",
                    models.TextField(blank=True, verbose_name="commentaire du préfet"),
                ),
                ("prefet_at", models.DateTimeField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("DEMANDEE", "En attente de décision"),
                            ("ACCORDEE", "Accordée par le comité"),
                            ("REFUSEE", "Refusée par le comité"),
                            ("ANNULEE", "Annulée par la structure"),
                        ],
                        default="DEMANDEE",
                        max_length=10,
                        verbose_name="état",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="structures.committeedecision",
                    ),
                ),
                (
                    "prefet_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "structure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="coordinator_requests",
                        to="structures.structure",
                    ),
                ),
            ],
            options={
                "verbose_name": "demande de poste de coordinateur",
                "ordering": ["-requested_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "DEMANDEE")),
                        fields=("structure",),
                        name="one_pending_coordinator_request",
                        violation_error_message=(
                            "Une demande de poste de coordinateur est déjà en cours."
                        ),
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CoordinatorDesignation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "requested_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="proposée le"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("PROPOSEE", "À valider par l'administration"),
                            ("VALIDEE", "Validée"),
                            ("REFUSEE", "Refusée"),
                            ("ANNULEE", "Annulée par la structure"),
                        ],
                        default="PROPOSEE",
                        max_length=10,
                        verbose_name="état",
                    ),
                ),
                (
                    "reason",
                    models.TextField(
                        blank=True,
                        validators=[django.core.validators.MaxLengthValidator(1000)],
                        verbose_name="motif du refus",
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="décidée le"),
                ),
                (
                    "conseiller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="coordinator_designations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="conseiller désigné",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "structure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="coordinator_designations",
                        to="structures.structure",
                    ),
                ),
            ],
            options={
                "verbose_name": "désignation d'un coordinateur",
                "ordering": ["-requested_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["PROPOSEE", "VALIDEE"])),
                        fields=("structure", "conseiller"),
                        name="one_live_designation_per_conseiller",
                        violation_error_message="Ce conseiller est déjà désigné coordinateur.",
                    )
                ],
            },
        ),
    ]
