"""Documents issued as PDF: what the public check page answers for a verification code."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cnum.documents import codes
from cnum.documents.enums import DocumentKind


class IssuedDocument(models.Model):
    """One PDF handed out. The PDF itself is not kept: its SHA-256 proves a copy unaltered."""

    code = models.CharField("code de vérification", max_length=codes.LENGTH, unique=True)
    kind = models.CharField("type", max_length=40, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    # What the document is about, without personal data beyond what the document shows.
    subject = models.CharField("objet", max_length=300, blank=True)
    issued_at = models.DateTimeField("délivré le", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="délivré à la demande de",
    )
    # Role and organisation of the issuer when issued, shown on the public check page (never
    # a name or contact): it stays true when the account later changes or disappears.
    issuer_label = models.CharField("émetteur", max_length=300)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revocation_reason = models.CharField("motif de la révocation", max_length=500, blank=True)

    class Meta:
        verbose_name = "document délivré"
        verbose_name_plural = "documents délivrés"
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revocation_reason=""),
                name="documents_revocation_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.display_code})"

    @property
    def display_code(self):
        return codes.grouped(self.code)

    @property
    def is_revoked(self):
        return self.revoked_at is not None
