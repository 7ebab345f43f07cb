"""Runs of the periodic jobs (cnum.ops.schedule) and the lease that keeps each one single."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class JobRun(models.Model):
    """One attempt at one job: created when the job is handed to the task worker."""

    class Status(models.TextChoices):
        PENDING = "en_attente", "En attente"
        RUNNING = "en_cours", "En cours"
        SUCCEEDED = "reussi", "Réussi"
        FAILED = "echec", "Échec"
        SKIPPED = "ignore", "Ignoré (déjà en cours ailleurs)"

    class Trigger(models.TextChoices):
        SCHEDULE = "planifie", "Planifié"
        MANUAL = "manuel", "Lancé à la main"

    job = models.CharField("tâche", max_length=100)
    trigger = models.CharField("déclenchement", max_length=20, choices=Trigger.choices)
    # The schedule's tick this run belongs to: one run per job, tick and attempt, however many
    # schedulers are running.
    scheduled_for = models.DateTimeField("échéance", null=True, blank=True)
    attempt = models.PositiveSmallIntegerField("tentative", default=1)
    status = models.CharField(
        "résultat", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    enqueued_at = models.DateTimeField("demandée le", default=timezone.now)
    started_at = models.DateTimeField("début", null=True, blank=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    output = models.TextField("sortie", blank=True)
    error = models.TextField("erreur", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lancée par",
    )

    class Meta:
        verbose_name = "exécution de tâche planifiée"
        verbose_name_plural = "exécutions de tâches planifiées"
        constraints = [
            models.UniqueConstraint(
                fields=["job", "scheduled_for", "attempt"],
                condition=Q(scheduled_for__isnull=False),
                name="ops_jobrun_one_per_tick",
            )
        ]
        indexes = [models.Index(fields=["job", "-id"], name="ops_jobrun_job_latest")]

    def __str__(self):
        return f"{self.job} n° {self.pk} ({self.get_status_display()})"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class JobLock(models.Model):
    """A lease on one job: held by the run that is executing it, until `expires_at`.

    A conditional UPDATE takes it, which the database serialises on SQLite and PostgreSQL
    alike: of two workers on any machines, exactly one sees its update applied. A worker that
    dies leaves a lease that simply expires.
    """

    job = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "verrou de tâche planifiée"
        verbose_name_plural = "verrous de tâches planifiées"

    def __str__(self):
        return self.job
