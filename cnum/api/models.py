import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX_LENGTH = 8


class Scope(models.TextChoices):
    """What a machine client may do; each endpoint that needs a token names its scope."""

    REFERENTIEL = "referentiel", "Lecture du référentiel et de l'identité du jeton"
    ACTIVITE = "activite", "Lecture des activités sans données personnelles"
    STATISTIQUES = "statistiques", "Lecture des statistiques d'activité par territoire"
    STRUCTURES = "structures", "Lecture des structures, postes et conseillers (champs publics)"


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def authenticate(self, key):
        """The usable token for a presented key, or None. Only the hash is ever stored."""
        if not key or len(key) < TOKEN_PREFIX_LENGTH:
            return None
        candidates = self.usable().filter(prefix=key[:TOKEN_PREFIX_LENGTH])
        digest = hash_key(key)
        return next((t for t in candidates if secrets.compare_digest(t.key_hash, digest)), None)


class ApiToken(models.Model):
    name = models.CharField("nom du client", max_length=100)
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField("portées", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, name, scopes, created_by, expires_at=None):
        """Create a token; the clear key is returned once and never stored."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            name=name,
            prefix=key[:TOKEN_PREFIX_LENGTH],
            key_hash=hash_key(key),
            scopes=sorted(scopes),
            created_by=created_by,
            expires_at=expires_at,
        )
        return token, key

    @property
    def status(self):
        """French label of the token's state, for the administration pages."""
        if self.revoked_at:
            return "Révoqué"
        if self.expires_at and self.expires_at <= timezone.now():
            return "Expiré"
        return "Actif"

    @property
    def scope_labels(self):
        labels = dict(Scope.choices)
        return [labels.get(scope, scope) for scope in self.scopes]

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
