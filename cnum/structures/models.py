from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery

from cnum.accounts.models import Membership, Organisation
from cnum.accounts.roles import OrganisationKind, Role
from cnum.structures import transitions
from cnum.structures.enums import (
    CLOSED,
    COORDINATOR_TIMES,
    AmendmentKind,
    AmendmentMotif,
    AmendmentStatus,
    Audience,
    CommitteeOpinion,
    CoordinatorPost,
    CoordinatorRequestStatus,
    DesignationStatus,
    PostType,
    PrefetOpinionValue,
    Status,
    StructureType,
)
from cnum.structures.siret import validate_siret
from cnum.workflow.engine import Workflow


class CallForInterestQuerySet(models.QuerySet):
    def open_at(self, moment):
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)

    def upcoming(self, moment):
        return self.filter(opens_at__gt=moment).order_by("opens_at")


class CallForInterest(models.Model):
    """An AMI: structures apply only while one is open for their audience."""

    name = models.CharField("nom", max_length=200)
    audience = models.CharField("public visé", max_length=10, choices=Audience.choices)
    opens_at = models.DateTimeField("ouverture")
    closes_at = models.DateTimeField("clôture")
    text = models.TextField("texte de l'appel", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallForInterestQuerySet.as_manager()

    class Meta:
        verbose_name = "appel à manifestation d'intérêt"
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="ami_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.name

    def accepts(self, structure_type):
        if self.audience == Audience.BOTH:
            return True
        is_private = structure_type == StructureType.PRIVATE
        return is_private == (self.audience == Audience.PRIVATE)


class StructureQuerySet(models.QuerySet):
    def submitted(self):
        """Applications whose contact confirmed their e-mail address."""
        return self.filter(confirmed_at__isnull=False)

    def visible_to(self, user):
        """Administration: all; préfet: their département or région; manager: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATEUR):
            return self.submitted()
        memberships = user.memberships.filter(is_active=True)
        visible = Q(
            memberships__in=memberships.filter(role=Role.GESTIONNAIRE_STRUCTURE),
        )
        territories = memberships.filter(role=Role.PREFET).values_list(
            "organisation__departement", "organisation__region"
        )
        for departement, region in territories:
            visible |= Q(departement=departement) if departement else Q(region=region)
        return self.submitted().filter(visible).distinct()

    def managed_by(self, user):
        return (
            self.submitted()
            .filter(
                memberships__user=user,
                memberships__role=Role.GESTIONNAIRE_STRUCTURE,
                memberships__is_active=True,
            )
            .distinct()
        )

    def with_posts_granted(self):
        latest = CommitteeDecision.objects.filter(
            structure=OuterRef("pk"), opinion=CommitteeOpinion.POSITIF
        ).order_by("-decided_at", "-pk")
        return self.annotate(posts_granted=Subquery(latest.values("posts_granted")[:1]))

    def with_pending_coordinator(self):
        """Annotate `pending_coordinator`: the time of the coordinator post asked for and not yet
        decided (None: none asked), docs/domaine.md#coordinateurs."""
        pending = CoordinatorRequest.objects.filter(
            structure=OuterRef("pk"), status=CoordinatorRequestStatus.DEMANDEE
        )
        return self.annotate(pending_coordinator=Subquery(pending.values("time")[:1]))

    def with_prefet_opinion(self):
        """Annotate `prefet_opinion`: the value of the latest préfet opinion (None: no opinion)."""
        latest = PrefetOpinion.objects.filter(structure=OuterRef("pk")).order_by("-at", "-pk")
        return self.annotate(prefet_opinion=Subquery(latest.values("opinion")[:1]))


class NetworkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Network(Organisation):
    """A national network (« grand réseau » : La Poste, Croix-Rouge…) structures declare they
    belong to; an organisation, so that the Grand réseau role is held in it
    (docs/domaine.md#hubs-et-reseaux). Its name lives on the Organisation row; the slug, always
    the slugified name, keeps two names differing only in case or accents apart."""

    # Named so that Organisation's reverse accessor does not clash with Structure.network.
    organisation_ptr = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="as_network",
    )
    slug = models.SlugField("identifiant", max_length=120, unique=True)
    active = models.BooleanField("actif", default=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = "grand réseau"
        verbose_name_plural = "grands réseaux"
        ordering = ["organisation_ptr__name"]

    def save(self, *args, **kwargs):
        self.kind = OrganisationKind.RESEAU
        super().save(*args, **kwargs)


class Structure(Organisation):
    """A host employer (docs/domaine.md#structures). Its Organisation row carries name and
    territory."""

    type = models.CharField("type de structure", max_length=20, choices=StructureType.choices)
    # Unique among live confirmed applications only (see Meta): an unconfirmed one reserves
    # nothing, a later one with the same SIRET goes to the administration as a duplicate.
    siret = models.CharField("SIRET", max_length=14, db_index=True, validators=[validate_siret])
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT)
    contact_first_name = models.CharField("prénom du contact", max_length=150)
    contact_last_name = models.CharField("nom du contact", max_length=150)
    contact_role = models.CharField("fonction du contact", max_length=150)
    contact_email = models.EmailField("adresse électronique du contact")
    contact_phone = models.CharField("téléphone du contact", max_length=20)
    posts_wanted = models.PositiveSmallIntegerField(
        "nombre de conseillers souhaités", validators=[MinValueValidator(1)]
    )
    mission_start = models.DateField("date de début de mission souhaitée")
    candidate_identified = models.BooleanField("candidat déjà identifié", default=False)
    motivation = models.TextField("motivation", validators=[MaxLengthValidator(5000)])
    commitments_accepted = models.BooleanField("engagements acceptés", default=False)
    coordinator_post = models.CharField(
        "poste de coordinateur",
        max_length=20,
        choices=CoordinatorPost.choices,
        default=CoordinatorPost.NONE,
        blank=True,
    )
    zrr = models.BooleanField("zone de revitalisation rurale (ZRR)", default=False)
    qpv = models.BooleanField("quartier prioritaire de la ville (QPV)", default=False)
    france_services = models.BooleanField("labellisée France Services", default=False)
    aidants_connect = models.BooleanField("habilitée Aidants Connect", default=False)
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name="grand réseau",
    )
    status = models.CharField(
        "statut", max_length=40, choices=Status.choices, default=Status.CREEE, db_index=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="doublon de",
    )
    call = models.ForeignKey(
        CallForInterest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Null until the contact opens the confirmation link: until then nobody sees it.
    confirmed_at = models.DateTimeField("déposée le", null=True, blank=True)

    objects = StructureQuerySet.as_manager()
    workflow = Workflow(
        transitions=transitions.STRUCTURE_TRANSITIONS,
        labels=transitions.STRUCTURE_LABELS,
        on_commit=transitions.notify_structure_status,
        effects={Status.DOUBLON: transitions.merge_into_original},
    )

    class Meta:
        verbose_name = "structure d'accueil"
        ordering = ["organisation_ptr__name"]
        constraints = [
            models.CheckConstraint(condition=Q(posts_wanted__gte=1), name="structure_posts_wanted"),
            models.CheckConstraint(
                condition=~Q(status=Status.DOUBLON) | Q(duplicate_of__isnull=False),
                name="structure_duplicate_has_original",
            ),
            models.UniqueConstraint(
                fields=["siret"],
                condition=Q(confirmed_at__isnull=False) & ~Q(status__in=CLOSED),
                name="structure_siret_one_live_application",
                violation_error_message="Une demande confirmée est déjà en cours avec ce SIRET.",
            ),
        ]

    def save(self, *args, **kwargs):
        self.kind = OrganisationKind.STRUCTURE
        if self.commune_id and not self.departement_id:
            # Département and région from the commune's INSEE reference, never the postal code.
            self.departement_id = self.commune.departement_id
            self.region_id = self.commune.departement.region_id
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.type != StructureType.PRIVATE

    def managers(self):
        return Membership.objects.filter(
            organisation=self, role=Role.GESTIONNAIRE_STRUCTURE, is_active=True
        ).select_related("user")

    def manager_emails(self):
        return list(self.managers().values_list("user__email", flat=True))

    def current_posts(self):
        """The quota: posts granted by the latest positive committee decision (0 if none)."""
        if hasattr(self, "posts_granted"):
            return self.posts_granted or 0
        latest = (
            self.decisions.filter(opinion=CommitteeOpinion.POSITIF)
            .order_by("-decided_at", "-pk")
            .first()
        )
        return latest.posts_granted if latest else 0

    def filled_posts(self):
        """Posts held by a recruitment requested, validated, or whose rupture awaits validation."""
        if hasattr(self, "posts_filled"):
            return self.posts_filled or 0
        # `matches` is declared by matching, which builds on structures: its queryset knows
        # which match statuses hold a post.
        return self.matches.holding_post().count()

    def vacant_posts(self):
        return max(self.current_posts() - self.filled_posts(), 0)

    def current_coordinator_posts(self):
        """Coordinator posts of the latest positive decision (docs/domaine.md#coordinateurs)."""
        latest = (
            self.decisions.filter(opinion=CommitteeOpinion.POSITIF)
            .order_by("-decided_at", "-pk")
            .first()
        )
        return latest.coordinator_posts_granted if latest else 0

    def filled_coordinator_posts(self):
        """Coordinator posts held by a validated designation or one awaiting validation."""
        return self.coordinator_designations.filter(
            status__in=(DesignationStatus.PROPOSEE, DesignationStatus.VALIDEE)
        ).count()

    def vacant_coordinator_posts(self):
        return max(self.current_coordinator_posts() - self.filled_coordinator_posts(), 0)

    @property
    def prefet_opinion_label(self):
        """The annotated latest préfet opinion (with_prefet_opinion), in words."""
        value = getattr(self, "prefet_opinion", None)
        return PrefetOpinionValue(value).label if value else "Sans avis"


class PrefetOpinion(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="opinions")
    opinion = models.CharField("avis", max_length=12, choices=PrefetOpinionValue.choices)
    comment = models.TextField(
        "commentaire", validators=[MinLengthValidator(10), MaxLengthValidator(1000)]
    )
    transfer_to = models.ForeignKey(
        Structure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="transfert suggéré vers",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "avis du préfet"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_opinion_display()} — {self.structure_id}"


class CommitteeSession(models.Model):
    number = models.PositiveIntegerField("numéro", unique=True)
    date = models.DateField("date")

    class Meta:
        verbose_name = "séance du comité de sélection"
        ordering = ["-number"]

    def __str__(self):
        return f"COSELEC {self.number}"


class CommitteeDecision(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="decisions")
    # Null for decisions taken on a post amendment, outside a session.
    session = models.ForeignKey(
        CommitteeSession, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    opinion = models.CharField("avis", max_length=25, choices=CommitteeOpinion.choices)
    posts_granted = models.PositiveSmallIntegerField("postes attribués", default=0)
    # Counted apart from conseiller posts, funded by the same grid (docs/domaine.md#coordinateurs).
    coordinator_posts_granted = models.PositiveSmallIntegerField(
        "postes de coordinateur attribués", default=0
    )
    priority = models.BooleanField("prioritaire", default=False)
    observations = models.TextField("observations", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "décision du comité"
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "session"], name="one_decision_per_session"
            ),
            models.CheckConstraint(
                condition=~Q(opinion=CommitteeOpinion.POSITIF) | Q(posts_granted__gte=1),
                name="positive_decision_grants_posts",
            ),
        ]

    def __str__(self):
        return f"{self.get_opinion_display()} ({self.posts_granted})"


class PostAmendment(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField("demande", max_length=10, choices=AmendmentKind.choices)
    post_type = models.CharField(
        "type de poste", max_length=15, choices=PostType.choices, default=PostType.CONSEILLER
    )
    number = models.PositiveSmallIntegerField("nombre de postes", validators=[MinValueValidator(1)])
    motif = models.CharField("motif", max_length=30, choices=AmendmentMotif.choices)
    comment = models.TextField("précisions", blank=True, validators=[MaxLengthValidator(1000)])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    prefet_opinion = models.CharField(
        "avis du préfet", max_length=12, choices=PrefetOpinionValue.choices, blank=True
    )
    prefet_comment = models.TextField("commentaire du préfet", blank=True)
    prefet_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prefet_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.DEMANDEE
    )
    decision = models.OneToOneField(
        CommitteeDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    workflow = Workflow(
        transitions=transitions.AMENDMENT_TRANSITIONS,
        labels=transitions.AMENDMENT_LABELS,
        on_commit=transitions.notify_amendment_status,
    )

    class Meta:
        verbose_name = "demande de modification de postes"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="amendment_number_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.number})"

    def signed_number(self):
        return self.number if self.kind == AmendmentKind.AJOUT else -self.number

    @property
    def is_coordinator(self):
        return self.post_type == PostType.COORDINATEUR


class CoordinatorRequest(models.Model):
    """A structure asks for one coordinator post (docs/domaine.md#coordinateurs): in its
    application or later; the préfet gives an opinion, a committee decision grants or refuses it."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="coordinator_requests"
    )
    time = models.CharField("temps de travail", max_length=20, choices=COORDINATOR_TIMES)
    motivation = models.TextField(
        "motivation", validators=[MinLengthValidator(10), MaxLengthValidator(2000)]
    )
    # Null for a request made in the application, before its contact had an account.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    prefet_opinion = models.CharField(
        "avis du préfet", max_length=12, choices=PrefetOpinionValue.choices, blank=True
    )
    prefet_comment = models.TextField("commentaire du préfet", blank=True)
    prefet_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prefet_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        "état",
        max_length=10,
        choices=CoordinatorRequestStatus.choices,
        default=CoordinatorRequestStatus.DEMANDEE,
    )
    # The committee decision that granted or refused it (the refusal is recorded there too).
    decision = models.ForeignKey(
        CommitteeDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    workflow = Workflow(
        transitions=transitions.COORDINATOR_REQUEST_TRANSITIONS,
        labels=transitions.COORDINATOR_REQUEST_LABELS,
        on_commit=transitions.notify_coordinator_request,
    )

    class Meta:
        verbose_name = "demande de poste de coordinateur"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(status=CoordinatorRequestStatus.DEMANDEE),
                name="one_pending_coordinator_request",
                violation_error_message="Une demande de poste de coordinateur est déjà en cours.",
            )
        ]

    def __str__(self):
        return f"{self.get_time_display()} — {self.get_status_display()}"


class CoordinatorDesignation(models.Model):
    """A conseiller in post designated by their structure for a granted coordinator post; the
    administration validates it (docs/domaine.md#coordinateurs)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="coordinator_designations"
    )
    conseiller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinator_designations",
        verbose_name="conseiller désigné",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("proposée le", auto_now_add=True)
    status = models.CharField(
        "état",
        max_length=10,
        choices=DesignationStatus.choices,
        default=DesignationStatus.PROPOSEE,
    )
    reason = models.TextField("motif du refus", blank=True, validators=[MaxLengthValidator(1000)])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    workflow = Workflow(
        transitions=transitions.DESIGNATION_TRANSITIONS,
        labels=transitions.DESIGNATION_LABELS,
        effects={
            DesignationStatus.VALIDEE: transitions.grant_coordinator_role,
            DesignationStatus.TERMINEE: transitions.revoke_coordinator_role,
        },
        on_commit=transitions.notify_designation,
    )

    class Meta:
        verbose_name = "désignation d'un coordinateur"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "conseiller"],
                condition=Q(status__in=[DesignationStatus.PROPOSEE, DesignationStatus.VALIDEE]),
                name="one_live_designation_per_conseiller",
                violation_error_message="Ce conseiller est déjà désigné coordinateur.",
            )
        ]

    def __str__(self):
        return f"{self.conseiller} — {self.get_status_display()}"


class DecisionCorrection(models.Model):
    """A committee decision corrected or cancelled afterwards: what it said before, and why.

    The decision row holds the corrected content; the ledger is adjusted in the same
    transaction (cnum.funding.receivers.on_decision)."""

    decision = models.ForeignKey(
        CommitteeDecision, on_delete=models.PROTECT, related_name="corrections"
    )
    previous_opinion = models.CharField(
        "avis avant correction", max_length=25, choices=CommitteeOpinion.choices
    )
    previous_posts = models.PositiveSmallIntegerField("postes avant correction")
    opinion = models.CharField("avis corrigé", max_length=25, choices=CommitteeOpinion.choices)
    posts_granted = models.PositiveSmallIntegerField("postes après correction")
    reason = models.TextField("motif", validators=[MaxLengthValidator(1000)])
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField("corrigée le", auto_now_add=True)

    class Meta:
        verbose_name = "correction d'une décision du comité"
        ordering = ["-corrected_at", "-pk"]

    def __str__(self):
        return (
            f"{CommitteeOpinion(self.previous_opinion).label} ({self.previous_posts}) → "
            f"{CommitteeOpinion(self.opinion).label} ({self.posts_granted})"
        )
