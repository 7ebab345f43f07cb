"""Follow-up of the network (docs/suivi.md): leaves declared by structures, the reminders sent
for silent conseillers and for contracts that end, and the structures' non-renewal
declarations. Reminder rows are what makes a reminder "never twice": one per gap or contract
and level, under a unique constraint."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q


class Leave(models.Model):
    """A conseiller's absence declared by their structure: no inactivity reminder meanwhile."""

    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="leaves",
        verbose_name="conseiller",
    )
    start = models.DateField("premier jour d'absence")
    end = models.DateField("dernier jour d'absence")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField("déclarée le", auto_now_add=True)

    class Meta:
        verbose_name = "absence déclarée"
        verbose_name_plural = "absences déclarées"
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="leave_end_after_start")
        ]
        indexes = [models.Index(fields=["conseiller", "end"], name="leave_conseiller_end")]

    def __str__(self):
        return f"{self.conseiller} : du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


class InactivityLevel(models.IntegerChoices):
    FIRST = 1, "Premier rappel"
    SECOND = 2, "Second rappel"


class InactivityReminder(models.Model):
    """A reminder sent for one gap (silence since `gap_start`) at one level."""

    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    gap_start = models.DateField("début de la période sans activité")
    level = models.PositiveSmallIntegerField("niveau", choices=InactivityLevel.choices)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "rappel d'inactivité"
        constraints = [
            models.UniqueConstraint(
                fields=["conseiller", "gap_start", "level"], name="one_reminder_per_gap_level"
            )
        ]

    def __str__(self):
        return f"{self.conseiller_id} {self.gap_start:%d/%m/%Y} niveau {self.level}"


class ContractReminder(models.Model):
    """A reminder to the structure `months` months before the contract's end."""

    contract = models.ForeignKey("recruitment.Contract", on_delete=models.CASCADE, related_name="+")
    months = models.PositiveSmallIntegerField("mois avant la fin")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "rappel de fin de contrat"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "months"], name="one_reminder_per_contract_level"
            )
        ]

    def __str__(self):
        return f"{self.contract_id} à {self.months} mois"


class NonRenewalReason(models.TextChoices):
    FUNDING = "financement", "Financement insuffisant pour poursuivre"
    PROJECT = "projet", "Fin du projet ou changement d'orientation"
    CONSEILLER = "conseiller", "Le conseiller ne souhaite pas poursuivre"
    INTERNAL = "pourvu_autrement", "Poste pérennisé ou pourvu autrement"
    OTHER = "autre", "Autre raison"


class NonRenewal(models.Model):
    """The structure's declaration that it will not renew a contract ("non intéressée")."""

    contract = models.OneToOneField(
        "recruitment.Contract",
        on_delete=models.CASCADE,
        related_name="non_renewal",
        verbose_name="contrat",
    )
    reason = models.CharField("raison", max_length=20, choices=NonRenewalReason.choices)
    comment = models.TextField(
        "commentaire (facultatif)", blank=True, validators=[MaxLengthValidator(1000)]
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField("déclarée le", auto_now_add=True)

    class Meta:
        verbose_name = "non-renouvellement déclaré"
        verbose_name_plural = "non-renouvellements déclarés"

    def __str__(self):
        return f"{self.contract_id} : {self.get_reason_display()}"
