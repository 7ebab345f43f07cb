"""Workshops (ateliers) run by conseillers, their recurring series and public registrations."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from cnum.workflow.engine import Workflow
from cnum.workshops import transitions
from cnum.workshops.enums import Niveau, Recurrence, RegistrationStatus, Thematique

MIN_DURATION, MAX_DURATION = 15, 480
MAX_CAPACITY = 200


def new_token():
    return secrets.token_urlsafe(32)


class Series(models.Model):
    """Workshops scheduled together at a fixed interval (weekly or every two weeks)."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="+"
    )
    recurrence = models.CharField("récurrence", max_length=20, choices=Recurrence.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "série d'ateliers"
        verbose_name_plural = "séries d'ateliers"

    def __str__(self):
        return f"{self.get_recurrence_display()} ({self.pk})"


class WorkshopQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self, now):
        return self.active().filter(starts_at__gte=now)

    def with_seats(self):
        return self.annotate(
            registered=models.Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.INSCRITE)
            )
        )


class Workshop(models.Model):
    """A collective workshop at one of the structure's places, or remote."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="workshops"
    )
    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workshops"
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshops"
    )
    title = models.CharField("titre", max_length=200)
    thematiques = models.JSONField("thématiques", default=list)
    niveau = models.CharField("niveau", max_length=20, choices=Niveau.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name="lieu",
    )
    remote = models.BooleanField("à distance", default=False)
    starts_at = models.DateTimeField("début")
    duration = models.PositiveSmallIntegerField("durée (minutes)")
    capacity = models.PositiveSmallIntegerField("nombre de places")
    description = models.TextField("description", blank=True)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = "atelier"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="workshop_starts_at")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="workshop_has_title"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="workshop_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=MIN_DURATION, duration__lte=MAX_DURATION),
                name="workshop_duration_range",
            ),
            # In person at a place, or remote: exactly one of the two.
            models.CheckConstraint(
                condition=Q(remote=True, place__isnull=True) | Q(remote=False, place__isnull=False),
                name="workshop_place_or_remote",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def thematique_labels(self):
        labels = dict(Thematique.choices)
        return [labels.get(value, value) for value in self.thematiques]


class Registration(models.Model):
    """A person registered to a workshop with minimal data: a name and an e-mail or a phone."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=25, blank=True)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.INSCRITE,
    )
    attended = models.BooleanField("présent", null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    workflow = Workflow(
        transitions=transitions.REGISTRATION_TRANSITIONS,
        labels=transitions.REGISTRATION_LABELS,
    )

    class Meta:
        verbose_name = "inscription à un atelier"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="registration_has_name"),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="registration_has_contact"
            ),
            models.UniqueConstraint(
                fields=["workshop", "email"],
                condition=Q(status=RegistrationStatus.INSCRITE) & ~Q(email=""),
                name="registration_one_active_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.workshop}"

    @property
    def is_active(self):
        return self.status == RegistrationStatus.INSCRITE

    @property
    def is_pending(self):
        return self.status == RegistrationStatus.EN_ATTENTE
