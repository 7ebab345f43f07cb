"""Activity records (CRA, docs/domaine.md#cra), followed beneficiaries and legacy import jobs.

Anonymous participants are stored as counts per gender, age bracket and social status (an
anonymous individual record counts one person), so statistics never touch personal data.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cnum.activity.enums import (
    AGE_FIELDS,
    DUREE_MAX,
    GENRE_FIELDS,
    LIEUX_WITH_COMMUNE,
    STATUT_FIELDS,
    Autonomie,
    CraType,
    Genre,
    Niveau,
    Statut,
    StructureKind,
    TypeLieu,
)


class Beneficiary(models.Model):
    """A person a conseiller follows over time, with their consent (optional)."""

    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="beneficiaries"
    )
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    telephone = models.CharField("téléphone", max_length=25, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    genre = models.CharField(max_length=20, choices=Genre.choices, default=Genre.NON_COMMUNIQUE)
    annee_naissance = models.PositiveSmallIntegerField("année de naissance", null=True, blank=True)
    statut = models.CharField(
        "statut social", max_length=20, choices=Statut.choices, default=Statut.NON_COMMUNIQUE
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consentement = models.BooleanField("consentement au suivi recueilli")
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bénéficiaire suivi"
        ordering = ["nom", "prenom", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(consentement=True), name="beneficiary_consent"),
            models.CheckConstraint(condition=~Q(nom=""), name="beneficiary_has_name"),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"


def _sum(fields):
    total = None
    for name in fields.values():
        total = F(name) if total is None else total + F(name)
    return total


class CraQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class Cra(models.Model):
    """One accompaniment (individual) or workshop session (collective).

    Every index is paid on each write and on each imported line: the foreign keys that an
    index of Meta already leads (conseiller, place) have no index of their own, and the text
    keys (legacy id, commune) no pattern-matching copy on PostgreSQL, as nothing searches them
    by prefix (migration 0004)."""

    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cras", db_index=False
    )
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    type = models.CharField(max_length=12, choices=CraType.choices)
    date = models.DateField()
    duree = models.PositiveIntegerField("durée (minutes)")
    notes = models.TextField(blank=True)
    type_lieu = models.CharField("lieu", max_length=15, choices=TypeLieu.choices)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    materiel = models.JSONField(default=list, blank=True)
    thematiques = models.JSONField(default=list)
    demarches = models.JSONField(default=list, blank=True)
    # Individual only.
    autonomie = models.CharField(max_length=25, choices=Autonomie.choices, blank=True)
    oriente = models.BooleanField("orienté vers une autre structure", default=False)
    orientation_kind = models.CharField(max_length=40, choices=StructureKind.choices, blank=True)
    orientation_place = models.ForeignKey(
        "places.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    precision_demarche = models.CharField("précision", max_length=500, blank=True)
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, null=True, blank=True, related_name="cras"
    )
    # Collective only.
    titre = models.CharField("titre de l'atelier", max_length=200, blank=True)
    niveau = models.CharField(max_length=15, choices=Niveau.choices, blank=True)
    beneficiaries = models.ManyToManyField(Beneficiary, blank=True, related_name="workshops")
    # Anonymous participants and their breakdowns (each sums to participants_anonymes).
    participants_anonymes = models.PositiveSmallIntegerField(default=0)
    genre_masculin = models.PositiveSmallIntegerField(default=0)
    genre_feminin = models.PositiveSmallIntegerField(default=0)
    genre_non_communique = models.PositiveSmallIntegerField(default=0)
    age_moins_de_douze = models.PositiveSmallIntegerField(default=0)
    age_douze_dix_huit = models.PositiveSmallIntegerField(default=0)
    age_dix_huit_vingt_quatre = models.PositiveSmallIntegerField(default=0)
    age_vingt_cinq_trente_neuf = models.PositiveSmallIntegerField(default=0)
    age_quarante_cinquante_neuf = models.PositiveSmallIntegerField(default=0)
    age_soixante_soixante_neuf = models.PositiveSmallIntegerField(default=0)
    age_soixante_dix_plus = models.PositiveSmallIntegerField(default=0)
    age_non_communique = models.PositiveSmallIntegerField(default=0)
    statut_scolarise = models.PositiveSmallIntegerField(default=0)
    statut_sans_emploi = models.PositiveSmallIntegerField(default=0)
    statut_en_emploi = models.PositiveSmallIntegerField(default=0)
    statut_retraite = models.PositiveSmallIntegerField(default=0)
    statut_non_communique = models.PositiveSmallIntegerField(default=0)
    legacy_id = models.CharField(max_length=24, null=True, blank=True, unique=True)
    legacy_data = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CraQuerySet.as_manager()

    class Meta:
        verbose_name = "compte rendu d'activité"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["conseiller", "-date"], name="cra_conseiller_date"),
            # The partner API pages through records by (date, id) (docs/api.md#pagination).
            models.Index(fields=["date", "id"], name="cra_date_id"),
            # Figures of one place (statistics filtered by place) read only its records.
            models.Index(
                fields=["place", "date"], name="cra_place_date", condition=Q(place__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duree__gt=0, duree__lte=DUREE_MAX), name="cra_duree_range"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(participants_anonymes=_sum(fields)), name=f"cra_{name}_sum"
                )
                for name, fields in (
                    ("genre", GENRE_FIELDS),
                    ("age", AGE_FIELDS),
                    ("statut", STATUT_FIELDS),
                )
            ),
            models.CheckConstraint(
                condition=~Q(type_lieu__in=LIEUX_WITH_COMMUNE) | Q(commune__isnull=False),
                name="cra_commune_required",
            ),
            models.CheckConstraint(
                condition=~Q(type_lieu=TypeLieu.LIEU_ACTIVITE)
                | Q(place__isnull=False)
                | Q(legacy_id__isnull=False),
                name="cra_place_required",
            ),
            models.CheckConstraint(
                condition=Q(type=CraType.COLLECTIF)
                | (
                    Q(type=CraType.INDIVIDUEL, titre="", niveau="")
                    & (
                        Q(participants_anonymes=1, beneficiary__isnull=True)
                        | Q(participants_anonymes=0, beneficiary__isnull=False)
                    )
                ),
                name="cra_individual_fields",
            ),
            models.CheckConstraint(
                condition=Q(type=CraType.INDIVIDUEL)
                | Q(
                    type=CraType.COLLECTIF,
                    beneficiary__isnull=True,
                    autonomie="",
                    oriente=False,
                    orientation_kind="",
                    orientation_place__isnull=True,
                    precision_demarche="",
                )
                & ~Q(titre=""),
                name="cra_collective_fields",
            ),
            models.CheckConstraint(
                condition=Q(oriente=True) | Q(orientation_kind="", orientation_place__isnull=True),
                name="cra_orientation_only_when_oriented",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    @property
    def participants_total(self):
        if self.type == CraType.INDIVIDUEL:
            return 1
        return self.participants_anonymes + len(self.beneficiaries.all())


class ImportJob(models.Model):
    """One legacy file being imported; `offset` is the number of lines already handled."""

    sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=500)
    offset = models.PositiveBigIntegerField(default=0)
    imported = models.PositiveBigIntegerField(default=0)
    skipped = models.PositiveBigIntegerField(default=0)
    errors = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import de CRA v1"

    def __str__(self):
        return self.file_name


class ImportErrorRow(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="error_rows")
    line = models.PositiveBigIntegerField()
    legacy_id = models.CharField(max_length=24, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="import_error_line_unique")
        ]

    def __str__(self):
        return f"ligne {self.line} : {self.message}"
