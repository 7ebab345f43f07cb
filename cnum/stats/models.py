"""Rollups of activity records and the coordinators' teams.

`ActivityRollup` holds, per level (département, structure, conseiller, place, commune), per
scope of that level, month, CRA type and thématique ("" = all records), the sums of every
measure of cnum.stats.measures. Rows are kept in step with the records in the same transaction
(cnum.stats.upkeep) and can be rebuilt from the records (`manage.py rebuild_stats`). The
département of the records is part of the key on every level, and their structure on every level
but the département (whose rows stay few), so that structure, conseiller, place and commune rows
can be restricted to a territory or a structure. A structure-less key uses structure_id 0 (not
NULL) so that the unique key works as an upsert conflict target on every database.
"""

from django.conf import settings
from django.db import models

from cnum.activity.enums import CraType
from cnum.stats.measures import MEASURE_COLUMNS


class Level(models.TextChoices):
    DEPARTEMENT = "departement", "Département"
    STRUCTURE = "structure", "Structure"
    CONSEILLER = "conseiller", "Conseiller"
    PLACE = "place", "Lieu"
    COMMUNE = "commune", "Commune"


# Levels that also keep one row per thématique (a thématique filter on other levels is answered
# from the records themselves, bounded by the scope's index).
LEVELS_BY_THEMATIQUE = (Level.DEPARTEMENT, Level.STRUCTURE)


class ActivityRollup(models.Model):
    level = models.CharField(max_length=12, choices=Level.choices)
    scope = models.CharField(max_length=20)  # département code, object id or INSEE code
    departement = models.CharField(max_length=3)  # "" when the records have none
    structure_id = models.BigIntegerField(default=0)  # the records' structure, 0 when none
    month = models.DateField()  # first day of the month
    type = models.CharField(max_length=12, choices=CraType.choices)
    thematique = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "agrégat d'activité"
        constraints = [
            models.UniqueConstraint(
                fields=["level", "scope", "departement", "structure_id", "month", "type",
                        "thematique"],
                name="activity_rollup_key",
            )
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["level", "thematique", "month"], name="rollup_level_month"),
            models.Index(
                fields=["level", "departement", "thematique", "month"], name="rollup_level_dep"
            ),
            # A structure's or a team's dashboard reads only its rows.
            models.Index(
                fields=["level", "structure_id", "thematique", "month"], name="rollup_level_struct"
            ),
            models.Index(fields=["level", "scope", "month"], name="rollup_level_scope"),
        ]

    def __str__(self):
        return f"{self.level} {self.scope} {self.month:%Y-%m} {self.type} {self.thematique}"


for _column in MEASURE_COLUMNS:
    ActivityRollup.add_to_class(_column, models.BigIntegerField(default=0))


class Coordination(models.Model):
    """A coordinator coordinates conseillers (of their structure or of others nearby)."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinated"
    )
    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinators"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "conseiller coordonné"
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "conseiller"], name="coordination_unique"
            )
        ]

    def __str__(self):
        return f"{self.coordinator} → {self.conseiller}"
