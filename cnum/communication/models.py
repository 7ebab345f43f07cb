"""Talking to the network (docs/communication.md): mailings, banners, resources, FAQ, welcome."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q

from cnum.accounts.roles import Role
from cnum.communication import transitions
from cnum.workflow.engine import Workflow


class Target(models.Model):
    """Who a mailing or a banner is for: roles × territory (départements, régions); no
    territory means the whole country. Resolved from active memberships when used."""

    roles = models.JSONField("rôles destinataires", default=list)
    departements = models.ManyToManyField(
        "territories.Departement", blank=True, related_name="+", verbose_name="départements"
    )
    regions = models.ManyToManyField(
        "territories.Region", blank=True, related_name="+", verbose_name="régions"
    )

    class Meta:
        abstract = True

    def roles_display(self):
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(role, role)) for role in self.roles)


class MailingKind(models.TextChoices):
    INFORMATION = "information", "Information (désabonnement possible)"
    OBLIGATOIRE = "obligatoire", "Obligatoire (envoyée à tous les destinataires)"


class MailingStatus(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    EN_COURS = "en_cours", "Envoi en cours"
    ENVOYE = "envoye", "Envoyé"


class Mailing(Target):
    """A mail written by the administration to a segment of the network
    (docs/communication.md#courriels-groupes)."""

    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message", validators=[MaxLengthValidator(20000)])
    kind = models.CharField(
        "nature", max_length=20, choices=MailingKind.choices, default=MailingKind.INFORMATION
    )
    # Empty: every structure, in a network or not.
    networks = models.ManyToManyField(
        "structures.Network", blank=True, related_name="+", verbose_name="grands réseaux"
    )
    team_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="équipe du coordinateur",
    )
    status = models.CharField(
        "statut", max_length=20, choices=MailingStatus.choices, default=MailingStatus.BROUILLON
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("envoi lancé le", null=True, blank=True)

    workflow = Workflow(
        transitions=transitions.MAILING_TRANSITIONS,
        labels=transitions.MAILING_LABELS,
        on_commit=transitions.after_mailing_move,
    )

    class Meta:
        verbose_name = "courriel groupé"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def is_information(self):
        return self.kind == MailingKind.INFORMATION


class DeliveryOutcome(models.TextChoices):
    # Not a lifecycle decided by anyone: the send's own bookkeeping, written by the task only.
    PENDING = "attente", "En attente"
    SENDING = "envoi", "Envoi commencé (état incertain)"
    SENT = "envoye", "Envoyé"
    FAILED = "echec", "Échec"


class Delivery(models.Model):
    """One recipient of a mailing: created when the send starts, claimed before the mail leaves
    so a restarted worker never sends it again (docs/communication.md#une-seule-fois)."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField("adresse")
    outcome = models.CharField(
        "état", max_length=10, choices=DeliveryOutcome.choices, default=DeliveryOutcome.PENDING
    )
    error = models.CharField("erreur", max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "envoi"
        constraints = [
            models.UniqueConstraint(fields=["mailing", "user"], name="delivery_once_per_user")
        ]
        indexes = [models.Index(fields=["mailing", "outcome"], name="delivery_mailing_outcome")]

    def __str__(self):
        return f"{self.email} ({self.get_outcome_display()})"


class Preference(models.Model):
    """A user's choice about information mailings (obligatory ones always reach them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="communication_preference"
    )
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True)

    class Meta:
        verbose_name = "préférence de communication"

    def __str__(self):
        return f"{self.user} : {'désabonné' if self.unsubscribed_at else 'abonné'}"


class AnnouncementLevel(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Avertissement"


class Announcement(Target):
    """A banner at the top of the pages of targeted logged-in users, between two dates."""

    title = models.CharField("titre", max_length=150)
    body = models.TextField("texte", validators=[MaxLengthValidator(1000)])
    level = models.CharField(
        "niveau", max_length=10, choices=AnnouncementLevel.choices, default=AnnouncementLevel.INFO
    )
    link = models.CharField("lien", max_length=300, blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    dismissable = models.BooleanField("peut être masquée", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "annonce"
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="announcement_ends_after"
            )
        ]

    def __str__(self):
        return self.title


class Dismissal(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="dismissal_once")
        ]

    def __str__(self):
        return f"{self.user} a masqué « {self.announcement} »"


class ResourceCategory(models.TextChoices):
    CONVENTION = "convention", "Modèle de convention"
    DELIBERATION = "deliberation", "Modèle de délibération"
    CIRCULAIRE = "circulaire", "Circulaire"
    GUIDE = "guide", "Guide"
    AUTRE = "autre", "Autre document"


slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "L'identifiant ne contient que des minuscules sans accent, des chiffres et des tirets.",
)


class Resource(models.Model):
    """A document of the resource centre; its file is its latest version."""

    slug = models.CharField(
        "identifiant",
        max_length=80,
        unique=True,
        validators=[slug_validator],
        help_text="Stable, cité par les pages qui renvoient au document (ex. modele-convention).",
    )
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True, validators=[MaxLengthValidator(2000)])
    category = models.CharField("catégorie", max_length=20, choices=ResourceCategory.choices)
    roles = models.JSONField("rôles concernés", default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ressource"
        ordering = ["category", "title"]

    def __str__(self):
        return self.title

    def latest(self):
        # From the prefetched versions when the list view fetched them.
        return max(self.versions.all(), key=lambda version: version.number, default=None)

    def open_to(self, user):
        return user.has_role(Role.ADMINISTRATEUR, *self.roles)


class ResourceVersion(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    file = models.FileField(upload_to="ressources/")
    original_name = models.CharField("nom du fichier", max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("taille")
    sha256 = models.CharField(max_length=64)
    note = models.CharField("nouveautés", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version de ressource"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_unique")
        ]

    def __str__(self):
        return f"{self.resource} (version {self.number})"


class FaqEntry(models.Model):
    question = models.CharField("question", max_length=300)
    answer = models.TextField("réponse", validators=[MaxLengthValidator(5000)])
    roles = models.JSONField("rôles concernés", default=list, blank=True)
    is_public = models.BooleanField("publique (visible sans connexion)", default=False)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "question fréquente"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.question


class WelcomeStep(models.TextChoices):
    CONSEILLER_J0 = "conseiller_j0", "Conseiller : bienvenue (J0)"
    CONSEILLER_J7 = "conseiller_j7", "Conseiller : premiers pas (J+7)"
    CONSEILLER_J30 = "conseiller_j30", "Conseiller : un mois (J+30)"
    STRUCTURE_J0 = "structure_j0", "Structure : bienvenue (J0)"
    STRUCTURE_J7 = "structure_j7", "Structure : premiers pas (J+7)"
    STRUCTURE_J30 = "structure_j30", "Structure : un mois (J+30)"


class WelcomeSent(models.Model):
    """A step of the welcome sequence sent to a user: the row makes it never twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20, choices=WelcomeStep.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="welcome_once")]

    def __str__(self):
        return f"{self.user} : {self.get_step_display()}"
