"""Rollups of activity records and the coordinators' teams.

`ActivityRollup` holds, per level (France, département, structure, conseiller, place, commune), per
scope of that level, month, CRA type and thématique ("" = all records), the sums of every
measure of cnum.stats.measures. Rows are kept in step with the records in the same transaction
(cnum.stats.upkeep) and can be rebuilt from the records (`manage.py rebuild_stats`). The
département of the records is part of the key on every level, and their structure on every level
but the département (whose rows stay few), so that structure, conseiller, place and commune rows
can be restricted to a territory or a structure; the national rows (scope and département "")
sum the whole country in a few dozen rows a year. A structure-less key uses structure_id 0 (not
NULL) so that the unique key works as an upsert conflict target on every database.
`YearRollup` sums two of those measures by year for the levels the national rankings read.
`PublicSnapshot` keeps the last public publication computed.
"""

from django.conf import settings
from django.db import models

from cnum.activity.enums import CraType
from cnum.stats.measures import MEASURE_COLUMNS


class Level(models.TextChoices):
    NATIONAL = "national", "France entière"
    DEPARTEMENT = "departement", "Département"
    STRUCTURE = "structure", "Structure"
    CONSEILLER = "conseiller", "Conseiller"
    PLACE = "place", "Lieu"
    COMMUNE = "commune", "Commune"


# Levels that also keep one row per thématique (a thématique filter on other levels is answered
# from the records themselves, bounded by the scope's index).
LEVELS_BY_THEMATIQUE = (Level.NATIONAL, Level.DEPARTEMENT, Level.STRUCTURE)


# The monthly rows' indexes hold key columns only: a rollup write then changes no indexed
# column, and PostgreSQL updates the row in place in its page (a "HOT" update, no index entry
# written), which is most of a write's upkeep (docs/statistiques.md#entretien). The rankings,
# which read many rows but two measures, read the yearly rows' covering index instead.
COVERED = ("type", "structure_id", "scope")


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
            # National and territorial dashboards: by level, thématique and month or
            # département, then the rest of the key.
            models.Index(
                fields=["level", "thematique", "month", "departement", *COVERED],
                name="rollup_level_month",
            ),
            models.Index(
                fields=["level", "departement", "thematique", "month", *COVERED],
                name="rollup_level_dep",
            ),
            # A structure's or a team's dashboard reads only its rows.
            models.Index(
                fields=["level", "structure_id", "thematique", "month"], name="rollup_level_struct"
            ),
            models.Index(fields=["level", "scope", "month"], name="rollup_level_scope"),
        ]

    def __str__(self):
        return f"{self.level} {self.scope} {self.month:%Y-%m} {self.type} {self.thematique}"


# A row sums one month of one scope: 32-bit integers hold it (sums over rows are 64-bit), and
# halve the width of a table read by every dashboard. The database's own default is 0 too: the
# upkeep writes only the measures a write changes (cnum.stats.upkeep).
for _column in MEASURE_COLUMNS:
    ActivityRollup.add_to_class(_column, models.IntegerField(default=0, db_default=0))


# Levels whose rows are also summed by year (`YearRollup`).
YEAR_LEVELS = (Level.CONSEILLER, Level.PLACE, Level.COMMUNE)
# `YearRollup.departement` and `.type` of the rows summed over every département, structure
# and type: a national ranking reads one row per scope, not one per département and type.
ALL = "*"


class YearRollup(models.Model):
    """Records and accompagnements of the conseiller, place and commune rollup rows (all
    thématiques), by calendar year (`month` 0) and by month of that year (`month` 1 to 12), by
    département, structure and type and also over all of them (`ALL`): the rows the active
    conseillers and the top places and communes read. Nationally these levels
    have hundreds of thousands of monthly rows; this narrow table and its covering index let a
    ranking read only the index, a year's row for each full year of the period instead of twelve
    (cnum.stats.queries, docs/statistiques.md#classements). Kept from the same deltas as the
    monthly rows, in the same transaction (cnum.stats.upkeep)."""

    level = models.CharField(max_length=12, choices=Level.choices)
    scope = models.CharField(max_length=20)
    departement = models.CharField(max_length=3)
    structure_id = models.BigIntegerField(default=0)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(default=0)  # 0: the whole year
    type = models.CharField(max_length=12, choices=CraType.choices)
    records = models.IntegerField(default=0, db_default=0)
    accompagnements = models.IntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = "agrégat annuel d'activité"
        constraints = [
            models.UniqueConstraint(
                fields=["level", "scope", "departement", "structure_id", "year", "month", "type"],
                name="year_rollup_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["level", "year", "month", "departement", "type", "structure_id", "scope",
                        "records", "accompagnements"],
                name="year_rollup_level",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.level} {self.scope} {self.year} {self.month} {self.type}"


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


class CoordinationTerritory(models.Model):
    """A coordinator coordinates every conseiller in post in a département or a région: the
    team follows recruitments and ruptures (resolved live, cnum.stats.teams)."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinated_territories"
    )
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    region = models.ForeignKey(
        "territories.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="région",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "territoire coordonné"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(departement__isnull=False, region__isnull=True)
                | models.Q(departement__isnull=True, region__isnull=False),
                name="coordination_territory_one_of",
            ),
            models.UniqueConstraint(
                fields=["coordinator", "departement"], name="coordination_territory_dep"
            ),
            models.UniqueConstraint(
                fields=["coordinator", "region"], name="coordination_territory_region"
            ),
        ]

    def __str__(self):
        return f"{self.coordinator} → {self.departement_id or self.region_id}"


class PublicSnapshot(models.Model):
    """The public statistics as last computed (cnum.stats.public), shared by every web process:
    a pickled `Publication`, refreshed by `manage.py publish_stats` or its background task."""

    computed_at = models.DateTimeField(db_index=True)
    data = models.BinaryField()

    class Meta:
        verbose_name = "instantané des statistiques publiques"
        verbose_name_plural = "instantanés des statistiques publiques"

    def __str__(self):
        return f"Statistiques publiques du {self.computed_at:%d/%m/%Y %H:%M}"


class ConseillerLastActivity(models.Model):
    """The date of each conseiller's latest live record, kept with the rollups in the records'
    transaction (cnum.stats.last_activity): "sans activité" lists and reminders read it instead
    of the records."""

    conseiller = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_date = models.DateField("date du dernier CRA")

    class Meta:
        verbose_name = "dernière activité d'un conseiller"
        verbose_name_plural = "dernières activités des conseillers"

    def __str__(self):
        return f"{self.conseiller_id} : {self.last_date:%d/%m/%Y}"
