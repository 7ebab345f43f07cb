"""Training organisations, their sessions, and each conseiller's enrolment
(docs/domaine.md#formation)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from cnum.accounts.models import Organisation
from cnum.accounts.roles import OrganisationKind, Role
from cnum.structures.siret import validate_siret
from cnum.training import transitions
from cnum.training.enums import (
    EARLIEST_TRAINING_END,
    HOLDING_SEAT,
    OPEN,
    CertificationResult,
    CertificationType,
    EnrolmentStatus,
    SessionFormat,
)
from cnum.workflow.engine import Workflow


class TrainingOrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The administration sees them all; a member sees the organisations they belong to."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATEUR):
            return self
        return self.filter(
            memberships__user=user,
            memberships__role=Role.ORGANISME_FORMATION,
            memberships__is_active=True,
        ).distinct()


class TrainingOrganisation(Organisation):
    """A habilitated training organisation. Its Organisation row carries name and territory."""

    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField("nom du contact", max_length=200)
    contact_email = models.EmailField("adresse électronique du contact")
    contact_phone = models.CharField("téléphone du contact", max_length=20)
    capacity = models.PositiveIntegerField(
        "capacité d'accueil",
        help_text="Nombre de stagiaires que l'organisme peut former en même temps",
        validators=[MinValueValidator(1)],
    )
    is_habilitated = models.BooleanField("habilité", default=True)

    objects = TrainingOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        ordering = ["organisation_ptr__name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_org_capacity")
        ]

    def save(self, *args, **kwargs):
        self.kind = OrganisationKind.ORGANISME_FORMATION
        if self.commune_id:
            # Département and région from the commune's INSEE reference, never a postal code.
            self.departement_id = self.commune.departement_id
            self.region_id = self.commune.departement.region_id
        super().save(*args, **kwargs)

    def members(self):
        return self.memberships.filter(role=Role.ORGANISME_FORMATION, is_active=True)

    def member_emails(self):
        return list(self.members().values_list("user__email", flat=True))


class TrainingSessionQuerySet(models.QuerySet):
    def with_seats(self):
        # A correlated subquery rather than a join + GROUP BY over every selected column.
        taken = (
            Enrolment.objects.filter(session=OuterRef("pk"), status__in=HOLDING_SEAT)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(seats_taken=Coalesce(Subquery(taken), 0))

    def with_free_seats(self):
        return self.with_seats().filter(seats_taken__lt=F("capacity"))


class TrainingSession(models.Model):
    """About four months of initial training, in a place or remote, for `capacity` trainees."""

    organisation = models.ForeignKey(
        TrainingOrganisation, on_delete=models.PROTECT, related_name="sessions"
    )
    name = models.CharField("intitulé", max_length=200)
    start_date = models.DateField("début")
    end_date = models.DateField("fin")
    format = models.CharField("format", max_length=12, choices=SessionFormat.choices)
    address = models.CharField("lieu", max_length=255, blank=True)
    # Where the sessions takes place; null only for remote sessions.
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session de formation"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="training_session_dates"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_capacity"),
            models.CheckConstraint(
                condition=Q(format=SessionFormat.DISTANCIEL) | Q(commune__isnull=False),
                name="training_session_place",
            ),
        ]
        indexes = [models.Index(fields=["end_date", "start_date"], name="training_session_open")]

    def __str__(self):
        return f"{self.name} ({self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y})"

    def free_seats(self):
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = self.enrolments.filter(status__in=HOLDING_SEAT).count()
        return max(self.capacity - taken, 0)


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administration: all; training organisation: its trainees; structure: its conseillers."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATEUR):
            return self
        memberships = user.memberships.filter(
            is_active=True, role__in=[Role.ORGANISME_FORMATION, Role.GESTIONNAIRE_STRUCTURE]
        )
        organisations = memberships.filter(role=Role.ORGANISME_FORMATION).values("organisation")
        structures = memberships.filter(role=Role.GESTIONNAIRE_STRUCTURE).values("organisation")
        return self.filter(Q(organisation__in=organisations) | Q(structure__in=structures))

    def current(self):
        return self.exclude(status=EnrolmentStatus.ANNULEE)


def percent_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(100)]
    )


class Enrolment(models.Model):
    """A conseiller's training in an organisation (in one of its sessions, except for imported
    history), with its positioning, dates, attendance and certification."""

    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_enrolments"
    )
    # The employer when enrolled: its managers follow the training.
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="training_enrolments"
    )
    organisation = models.ForeignKey(
        TrainingOrganisation, on_delete=models.PROTECT, related_name="enrolments"
    )
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(
        "état", max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.INSCRITE
    )
    pix_level = models.PositiveSmallIntegerField(
        "positionnement Pix (niveau)",
        null=True,
        blank=True,
        choices=[(1, "Niveau 1"), (2, "Niveau 2"), (3, "Niveau 3")],
    )
    pix_score = models.PositiveSmallIntegerField(
        "positionnement Pix (score)", null=True, blank=True, validators=[MaxValueValidator(1024)]
    )
    started_on = models.DateField("prise de poste (entrée en formation)", null=True, blank=True)
    attendance_percent = percent_field("assiduité (%)")
    progress_percent = percent_field("avancement du parcours (%)")
    ended_on = models.DateField("fin de formation", null=True, blank=True)
    certification_type = models.CharField(
        "certification", max_length=4, choices=CertificationType.choices, blank=True
    )
    certification_result = models.CharField(
        "résultat", max_length=12, choices=CertificationResult.choices, blank=True
    )
    certified_on = models.DateField("date de certification", null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()
    workflow = Workflow(
        transitions=transitions.ENROLMENT_TRANSITIONS, on_commit=transitions.notify_conseiller
    )

    class Meta:
        verbose_name = "inscription en formation"
        verbose_name_plural = "inscriptions en formation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conseiller"],
                condition=Q(status__in=OPEN),
                name="training_one_open_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=EARLIEST_TRAINING_END),
                name="training_end_not_before_programme",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="training_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.TERMINEE) | Q(ended_on__isnull=False),
                name="training_finished_has_end",
            ),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.INSCRITE)
                | Q(status=EnrolmentStatus.ANNULEE)
                | Q(started_on__isnull=False),
                name="training_started_has_start",
            ),
            models.CheckConstraint(
                condition=Q(certification_type="", certification_result="")
                | (~Q(certification_type="") & ~Q(certification_result="")),
                name="training_certification_complete",
            ),
            models.CheckConstraint(
                condition=Q(certification_result__in=["", CertificationResult.EN_ATTENTE])
                | Q(certified_on__isnull=False),
                name="training_certification_dated",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": 100}),
                    name=f"training_{name}",
                )
                for name in ("attendance_percent", "progress_percent")
            ),
            models.CheckConstraint(
                condition=Q(pix_level__isnull=True) | Q(pix_level__gte=1, pix_level__lte=3),
                name="training_pix_level",
            ),
        ]

    def __str__(self):
        return f"{self.conseiller} — {self.organisation}"
