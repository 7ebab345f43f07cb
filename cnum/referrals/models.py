"""Referrals ("orientations", docs/orientations.md): a conseiller sends a person's need to a
place of the directory or a structure of the platform, which answers through a signed link."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cnum.activity.enums import StructureKind, Thematique
from cnum.referrals import transitions
from cnum.referrals.enums import ReceiverType, RefusalReason, Status
from cnum.structures.models import Structure
from cnum.workflow.engine import Workflow


class ReferralQuerySet(models.QuerySet):
    def sent_by(self, user):
        return self.filter(conseiller=user)

    def received_by(self, user):
        """Referrals to the structures `user` manages (and to their places)."""
        return self.filter(receiving_structure__in=Structure.objects.managed_by(user).values("pk"))


class Referral(models.Model):
    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    # The sender's structure and its département, when sent: the scopes of the statistics.
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cra = models.ForeignKey(
        "activity.Cra", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receiver_type = models.CharField("destinataire", max_length=10, choices=ReceiverType.choices)
    receiving_place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For a place, its structure: its managers see the referral in their space.
    receiving_structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="referrals_received"
    )
    receiver_kind = models.CharField(
        "type de structure", max_length=40, choices=StructureKind.choices
    )
    already_done = models.TextField("ce qui a déjà été fait", blank=True)
    consent = models.BooleanField(
        "la personne accepte que ses coordonnées soient transmises", default=False
    )
    contact_name = models.CharField("nom de la personne", max_length=200, blank=True)
    contact_phone = models.CharField("téléphone", max_length=25, blank=True)
    contact_email = models.EmailField("adresse électronique", blank=True)
    status = models.CharField(
        "statut", max_length=25, choices=Status.choices, default=Status.ENVOYEE
    )
    refusal_reason = models.CharField(
        "motif du refus", max_length=20, choices=RefusalReason.choices, blank=True
    )
    # Regenerated on each send: only the latest link opens the referral.
    link_key = models.CharField(max_length=32, default="", blank=True)
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    sent_at = models.DateTimeField("dernier envoi le")
    reminded_at = models.DateTimeField("relancée le", null=True, blank=True)
    ended_at = models.DateTimeField("terminée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    objects = ReferralQuerySet.as_manager()
    workflow = Workflow(
        transitions=transitions.TRANSITIONS,
        labels=transitions.LABELS,
        on_commit=transitions.notify,
    )

    class Meta:
        verbose_name = "orientation"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["conseiller", "-created_at"], name="referral_conseiller"),
            models.Index(fields=["receiving_structure", "-created_at"], name="referral_receiver"),
            models.Index(fields=["departement", "created_at"], name="referral_departement"),
            models.Index(fields=["structure", "created_at"], name="referral_structure"),
            # The daily job reads only the referrals still waiting for an answer.
            models.Index(
                fields=["sent_at"], name="referral_waiting", condition=Q(status=Status.ENVOYEE)
            ),
            models.Index(
                fields=["ended_at"],
                name="referral_to_anonymise",
                condition=Q(anonymised_at__isnull=True, ended_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=True) | Q(contact_name="", contact_phone="", contact_email=""),
                name="referral_contact_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(receiver_type=ReceiverType.LIEU) | Q(receiving_place__isnull=False),
                name="referral_place_required",
            ),
        ]

    def __str__(self):
        return f"Orientation n° {self.pk} vers {self.receiver_name}"

    @property
    def receiver_name(self):
        if self.receiver_type == ReceiverType.LIEU and self.receiving_place_id:
            return self.receiving_place.nom
        return self.receiving_structure.name

    @property
    def theme_labels(self):
        labels = dict(Thematique.choices)
        return [labels.get(t.theme, t.theme) for t in self.themes.all()]

    @property
    def has_contact(self):
        return bool(self.contact_name or self.contact_phone or self.contact_email)


class ReferralTheme(models.Model):
    """One need of a referral (a row per theme: the statistics group by it)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=60, choices=Thematique.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "theme"], name="referral_theme_unique")
        ]
        indexes = [models.Index(fields=["theme", "referral"], name="referral_theme")]

    def __str__(self):
        return self.get_theme_display()


def attachment_upload_to(instance, filename):
    # No name of the person on disk: a random name, ciphertext only.
    return f"orientations/{uuid.uuid4().hex}.bin"


class ReferralAttachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("pièce jointe chiffrée", upload_to=attachment_upload_to)
    name = models.CharField("nom du fichier", max_length=200)
    size = models.PositiveIntegerField("taille (octets)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ReferralReveal(models.Model):
    """Who opened a referral's personal data on the receiving side, and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reveals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    via_link = models.BooleanField("par le lien du courriel", default=False)
    what = models.CharField("donnée consultée", max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.what} ({self.at:%d/%m/%Y})"
