"""Habilitation of a structure to Aidants Connect, and the aidants it trains and validates."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.mandates.domains import Domain
from cnum.workflow.engine import Workflow


class HabilitationStatus(models.TextChoices):
    DEMANDEE = "demandee", "Demandée"
    MODIFICATIONS_DEMANDEES = "modifications_demandees", "Modifications demandées"
    ACCEPTEE = "acceptee", "Acceptée"
    # Accepted, with added domains awaiting the administration (the accepted ones stay usable).
    EXTENSION_DEMANDEE = "extension_demandee", "Acceptée, nouveaux domaines en examen"
    REFUSEE = "refusee", "Refusée"


# Statuses under which the structure may use its accepted domains.
USABLE_STATUSES = (HabilitationStatus.ACCEPTEE, HabilitationStatus.EXTENSION_DEMANDEE)


def _admin(actor, habilitation):
    return actor.has_role(Role.ADMINISTRATEUR)


def _structure(actor, habilitation):
    """An active manager of the structure asking (cnum.mandates.habilitation checks the rest)."""
    return Membership.objects.filter(
        user_id=actor.pk,
        organisation_id=habilitation.organisation_id,
        role=Role.GESTIONNAIRE_STRUCTURE,
        is_active=True,
    ).exists()


def _admin_or_structure(actor, habilitation):
    return _admin(actor, habilitation) or _structure(actor, habilitation)


_H = HabilitationStatus
# Who may make each move; the actions that lead to them are in cnum.mandates.habilitation.
HABILITATION_TRANSITIONS = {
    (_H.DEMANDEE, _H.ACCEPTEE): _admin,
    (_H.DEMANDEE, _H.REFUSEE): _admin,
    (_H.DEMANDEE, _H.MODIFICATIONS_DEMANDEES): _admin,
    (_H.MODIFICATIONS_DEMANDEES, _H.ACCEPTEE): _admin,
    (_H.MODIFICATIONS_DEMANDEES, _H.REFUSEE): _admin,
    # The structure corrects its request.
    (_H.MODIFICATIONS_DEMANDEES, _H.DEMANDEE): _structure,
    # Once accepted, the structure asks for more domains (again, to change its ask)...
    (_H.ACCEPTEE, _H.EXTENSION_DEMANDEE): _structure,
    (_H.EXTENSION_DEMANDEE, _H.EXTENSION_DEMANDEE): _structure,
    # ...which the administration settles, or the structure withdraws.
    (_H.EXTENSION_DEMANDEE, _H.ACCEPTEE): _admin_or_structure,
}
HABILITATION_LABELS = {
    (_H.DEMANDEE, _H.ACCEPTEE): "Habilitation accordée",
    (_H.MODIFICATIONS_DEMANDEES, _H.ACCEPTEE): "Habilitation accordée",
    _H.REFUSEE: "Habilitation refusée",
    _H.MODIFICATIONS_DEMANDEES: "Modifications demandées à la structure",
    _H.DEMANDEE: "Demande corrigée par la structure",
    _H.EXTENSION_DEMANDEE: "Nouveaux domaines demandés",
    (_H.EXTENSION_DEMANDEE, _H.ACCEPTEE): "Demande de nouveaux domaines traitée",
}


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

    workflow = Workflow(transitions=HABILITATION_TRANSITIONS, labels=HABILITATION_LABELS)

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
    # Set when a training organisation (or the administration) records the aidant's presence at
    # a training session: no mandate before (docs/aidants-connect.md#formation).
    attendance_recorded_at = models.DateTimeField(
        "présence à la formation constatée le", null=True, blank=True
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

    @property
    def attended_training(self):
        return self.attendance_recorded_at is not None

    @property
    def is_habilitated(self):
        """May create mandates (with a confirmed second factor): validated and trained."""
        return self.is_validated and self.attended_training
