"""Places ("lieux de médiation numérique", docs/domaine.md#lieux) and the conseillers working
there."""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.places import hours as osm_hours
from cnum.places.enums import NO_PUBLIC
from cnum.places.moderation import AWAITING, PUBLIC, TRANSITIONS, Moderation, notify_decision
from cnum.places.validators import validate_telephone, validate_url
from cnum.workflow.engine import Workflow

SOURCE = "conseiller-numerique"


class PlaceQuerySet(models.QuerySet):
    def public(self):
        """Places anyone may see: the map, place pages, open data, statistics (see moderation)."""
        return self.filter(PUBLIC)

    def awaiting_moderation(self):
        return self.filter(AWAITING)

    def with_publication(self):
        """Annotate `published`: the same rule as public(), for pages listing both kinds."""
        return self.annotate(published=ExpressionWrapper(PUBLIC, BooleanField()))

    def with_refusal_reason(self):
        """Annotate `refusal_reason`: the comment of the latest refusal, kept in the log."""
        from django.contrib.contenttypes.models import ContentType

        from cnum.workflow.models import TransitionLog

        refusals = TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            field="moderation",
            to_status=Moderation.REFUSED,
        ).order_by("-at", "-pk")
        return self.annotate(refusal_reason=Subquery(refusals.values("comment")[:1]))


class Place(models.Model):
    """A place where conseillers meet the public. List fields hold values of the national
    standard (cnum.places.enums), in the order the standard lists them."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="places"
    )
    nom = models.CharField("nom", max_length=200)
    pivot = models.CharField("SIRET ou RNA", max_length=14)
    adresse = models.CharField("adresse", max_length=255)
    complement_adresse = models.CharField("complément d'adresse", max_length=255, blank=True)
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    code_postal = models.CharField("code postal", max_length=5)
    latitude = models.FloatField()
    longitude = models.FloatField()
    telephone = models.CharField("téléphone", max_length=25, blank=True)
    courriels = models.JSONField("adresses électroniques", default=list, blank=True)
    site_web = models.CharField("site internet", max_length=500, blank=True)
    horaires = models.CharField("horaires (format OpenStreetMap)", max_length=500, blank=True)
    presentation_resume = models.CharField("présentation courte", max_length=280, blank=True)
    presentation_detail = models.TextField("présentation détaillée", blank=True)
    typologie = models.JSONField("typologie", default=list, blank=True)
    services = models.JSONField("services", default=list, blank=True)
    publics_specifiquement_adresses = models.JSONField(
        "publics spécifiquement adressés", default=list, blank=True
    )
    prise_en_charge_specifique = models.JSONField(
        "prise en charge spécifique", default=list, blank=True
    )
    frais_a_charge = models.JSONField("frais à charge", default=list, blank=True)
    modalites_acces = models.JSONField("modalités d'accès", default=list, blank=True)
    modalites_accompagnement = models.JSONField(
        "modalités d'accompagnement", default=list, blank=True
    )
    itinerance = models.JSONField("itinérance", default=list, blank=True)
    dispositif_programmes_nationaux = models.JSONField(
        "dispositifs et programmes nationaux", default=list, blank=True
    )
    formations_labels = models.JSONField("formations et labels", default=list, blank=True)
    autres_formations_labels = models.JSONField(
        "autres formations et labels", default=list, blank=True
    )
    fiche_acces_libre = models.CharField("fiche Accès libre", max_length=500, blank=True)
    prise_rdv = models.CharField("prise de rendez-vous en ligne", max_length=500, blank=True)
    moderation = models.CharField(
        "modération",
        max_length=20,
        choices=Moderation.choices,
        default=Moderation.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = PlaceQuerySet.as_manager()
    workflow = Workflow(
        field="moderation",
        transitions=TRANSITIONS,
        on_commit=notify_decision,
    )

    class Meta:
        verbose_name = "lieu de médiation numérique"
        verbose_name_plural = "lieux de médiation numérique"
        ordering = ["nom", "pk"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="place_lat_lon")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_range",
            ),
            models.CheckConstraint(condition=~Q(nom=""), name="place_has_name"),
        ]

    def __str__(self):
        return self.nom

    @property
    def is_refused(self):
        return self.moderation == Moderation.REFUSED

    @property
    def publication(self):
        """The publication state in French, for the managers (needs with_publication())."""
        if self.published:
            return "Publié"
        if self.is_refused:
            return "Non publié : refusé par l'administration"
        return (
            "En attente : publié dès que la structure est validée par le comité de sélection "
            "ou que l'administration approuve le lieu"
        )

    @property
    def opening_hours(self):
        """Parsed hours (stored hours are always canonical, hence parseable)."""
        try:
            return osm_hours.parse(self.horaires)
        except osm_hours.HoursError:
            return osm_hours.WeeklyHours()

    @property
    def welcomes_public(self):
        """A place with no service is not on the map and receives no public
        (docs/domaine.md#lieux-visibilite)."""
        return bool(self.services)

    @property
    def access_modes(self):
        return self.modalites_acces if self.services else [NO_PUBLIC]

    def is_open_at(self, moment):
        return self.welcomes_public and osm_hours.is_open_at(self.opening_hours, moment)


class PlaceConseiller(models.Model):
    """A conseiller works at a place: one main place at most, any number of secondary ones."""

    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="place_links"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="conseiller_links")
    is_main = models.BooleanField("lieu principal", default=False)

    class Meta:
        verbose_name = "lieu d'activité d'un conseiller"
        constraints = [
            models.UniqueConstraint(fields=["conseiller", "place"], name="place_conseiller_unique"),
            models.UniqueConstraint(
                fields=["conseiller"], condition=Q(is_main=True), name="conseiller_one_main_place"
            ),
        ]

    def __str__(self):
        return f"{self.conseiller} — {self.place}"


class ConseillerListingQuerySet(models.QuerySet):
    def shown_at(self, place):
        """Listings shown on `place`'s page (docs/domaine.md#lieux-conseillers): opted in,
        working at the place, and in post in its structure (an active conseiller role there).
        Read at every request: opting out removes the conseiller from the next page shown."""
        works_there = PlaceConseiller.objects.filter(place=place, conseiller=OuterRef("conseiller"))
        in_post = Membership.objects.filter(
            user=OuterRef("conseiller"),
            organisation_id=place.structure_id,
            role=Role.CONSEILLER,
            is_active=True,
        )
        return (
            self.filter(Exists(works_there), Exists(in_post), visible=True)
            .annotate(is_main=Subquery(works_there.values("is_main")[:1]))
            .select_related("conseiller")
            .order_by("-is_main", "conseiller__last_name", "conseiller__first_name", "pk")
        )


class ConseillerListing(models.Model):
    """A conseiller's choice to appear on the pages of the places they work at, and what to show
    (their name always; each contact only if filled in). Off until they opt in."""

    conseiller = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="map_listing"
    )
    visible = models.BooleanField("Apparaître sur la carte", default=False)
    phone = models.CharField(
        "téléphone professionnel", max_length=25, blank=True, validators=[validate_telephone]
    )
    email = models.EmailField("adresse électronique professionnelle", blank=True)
    booking_url = models.CharField(
        "lien de prise de rendez-vous", max_length=500, blank=True, validators=[validate_url]
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConseillerListingQuerySet.as_manager()

    class Meta:
        verbose_name = "présence d'un conseiller sur la carte"

    def __str__(self):
        return f"{self.conseiller} sur la carte"


class ReportKind(models.TextChoices):
    ADDRESS = "adresse", "L'adresse ou la position sur la carte"
    HOURS = "horaires", "Les horaires"
    CONTACT = "contact", "Le téléphone, le courriel ou le site"
    SERVICES = "services", "Les services proposés"
    CLOSED = "ferme", "Le lieu a fermé ou n'accueille plus de public"
    OTHER = "autre", "Autre chose"


class PlaceReportQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(handled_at__isnull=True)


class PlaceReport(models.Model):
    """An error on a place's page reported by the public, until the administration handles it."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField("ce qui est faux", max_length=10, choices=ReportKind.choices)
    details = models.TextField("précisions", max_length=2000)
    contact_email = models.EmailField("adresse électronique pour vous répondre", blank=True)
    created_at = models.DateTimeField("signalé le", auto_now_add=True)
    handled_at = models.DateTimeField("traité le", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlaceReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement d'erreur sur un lieu"
        verbose_name_plural = "signalements d'erreur sur des lieux"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["handled_at", "created_at"], name="place_report_queue")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.place}"
