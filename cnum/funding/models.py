"""Public money: envelopes, the funding grid, the double-entry ledger, conventions, payments, kits.

Amounts are integer cents (BigIntegerField): exact, summable in SQL, never float.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cnum.funding import transitions
from cnum.funding.enums import (
    ConventionStatus,
    DossierPhase,
    DossierStatus,
    EntryKind,
    EnvelopePurpose,
    HostCategory,
    KitStatus,
    PaymentStatus,
)
from cnum.workflow.engine import Workflow

# Envelopes and grid


class Envelope(models.Model):
    """A hard ceiling of public money. The two cached totals are checked against the ledger."""

    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=200)
    purpose = models.CharField("destination", max_length=20, choices=EnvelopePurpose.choices)
    ceiling_cents = models.BigIntegerField("plafond (centimes)")
    # New commitments of a purpose go to its latest open envelope (later programme phases).
    opens_on = models.DateField("ouverte le", default=timezone.localdate)
    is_open = models.BooleanField("ouverte aux nouveaux engagements", default=True)
    committed_cents = models.BigIntegerField("engagé (centimes)", default=0)
    paid_cents = models.BigIntegerField("versé (centimes)", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "enveloppe"
        ordering = ["purpose", "opens_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ceiling_cents__gt=0), name="envelope_ceiling_pos"),
            models.CheckConstraint(condition=Q(paid_cents__gte=0), name="envelope_paid_pos"),
            models.CheckConstraint(
                condition=Q(paid_cents__lte=F("committed_cents")), name="envelope_paid_le_committed"
            ),
            models.CheckConstraint(
                condition=Q(committed_cents__lte=F("ceiling_cents")),
                name="envelope_within_ceiling",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def remaining_cents(self):
        return self.ceiling_cents - self.committed_cents


class GridVersionQuerySet(models.QuerySet):
    def effective_on(self, day):
        return self.filter(effective_from__lte=day).order_by("-effective_from").first()


class GridVersion(models.Model):
    """The state's funding grid from a date on, with the per-conseiller state costs."""

    name = models.CharField("nom", max_length=200)
    effective_from = models.DateField("en vigueur à partir du", unique=True)
    training_cents = models.BigIntegerField("formation par conseiller (centimes)")
    equipment_cents = models.BigIntegerField("équipement par conseiller (centimes)")
    certification_cents = models.BigIntegerField("certification par conseiller (centimes)")
    target_cents = models.BigIntegerField("coût cible par conseiller (centimes)")
    subsidy_months = models.PositiveSmallIntegerField("durée de la subvention (mois)", default=24)

    objects = GridVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version de la grille de financement"
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(subsidy_months__gte=1), name="grid_months_pos")
        ]

    def __str__(self):
        return self.name

    @property
    def state_costs_cents(self):
        return self.training_cents + self.equipment_cents + self.certification_cents


class GridAmount(models.Model):
    version = models.ForeignKey(GridVersion, on_delete=models.CASCADE, related_name="amounts")
    category = models.CharField("catégorie", max_length=20, choices=HostCategory.choices)
    amount_cents = models.BigIntegerField("subvention par poste (centimes)")

    class Meta:
        verbose_name = "montant de la grille"
        ordering = ["version", "category"]
        constraints = [
            models.UniqueConstraint(fields=["version", "category"], name="grid_amount_unique"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="grid_amount_pos"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} : {self.amount_cents} c"


class InstalmentRule(models.Model):
    """A line of the payment schedule: a share of the commitment, due N months after validation."""

    version = models.ForeignKey(GridVersion, on_delete=models.CASCADE, related_name="instalments")
    rank = models.PositiveSmallIntegerField("rang")
    label = models.CharField("libellé", max_length=100)
    share_bp = models.PositiveSmallIntegerField(
        "part (points de base)", validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    months_after = models.PositiveSmallIntegerField("exigible après (mois)")

    class Meta:
        verbose_name = "échéance de versement"
        ordering = ["version", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["version", "rank"], name="instalment_unique_rank"),
            models.CheckConstraint(
                condition=Q(share_bp__gte=1, share_bp__lte=10000), name="instalment_share_range"
            ),
        ]

    def __str__(self):
        return self.label


# Ledger


class ImmutableEntry(Exception):
    """Ledger rows are never changed nor removed: correct with a compensating row."""


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry("Une écriture comptable ne se modifie pas.")

    def delete(self):
        raise ImmutableEntry("Une écriture comptable ne se supprime pas.")


class LedgerEntry(models.Model):
    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="entries")
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField("mouvement", max_length=15, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField("montant (centimes)")
    # Null only for movements made by the platform itself.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now)
    reason = models.CharField("motif", max_length=500)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = "écriture comptable"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="ledger_amount_positive")
        ]
        indexes = [
            models.Index(fields=["structure", "envelope", "kind"], name="ledger_structure"),
            models.Index(fields=["envelope", "kind"], name="ledger_envelope"),
            models.Index(fields=["at"], name="ledger_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_cents} c"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry("Une écriture comptable ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("Une écriture comptable ne se supprime pas.")


class StructureBalance(models.Model):
    """Cached balance of one structure on one envelope, moved with each row (checked by verify).

    Its constraint is the per-structure rule in the database too: never paid above committed.
    """

    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="balances")
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="funding_balances"
    )
    committed_cents = models.BigIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "solde d'une structure"
        constraints = [
            models.UniqueConstraint(fields=["envelope", "structure"], name="one_balance_per_pair"),
            models.CheckConstraint(condition=Q(paid_cents__gte=0), name="balance_paid_pos"),
            models.CheckConstraint(
                condition=Q(paid_cents__lte=F("committed_cents")), name="balance_paid_le_committed"
            ),
        ]

    def __str__(self):
        return f"{self.structure_id} / {self.envelope_id}"


class FundedConseiller(models.Model):
    """A validated recruitment: the basis of the per-conseiller cost report and of ruptures."""

    match = models.OneToOneField("matching.Match", on_delete=models.PROTECT, related_name="funding")
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="funded_conseillers"
    )
    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    grid_version = models.ForeignKey(GridVersion, on_delete=models.PROTECT, related_name="+")
    subsidy_cents = models.BigIntegerField("subvention du poste (centimes)")
    started_on = models.DateField("prise en charge le")
    ended_on = models.DateField("rupture le", null=True, blank=True)

    class Meta:
        verbose_name = "conseiller financé"
        ordering = ["structure", "started_on", "pk"]

    def __str__(self):
        return f"{self.conseiller} — {self.structure}"


# Conventions


class Convention(models.Model):
    structure = models.OneToOneField(
        "structures.Structure", on_delete=models.PROTECT, related_name="convention"
    )
    status = models.CharField(
        "statut",
        max_length=30,
        choices=ConventionStatus.choices,
        default=ConventionStatus.NON_INTERESSE,
        db_index=True,
    )
    # The payment schedule counts from the first validation.
    validated_on = models.DateField("validée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    workflow = Workflow(
        transitions=transitions.CONVENTION_TRANSITIONS, effects=transitions.CONVENTION_EFFECTS
    )

    class Meta:
        verbose_name = "convention"

    def __str__(self):
        return f"Convention de {self.structure}"


class Dossier(models.Model):
    """The documents of a (re)convention, examined by the funding operator."""

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="dossiers")
    phase = models.CharField("phase", max_length=15, choices=DossierPhase.choices)
    status = models.CharField(
        "état", max_length=15, choices=DossierStatus.choices, default=DossierStatus.BROUILLON
    )
    submitted_at = models.DateTimeField("déposé le", null=True, blank=True)
    operator_message = models.TextField("message de l'opérateur", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    workflow = Workflow(
        transitions=transitions.DOSSIER_TRANSITIONS,
        effects=transitions.DOSSIER_EFFECTS,
        on_commit=transitions.notify_dossier,
    )

    class Meta:
        verbose_name = "dossier de conventionnement"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention"],
                condition=~Q(status__in=[DossierStatus.VALIDE, DossierStatus.REFUSE]),
                name="one_open_dossier_per_convention",
            )
        ]

    def __str__(self):
        return f"{self.get_phase_display()} — {self.convention.structure}"


def document_upload_to(instance, filename):
    # A random name: nothing the uploader chose reaches the file system. The file holds the
    # Fernet ciphertext of the PDF (cnum.funding.documents), hence not a .pdf name.
    return f"funding/dossiers/{uuid.uuid4().hex}.bin"


class Document(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField("fichier", upload_to=document_upload_to)
    original_name = models.CharField("nom d'origine", max_length=120)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pièce du dossier"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class PaymentRequest(models.Model):
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="payment_requests"
    )
    rank = models.PositiveSmallIntegerField("échéance")
    label = models.CharField("libellé", max_length=100)
    amount_cents = models.BigIntegerField("montant (centimes)")
    status = models.CharField(
        "état", max_length=15, choices=PaymentStatus.choices, default=PaymentStatus.DEMANDEE
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    paid_on = models.DateField("versé le", null=True, blank=True)
    reference = models.CharField("référence du virement", max_length=100, blank=True)

    workflow = Workflow(
        transitions=transitions.PAYMENT_TRANSITIONS, on_commit=transitions.notify_payment
    )

    class Meta:
        verbose_name = "demande de versement"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_pos"),
            models.UniqueConstraint(
                fields=["structure", "rank"],
                condition=~Q(status__in=[PaymentStatus.REFUSEE, PaymentStatus.ANNULEE]),
                name="one_live_request_per_instalment",
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.VERSEE)
                | (Q(paid_on__isnull=False) & ~Q(reference="")),
                name="paid_request_has_date_and_reference",
            ),
        ]

    def __str__(self):
        return f"{self.label} — {self.structure}"


# Mediation kits


class KitType(models.Model):
    name = models.CharField("nom", max_length=150, unique=True)
    contents = models.TextField("contenu", validators=[MaxLengthValidator(2000)])
    unit_cost_cents = models.BigIntegerField("coût unitaire (centimes)")
    is_active = models.BooleanField("proposé aux structures", default=True)

    class Meta:
        verbose_name = "type de kit"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_cost_cents__gt=0), name="kit_cost_pos")
        ]

    def __str__(self):
        return self.name


class KitRequest(models.Model):
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="kit_requests"
    )
    kit_type = models.ForeignKey(KitType, on_delete=models.PROTECT, related_name="requests")
    quantity = models.PositiveSmallIntegerField(
        "quantité", validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    place_name = models.CharField("lieu équipé", max_length=200)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    justification = models.TextField("justification", validators=[MaxLengthValidator(2000)])
    # Unit cost × quantity when asked: a later price change does not alter the request.
    cost_cents = models.BigIntegerField("coût (centimes)")
    status = models.CharField(
        "état", max_length=15, choices=KitStatus.choices, default=KitStatus.DEMANDEE
    )
    decision_reason = models.TextField("motif de la décision", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)

    workflow = Workflow(
        transitions=transitions.KIT_TRANSITIONS,
        effects=transitions.KIT_EFFECTS,
        on_commit=transitions.notify_kit,
    )

    class Meta:
        verbose_name = "demande de kit"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=20), name="kit_quantity_range"
            ),
            models.CheckConstraint(condition=Q(cost_cents__gt=0), name="kit_request_cost_pos"),
        ]

    def __str__(self):
        return f"{self.kit_type} × {self.quantity} — {self.structure}"
