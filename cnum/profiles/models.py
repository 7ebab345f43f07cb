"""What a person manages about their own account ("Mon compte"), and what the platform keeps
to run the self-service rules: pending e-mail changes, structure corrections, dormant accounts."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from cnum.profiles import transitions
from cnum.workflow.engine import Workflow


class ContactDetails(models.Model):
    """Contact fields the account itself lacks (name and e-mail live on the user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_details"
    )
    phone = models.CharField("téléphone", max_length=20, blank=True)
    job_title = models.CharField("fonction", max_length=150, blank=True)
    work_phone = models.CharField("téléphone professionnel", max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "coordonnées"
        verbose_name_plural = "coordonnées"

    def __str__(self):
        return f"Coordonnées de {self.user}"


class EmailChange(models.Model):
    """A requested change of login address: applied only when the link sent to it is opened."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_changes"
    )
    old_email = models.EmailField("ancienne adresse")
    new_email = models.EmailField("nouvelle adresse")
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)

    class Meta:
        verbose_name = "changement d'adresse électronique"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.old_email} → {self.new_email}"


class CorrectionKind(models.TextChoices):
    NAME = "nom", "Nom de la structure"
    SIRET = "siret", "SIRET"


class CorrectionStatus(models.TextChoices):
    DEMANDEE = "demandee", "En attente de l'administration"
    APPLIQUEE = "appliquee", "Appliquée"
    REFUSEE = "refusee", "Refusée"


class StructureCorrection(models.Model):
    """A manager's request to correct their structure's name or SIRET, decided by the
    administration; the row and its transition log are the record of the change."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField("correction", max_length=5, choices=CorrectionKind.choices)
    current_value = models.CharField("valeur actuelle", max_length=255)
    requested_value = models.CharField("valeur demandée", max_length=255)
    reason = models.TextField("justification", validators=[MaxLengthValidator(1000)])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    status = models.CharField(
        "état",
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.DEMANDEE,
    )

    workflow = Workflow(
        transitions={
            (CorrectionStatus.DEMANDEE, CorrectionStatus.APPLIQUEE): transitions.by_admin,
            (CorrectionStatus.DEMANDEE, CorrectionStatus.REFUSEE): transitions.by_admin,
        },
        effects={CorrectionStatus.APPLIQUEE: transitions.apply_correction},
        on_commit=transitions.notify_managers,
        labels={
            CorrectionStatus.APPLIQUEE: "Correction appliquée",
            CorrectionStatus.REFUSEE: "Correction refusée",
        },
    )

    class Meta:
        verbose_name = "demande de correction d'une structure"
        verbose_name_plural = "demandes de correction de structures"
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "kind"],
                condition=Q(status="demandee"),
                name="correction_one_pending_per_kind",
                violation_error_message="Une demande de cette correction est déjà en attente.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.current_value} → {self.requested_value}"


class Dormancy(models.Model):
    """An account nobody logged into for long: warned, then deactivated, then anonymised.
    Any login before anonymisation removes the row (cnum.profiles.receivers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dormancy"
    )
    warned_at = models.DateTimeField("prévenu le")
    deactivated_at = models.DateTimeField("désactivé le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    class Meta:
        verbose_name = "compte inactif"
        verbose_name_plural = "comptes inactifs"
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | Q(deactivated_at__isnull=False),
                name="dormancy_anonymised_after_deactivation",
            )
        ]

    def __str__(self):
        return f"Compte inactif : {self.user_id}"
