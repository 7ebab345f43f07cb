"""The coordinators' own activities (docs/coordination.md#activites).

Kept apart from the conseillers' activity records (cnum.activity): they never enter the
support figures nor the rollups (cnum.stats), and have their own list, summary and export.
Teams themselves live in cnum.stats (`Coordination`, `CoordinationTerritory`), which the
statistics scopes read.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

# A day of work at most: a longer figure is a typing mistake.
MAX_DURATION_MINUTES = 24 * 60
MAX_PARTICIPANTS = 10_000


class ActivityKind(models.TextChoices):
    ANIMATION = "animation", "Animation du réseau"
    PARTENARIAT = "partenariat", "Partenariat"
    EVENEMENT = "evenement", "Événement"
    FORMATION = "formation", "Formation"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement d'un conseiller"
    AUTRE = "autre", "Autre"


class CoordinatorActivity(models.Model):
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordination_activities",
    )
    kind = models.CharField("type d'activité", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date")
    duration = models.PositiveIntegerField(
        "durée (minutes)",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    participants = models.PositiveIntegerField(
        "nombre de participants", default=0, validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )
    notes = models.TextField("notes", blank=True, validators=[MaxLengthValidator(2000)])
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure concernée",
    )
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département concerné",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "activité de coordination"
        verbose_name_plural = "activités de coordination"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["coordinator", "date"], name="coord_activity_date")]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"
