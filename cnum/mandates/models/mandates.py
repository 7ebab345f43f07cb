"""Usagers, mandates and their per-domain authorisations, and the retention policy."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cnum.mandates.domains import Domain, Duration, IdentityMethod
from cnum.mandates.mentions import Language

HIDDEN_AFTER = datetime.timedelta(days=365)


class UsagerQuerySet(models.QuerySet):
    def visible_to(self, user):
        from cnum.mandates.policies import aidant_structure_ids

        return self.filter(organisation_id__in=aidant_structure_ids(user))


class Usager(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="usagers"
    )
    given_names = models.CharField("prénoms", max_length=150)
    family_name = models.CharField("nom de naissance", max_length=150)
    birth_date = models.DateField("date de naissance")
    birth_place = models.CharField("lieu de naissance", max_length=150)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    # FranceConnect only: the provider's stable pseudonymous identifier, the usage name and the
    # gender as FranceConnect gives them (empty when the identity was entered by the aidant).
    franceconnect_sub = models.CharField("identifiant FranceConnect", max_length=255, blank=True)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    gender = models.CharField("genre", max_length=20, blank=True)
    identity_method = models.CharField(
        "identité établie par", max_length=30, choices=IdentityMethod.choices
    )
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    identity_checked_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UsagerQuerySet.as_manager()

    class Meta:
        verbose_name = "usager"
        ordering = ["family_name", "given_names", "pk"]
        constraints = [
            # One usager per FranceConnect identity in a structure: a second login finds them.
            models.UniqueConstraint(
                fields=["organisation", "franceconnect_sub"],
                condition=~Q(franceconnect_sub=""),
                name="usager_unique_franceconnect_sub",
            ),
        ]

    def __str__(self):
        return f"{self.given_names} {self.family_name}"


class MandateQuerySet(models.QuerySet):
    def visible_to(self, user):
        from cnum.mandates.policies import aidant_structure_ids

        return self.filter(organisation_id__in=aidant_structure_ids(user))

    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def expired(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__lte=now)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def of_franceconnect_identity(self, sub):
        """Every mandate given by the person FranceConnect knows as `sub`, in any structure
        (docs/aidants-connect.md#espace-usager). An empty `sub` matches nothing."""
        if not sub:
            return self.none()
        return self.filter(usager__franceconnect_sub=sub)

    def not_hidden(self, now=None):
        """Expired or revoked mandates disappear from lists a year after they ended."""
        limit = (now or timezone.now()) - HIDDEN_AFTER
        return self.exclude(Q(revoked_at__lt=limit) | Q(expires_at__lt=limit))


class Mandate(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="mandates"
    )
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="mandates")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    duration_days = models.PositiveSmallIntegerField("durée", choices=Duration.choices)
    consent_given_at = models.DateTimeField("consentement recueilli le")
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    renewed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The language the usager read the mentions in; the attestation is printed in it too.
    language = models.CharField(
        "langue des mentions", max_length=2, choices=Language.choices, default=Language.FR
    )

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = "mandat"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_days__in=Duration.values), name="mandate_duration_allowed"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="mandate_expires_after_creation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "expires_at"])]

    def __str__(self):
        return f"Mandat n° {self.pk} — {self.usager}"

    @property
    def status(self):
        if self.revoked_at:
            return "revoque"
        return "actif" if self.expires_at > timezone.now() else "expire"

    @property
    def status_label(self):
        return {"revoque": "Révoqué", "actif": "Actif", "expire": "Expiré"}[self.status]

    @property
    def is_active(self):
        return self.status == "actif"


class AuthorisationQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(
            revoked_at__isnull=True, mandate__revoked_at__isnull=True, mandate__expires_at__gt=now
        )


class Authorisation(models.Model):
    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="authorisations")
    domain = models.CharField("domaine", max_length=20, choices=Domain.choices)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = "autorisation"
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "domain"], name="authorisation_unique"),
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values), name="authorisation_domain_allowed"
            ),
        ]

    def __str__(self):
        return self.get_domain_display()


class RetentionPolicy(models.Model):
    """Singleton (pk=1) set by the administration: how long ended mandates are kept."""

    MINIMUM_DAYS = 365
    MAXIMUM_DAYS = 3650  # ten years: beyond, dates overflow and nothing is ever purged
    BOUNDS_MESSAGE = (
        "Les mandats sont conservés au moins un an (365 jours) et au plus dix ans (3650 jours)."
    )

    days_after_end = models.PositiveIntegerField(
        "durée de conservation après la fin du mandat (jours)",
        default=5 * 365,
        validators=[
            MinValueValidator(MINIMUM_DAYS, BOUNDS_MESSAGE),
            MaxValueValidator(MAXIMUM_DAYS, BOUNDS_MESSAGE),
        ],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "politique de conservation"
        constraints = [
            models.CheckConstraint(
                condition=Q(days_after_end__gte=365), name="retention_at_least_one_year"
            ),
            models.CheckConstraint(
                condition=Q(days_after_end__lte=3650), name="retention_at_most_ten_years"
            ),
        ]

    def __str__(self):
        return f"Conservation : {self.days_after_end} jours"

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]
