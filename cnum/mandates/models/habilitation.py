"""Habilitation of a structure to Aidants Connect, and the aidants it trains and validates."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from cnum.mandates.domains import Domain


class HabilitationStatus(models.TextChoices):
    DEMANDEE = "demandee", "Demandée"
    MODIFICATIONS_DEMANDEES = "modifications_demandees", "Modifications demandées"
    ACCEPTEE = "acceptee", "Acceptée"
    # Accepted, with added domains awaiting the administration (the accepted ones stay usable).
    EXTENSION_DEMANDEE = "extension_demandee", "Acceptée, nouveaux domaines en examen"
    REFUSEE = "refusee", "Refusée"


# Statuses under which the structure may use its accepted domains.
USABLE_STATUSES = (HabilitationStatus.ACCEPTEE, HabilitationStatus.EXTENSION_DEMANDEE)


class StructureType(models.TextChoices):
    PUBLIQUE = "publique", "Structure publique (collectivité, CCAS…)"
    FRANCE_SERVICES = "france_services", "France services"
    ASSOCIATION = "association", "Association"
    ENTREPRISE = "entreprise", "Entreprise de l'économie sociale et solidaire"
    AUTRE = "autre", "Autre"


class Habilitation(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="habilitation"
    )
    status = models.CharField(
        "statut",
        max_length=30,
        choices=HabilitationStatus.choices,
        default=HabilitationStatus.DEMANDEE,
    )
    siret = models.CharField("SIRET", max_length=14, validators=[RegexValidator(r"^[0-9]{14}$")])
    structure_type = models.CharField(
        "type de structure", max_length=30, choices=StructureType.choices
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="référent",
    )
    aidants_to_train = models.TextField("aidants à former")
    commitments_accepted_at = models.DateTimeField("engagements acceptés le")
    # The domains the référent lets the structure handle (a subset of the 10).
    domains = models.JSONField("domaines", default=list)
    # Domains added after acceptance: not usable until the administration accepts them.
    pending_domains = models.JSONField("domaines en examen", default=list, blank=True)
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="habilitation_siret_14_digits"
            ),
        ]

    def __str__(self):
        return f"Habilitation de {self.organisation}"

    @property
    def is_accepted(self):
        return self.status in USABLE_STATUSES

    def domain_labels(self):
        return [Domain(d).label for d in self.domains if d in Domain.values]

    def pending_domain_labels(self):
        return [Domain(d).label for d in self.pending_domains if d in Domain.values]


class HabilitationMessage(models.Model):
    habilitation = models.ForeignKey(
        Habilitation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The transition this message came with ("" for a plain message).
    action = models.CharField(max_length=30, blank=True)
    body = models.TextField("message")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message de {self.author} ({self.created_at:%d/%m/%Y})"


class AidantProfile(models.Model):
    """Training and validation of an aidant (a Membership with role `aidant`)."""

    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.CASCADE, related_name="aidant_profile"
    )
    is_referent = models.BooleanField("référent de la structure", default=False)
    training_date = models.DateField("date de la session de formation", null=True, blank=True)
    pix_validated = models.BooleanField("certification Pix obtenue", default=False)
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "aidant"

    def __str__(self):
        return str(self.membership.user)

    @property
    def is_trained(self):
        return self.training_date is not None and self.pix_validated

    @property
    def is_validated(self):
        return self.validated_at is not None
