"""Partner services (OIDC clients) and what each issued code/token stands for."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from oauth2_provider.models import AccessToken, Application, Grant

from cnum.mandates.domains import Domain


class PartnerService(models.Model):
    """An online service letting an aidant log in as a usager: a django-oauth-toolkit client."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="partner_service"
    )
    # The mandate domains this service handles: the only domain scopes it may ask for.
    domains = models.JSONField("domaines", default=list)
    is_active = models.BooleanField("actif", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "service partenaire"
        verbose_name_plural = "services partenaires"
        ordering = ["application__name", "pk"]

    def __str__(self):
        return self.application.name

    @property
    def name(self):
        return self.application.name

    def domain_labels(self):
        return [Domain(d).label for d in Domain.values if d in self.domains]


class Delegation(models.Model):
    """The aidant, and the authorisation chosen, behind one authorization code and its token.

    The code row is deleted once exchanged; `code_hash` stays so that a replayed code can
    revoke the token it produced.
    """

    service = models.ForeignKey(PartnerService, on_delete=models.CASCADE, related_name="+")
    aidant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Purging a mandate (retention) removes what was delegated under it.
    authorisation = models.ForeignKey(
        "mandates.Authorisation", on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    grant = models.OneToOneField(
        Grant, on_delete=models.SET_NULL, null=True, blank=True, related_name="delegation"
    )
    access_token = models.OneToOneField(
        AccessToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="delegation"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "connexion déléguée"
        constraints = [
            models.CheckConstraint(
                condition=Q(code_hash__regex=r"^[0-9a-f]{64}$"), name="delegation_code_hash_hex"
            ),
        ]

    def __str__(self):
        return f"Connexion déléguée n° {self.pk}"


class PairwiseSubject(models.Model):
    """The `sub` a service sees for a usager: random, stable, different for every service."""

    service = models.ForeignKey(PartnerService, on_delete=models.CASCADE, related_name="+")
    usager = models.ForeignKey("mandates.Usager", on_delete=models.CASCADE, related_name="+")
    subject = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "usager"], name="pairwise_subject_unique")
        ]

    def __str__(self):
        return str(self.subject)
