"""Training sessions for aidants (docs/aidants-connect.md#formation): an aidant may create
mandates only once a training organisation (or the administration) has recorded their
attendance."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class AidantTrainingSession(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="aidant_training_sessions",
        verbose_name="organisme de formation",
    )
    title = models.CharField("intitulé", max_length=200, default="Formation Aidants Connect")
    start_date = models.DateField("premier jour")
    end_date = models.DateField("dernier jour")
    place = models.CharField("lieu", max_length=255)
    seats = models.PositiveSmallIntegerField("nombre de places")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "session de formation des aidants"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="aidant_session_has_seats"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="aidant_session_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.start_date:%d/%m/%Y}, {self.place}"


class AidantTrainingRegistration(models.Model):
    session = models.ForeignKey(
        AidantTrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    aidant_profile = models.ForeignKey(
        "mandates.AidantProfile", on_delete=models.CASCADE, related_name="training_registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    attended_at = models.DateTimeField("présence constatée le", null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "inscription d'un aidant à une formation"
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "aidant_profile"], name="aidant_registration_unique"
            ),
        ]

    def __str__(self):
        return f"{self.aidant_profile} — {self.session}"
