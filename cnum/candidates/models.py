"""Candidate profiles: who applies to become a conseiller numérique, and the anonymised trace
kept when one leaves (statistics only)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from cnum.accounts.roles import Role

MAX_DISTANCE_CHOICES = [
    (5, "5 km"),
    (10, "10 km"),
    (15, "15 km"),
    (20, "20 km"),
    (40, "40 km"),
    (100, "100 km"),
    (2000, "2 000 km (toute la France)"),
]
MAX_DISTANCES = frozenset(value for value, _ in MAX_DISTANCE_CHOICES)
MOTIVATION_MAX_LENGTH = 2500


class Situation(models.TextChoices):
    """Filter values; each maps to one boolean of the profile (SITUATION_FIELDS)."""

    DEMANDEUR_EMPLOI = "demandeur_emploi", "Demandeur d'emploi"
    EN_EMPLOI = "en_emploi", "En emploi"
    EN_FORMATION = "en_formation", "En formation"
    DIPLOME = "diplome_mediation_numerique", "Diplômé de la médiation numérique"
    EXPERIENCE = "experience_mediation_numerique", "Expérience de la médiation numérique"


SITUATION_FIELDS = {
    Situation.DEMANDEUR_EMPLOI: "is_job_seeker",
    Situation.EN_EMPLOI: "is_employed",
    Situation.EN_FORMATION: "is_in_training",
    Situation.DIPLOME: "has_diploma",
    Situation.EXPERIENCE: "has_mediation_experience",
}
AT_LEAST_ONE_SITUATION = (
    Q(is_job_seeker=True)
    | Q(is_employed=True)
    | Q(is_in_training=True)
    | Q(has_diploma=True)
    | Q(has_mediation_experience=True)
)


class PixLevel(models.IntegerChoices):
    DEBUTANT = 1, "Niveau 1 — débutant"
    INTERMEDIAIRE = 2, "Niveau 2 — intermédiaire"
    AVANCE = 3, "Niveau 3 — avancé"


def score_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )


class SituationFlags(models.Model):
    is_job_seeker = models.BooleanField("demandeur d'emploi", default=False)
    is_employed = models.BooleanField("en emploi", default=False)
    is_in_training = models.BooleanField("en formation", default=False)
    has_diploma = models.BooleanField("diplômé de la médiation numérique", default=False)
    has_mediation_experience = models.BooleanField(
        "expérience de la médiation numérique", default=False
    )

    class Meta:
        abstract = True

    @property
    def situations(self):
        return [s for s, field in SITUATION_FIELDS.items() if getattr(self, field)]

    def get_situations_display(self):
        return ", ".join(Situation(s).label for s in self.situations)


class CandidateProfileQuerySet(models.QuerySet):
    def active(self):
        """Profiles whose e-mail is confirmed: the only ones deciders and structures see."""
        return self.filter(activated_at__isnull=False)

    def visible_to(self, user):
        """Own profile; every profile for the administration; their territory for a préfet."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATEUR):
            return self
        visible = Q(user=user)
        prefectures = user.memberships.filter(is_active=True, role=Role.PREFET).values_list(
            "organisation__departement", "organisation__region"
        )
        for departement, region in prefectures:
            if departement:
                visible |= Q(commune__departement=departement)
            elif region:
                visible |= Q(commune__departement__region=region)
        return self.filter(visible)


def cv_upload_to(instance, filename):
    # Never the visitor's file name: a random one, holding ciphertext only.
    return f"cv/{uuid.uuid4().hex}.bin"


class CandidateProfile(SituationFlags):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    phone = models.CharField("téléphone", max_length=20)
    # Département and région come from the commune (INSEE), never from a postal code.
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    diploma_name = models.CharField("nom du diplôme", max_length=255, blank=True)
    availability_date = models.DateField("disponible à partir du")
    is_available = models.BooleanField("disponible", default=True)
    max_distance_km = models.PositiveSmallIntegerField(
        "distance maximale (km)", choices=MAX_DISTANCE_CHOICES
    )
    motivation = models.TextField("motivation", max_length=MOTIVATION_MAX_LENGTH)
    is_former_conseiller = models.BooleanField("ancien conseiller numérique", default=False)

    pix_level = models.PositiveSmallIntegerField(
        "niveau Pix", choices=PixLevel.choices, null=True, blank=True
    )
    pix_score_1 = score_field("Pix — informations et données")
    pix_score_2 = score_field("Pix — communication et collaboration")
    pix_score_3 = score_field("Pix — création de contenu")

    # Fernet ciphertext of the PDF (see cnum.core.encryption); deleted 6 months after upload.
    cv_file = models.FileField("CV chiffré", upload_to=cv_upload_to, blank=True)
    cv_uploaded_at = models.DateTimeField("CV déposé le", null=True, blank=True)

    activated_at = models.DateTimeField("activé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    last_activity_at = models.DateTimeField("dernière activité", null=True, blank=True)
    # The "toujours disponible ?" survey (cnum.candidates.survey): last asked, last "oui".
    availability_asked_at = models.DateTimeField("disponibilité demandée le", null=True, blank=True)
    availability_confirmed_at = models.DateTimeField(
        "disponibilité confirmée le", null=True, blank=True
    )

    objects = CandidateProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "profil de candidat"
        verbose_name_plural = "profils de candidats"
        indexes = [
            models.Index(fields=["is_available", "availability_date"], name="candidate_available"),
            # Live eligibility (cnum.matching.eligibility): one index range per max-distance
            # bucket and commune list, over the candidates a structure may see; within a
            # commune, by id, so that a page of the nearest reads only its rows.
            models.Index(
                fields=["max_distance_km", "commune", "id"],
                condition=Q(is_available=True, activated_at__isnull=False),
                name="candidate_eligible",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=AT_LEAST_ONE_SITUATION, name="candidate_situation"),
            models.CheckConstraint(
                condition=Q(has_diploma=False) | ~Q(diploma_name=""),
                name="candidate_diploma_named",
            ),
            models.CheckConstraint(
                condition=Q(max_distance_km__in=sorted(MAX_DISTANCES)),
                name="candidate_max_distance",
            ),
            models.CheckConstraint(
                condition=Q(pix_level__isnull=True) | Q(pix_level__gte=1, pix_level__lte=3),
                name="candidate_pix_level",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"pix_score_{n}__isnull": True})
                    | Q(**{f"pix_score_{n}__lte": 100}),
                    name=f"candidate_pix_score_{n}",
                )
                for n in (1, 2, 3)
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("motivation"), MOTIVATION_MAX_LENGTH),
                name="candidate_motivation_length",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def departement(self):
        return self.commune.departement

    @property
    def has_cv(self):
        return bool(self.cv_file)


class CandidateArchive(SituationFlags):
    """What remains of a deleted candidate: no name, e-mail, phone, commune or free text."""

    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, null=True, related_name="+"
    )
    pix_level = models.PositiveSmallIntegerField(null=True, blank=True)
    max_distance_km = models.PositiveSmallIntegerField(null=True, blank=True)
    was_former_conseiller = models.BooleanField(default=False)
    profile_created_on = models.DateField("profil créé le")
    archived_on = models.DateField("archivé le")

    class Meta:
        verbose_name = "archive anonymisée de candidat"

    def __str__(self):
        return f"Candidat archivé le {self.archived_on:%d/%m/%Y}"
