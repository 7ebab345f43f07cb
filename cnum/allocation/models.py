"""Allocation runs and what they suggest.

A run is a computation, not a workflow: pending until `finished_at` (or `error`) is set by the
task. Results are kept per structure of the scope (vacant, filled by the optimum, filled by the
greedy baseline) so per-département figures are plain aggregations.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Scope(models.TextChoices):
    NATIONAL = "national", "Toutes les structures validées"
    SESSION = "session", "Structures validées lors d'une séance du comité"
    DEPARTEMENT = "departement", "Structures validées d'un département"


class AllocationRun(models.Model):
    scope = models.CharField("périmètre", max_length=20, choices=Scope.choices)
    session = models.ForeignKey(
        "structures.CommitteeSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="séance",
    )
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lancé par",
    )
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("durée (ms)", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    candidates_available = models.PositiveIntegerField("candidats disponibles", default=0)
    posts_vacant = models.PositiveIntegerField("postes vacants", default=0)
    optimal_filled = models.PositiveIntegerField("postes pourvus (optimum)", default=0)
    optimal_metres = models.BigIntegerField("distance totale en mètres (optimum)", default=0)
    greedy_filled = models.PositiveIntegerField("postes pourvus (au plus proche)", default=0)
    greedy_metres = models.BigIntegerField("distance totale en mètres (au plus proche)", default=0)
    stats = models.JSONField("mesures", default=dict, blank=True)

    class Meta:
        verbose_name = "répartition nationale"
        verbose_name_plural = "répartitions nationales"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=Scope.SESSION) & Q(session__isnull=False))
                | (Q(scope=Scope.DEPARTEMENT) & Q(departement__isnull=False))
                | Q(scope=Scope.NATIONAL),
                name="allocation_scope_target",
            ),
            models.CheckConstraint(
                condition=Q(optimal_filled__lte=models.F("posts_vacant"))
                & Q(greedy_filled__lte=models.F("optimal_filled")),
                name="allocation_filled_bounds",
            ),
        ]

    def __str__(self):
        return f"Répartition n° {self.pk} — {self.scope_label}"

    @property
    def scope_label(self):
        if self.scope == Scope.SESSION:
            return f"COSELEC {self.session.number}"
        if self.scope == Scope.DEPARTEMENT:
            return str(self.departement)
        return "national"

    @property
    def is_finished(self):
        return self.finished_at is not None and not self.error

    @property
    def is_pending(self):
        return self.finished_at is None and not self.error

    @property
    def optimal_km(self):
        return round(self.optimal_metres / 1000)

    @property
    def greedy_km(self):
        return round(self.greedy_metres / 1000)

    @property
    def unfilled(self):
        return self.posts_vacant - self.optimal_filled

    @property
    def greedy_unfilled(self):
        return self.posts_vacant - self.greedy_filled


class RunStructure(models.Model):
    """A structure of the run's scope and its vacant posts when the run was computed."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="structures")
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="+"
    )
    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, related_name="+"
    )
    vacant = models.PositiveIntegerField("postes vacants")
    optimal_filled = models.PositiveIntegerField("pourvus (optimum)", default=0)
    greedy_filled = models.PositiveIntegerField("pourvus (au plus proche)", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "structure"], name="one_row_per_run_structure"),
            models.CheckConstraint(
                condition=Q(optimal_filled__lte=models.F("vacant"))
                & Q(greedy_filled__lte=models.F("vacant")),
                name="run_structure_filled_bounds",
            ),
        ]
        indexes = [models.Index(fields=["structure", "run"], name="run_structure_by_structure")]

    def __str__(self):
        return f"{self.structure_id} : {self.optimal_filled} / {self.vacant}"


class Suggestion(models.Model):
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="suggestions")
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        "candidates.CandidateProfile", on_delete=models.CASCADE, related_name="+"
    )
    distance_m = models.PositiveIntegerField("distance (m)")

    class Meta:
        verbose_name = "suggestion"
        ordering = ["distance_m", "pk"]
        constraints = [
            # One post per candidate in a run.
            models.UniqueConstraint(fields=["run", "candidate"], name="one_post_per_candidate")
        ]
        indexes = [models.Index(fields=["structure", "run"], name="suggestion_by_structure")]

    def __str__(self):
        return f"{self.candidate_id} → {self.structure_id} ({self.distance_m} m)"

    @property
    def distance_km(self):
        return self.distance_m / 1000
