from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.models import Device

from cnum.accounts.roles import ROLE_ORGANISATION_KIND, ROLES_REQUIRING_2FA, OrganisationKind, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, email_confirmed_at=timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField("adresse confirmée le", null=True, blank=True)
    # Set when the administration resets a lost second factor: a new one is enrolled at the
    # next login, whatever the roles.
    must_enrol_2fa = models.BooleanField("doit activer la double authentification", default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            # Stored lower-cased so the plain unique index is also case-insensitive.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lower")
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    @property
    def roles(self):
        """Set of the user's active roles, computed once per request."""
        if not hasattr(self, "_roles_cache"):
            self._roles_cache = frozenset(
                self.memberships.filter(is_active=True).values_list("role", flat=True)
            )
        return self._roles_cache

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def requires_2fa(self):
        return bool(self.roles & ROLES_REQUIRING_2FA)


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organisations a user may see: all for national roles, own and territory otherwise."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATEUR, Role.OPERATEUR_FINANCIER):
            return self
        memberships = user.memberships.filter(is_active=True)
        visible = Q(memberships__in=memberships)
        prefectures = memberships.filter(role=Role.PREFET).values_list(
            "organisation__departement", "organisation__region"
        )
        for departement, region in prefectures:
            visible |= Q(departement=departement) if departement else Q(departement__region=region)
        return self.filter(visible).distinct()


class Organisation(models.Model):
    """Any body a user acts for. Domain apps extend it (a structure is an organisation)."""

    kind = models.CharField("type", max_length=30, choices=OrganisationKind.choices)
    name = models.CharField("nom", max_length=255)
    # Where it is; for a préfecture, the territory it covers (département, or région alone).
    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, null=True, blank=True
    )
    region = models.ForeignKey(
        "territories.Region", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.PREFECTURE)
                | Q(departement__isnull=False)
                | Q(region__isnull=False),
                name="prefecture_has_territory",
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A role held by a user, in an organisation (except candidates, who act for themselves)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rôle"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="membership_unique_in_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(organisation__isnull=True),
                name="membership_unique_without_organisation",
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.CANDIDAT) & Q(organisation__isnull=True))
                | (~Q(role=Role.CANDIDAT) & Q(organisation__isnull=False)),
                name="membership_organisation_matches_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"

    def clean(self):
        expected = ROLE_ORGANISATION_KIND[self.role]
        if expected and self.organisation and self.organisation.kind != expected:
            raise ValidationError("Ce rôle ne s'exerce pas dans ce type d'organisation.")


class AccountEvent(models.TextChoices):
    INVITED = "invitation", "Invitation envoyée"
    INVITATION_RESENT = "invitation_renvoyee", "Invitation renvoyée"
    GRANTED = "attribution", "Rôle attribué"
    CHANGED = "modification", "Périmètre modifié"
    REVOKED = "retrait", "Rôle retiré"
    DEACTIVATED = "desactivation", "Compte désactivé"
    REACTIVATED = "reactivation", "Compte réactivé"
    SECOND_FACTOR_RESET = "reinitialisation_2fa", "Double authentification réinitialisée"
    IMPERSONATION_STARTED = "connexion_en_tant_que", "Connexion en tant que (début)"
    IMPERSONATION_ENDED = "fin_connexion_en_tant_que", "Connexion en tant que (fin)"
    PROCONNECT_LINKED = "proconnect_lie", "Compte lié à ProConnect"


class AccountLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Le journal des comptes ne se modifie pas.")

    def delete(self):
        raise TypeError("Le journal des comptes ne s'efface pas.")


class AccountLog(models.Model):
    """Append-only history of an account: who did what to it, when, and what changed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_log")
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now, db_index=True)
    event = models.CharField("événement", max_length=30, choices=AccountEvent.choices)
    role = models.CharField("rôle", max_length=30, choices=Role.choices, blank=True)
    # Membership as it was before and after the event (role, organisation, scope, active).
    before = models.JSONField("avant", null=True, blank=True)
    after = models.JSONField("après", null=True, blank=True)
    reason = models.TextField("motif", blank=True)

    objects = AccountLogQuerySet.as_manager()

    class Meta:
        verbose_name = "événement de compte"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} — {self.get_event_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Le journal des comptes ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Le journal des comptes ne s'efface pas.")


class ProConnectIdentity(models.Model):
    """The ProConnect identity (`sub`) an agent confirmed as theirs: later logins use it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="proconnect")
    sub = models.CharField(max_length=255, unique=True)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "identité ProConnect"

    def __str__(self):
        return f"{self.user} — ProConnect"


class ProConnectDevice(Device):
    """ProConnect's own second factor, when the provider says it checked one (see
    cnum/accounts/proconnect.py): bound to the session at login like a TOTP device, it never
    accepts a typed code."""

    class Meta:
        verbose_name = "second facteur ProConnect"

    def verify_token(self, token):
        return False
