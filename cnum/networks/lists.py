"""What a hub or a national network sees: the structures of its scope and their conseillers
(docs/domaine.md#hubs-et-reseaux).

A hub sees the structures of the départements of its régions; a network the structures that
declared it. A user holding both roles sees both. Lists and exports read the same querysets,
one query per page or per export (plain values, streamed).
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.recruitment.enums import ContractState, ContractType
from cnum.recruitment.models import Contract
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.training.enums import ConseillerState, EnrolmentStatus
from cnum.training.models import Enrolment

CHUNK = 2000
SCOPE_ROLES = (Role.HUB, Role.GRAND_RESEAU)


def structures_in_scope(user):
    """Confirmed applications of the user's régions (hub) and network(s) (grand réseau)."""
    held = user.memberships.filter(is_active=True, role__in=SCOPE_ROLES)
    regions = held.filter(role=Role.HUB, organisation__region__isnull=False)
    networks = held.filter(role=Role.GRAND_RESEAU)
    return Structure.objects.submitted().filter(
        Q(departement__region_id__in=regions.values("organisation__region_id"))
        | Q(network_id__in=networks.values("organisation_id"))
    )


def filtered_structures(user, departement=None, structure=None):
    structures = structures_in_scope(user)
    if departement:
        structures = structures.filter(departement_id=departement)
    if structure:
        structures = structures.filter(pk=structure)
    return structures


# --- Structures --------------------------------------------------------------------------

STRUCTURE_HEADER = [
    "Structure", "SIRET", "Département", "Statut", "Grand réseau", "Postes attribués",
    "Conseillers en poste",
]  # fmt: skip


def _in_post():
    return (
        Membership.objects.filter(organisation=OuterRef("pk"), role=Role.CONSEILLER, is_active=True)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )


STRUCTURE_FIELDS = [
    "name", "siret", "departement_id", "departement__nom", "status", "network__name",
    "posts_granted", "in_post",
]  # fmt: skip


def structure_values(structures):
    """Plain values, one row per structure (the page slices them, the export streams them)."""
    annotated = structures.with_posts_granted().annotate(
        in_post=Coalesce(Subquery(_in_post(), output_field=IntegerField()), 0)
    )
    return annotated.order_by("name", "pk").values_list(*STRUCTURE_FIELDS)


def structure_row(values):
    """A row in STRUCTURE_HEADER's order."""
    name, siret, dep, dep_name, status, network, granted, in_post = values
    return (
        name,
        siret,
        f"{dep_name} ({dep})" if dep else "",
        Status(status).label if status in Status.values else status,
        network or "",
        granted or 0,
        in_post,
    )


# --- Conseillers -------------------------------------------------------------------------

CONSEILLER_HEADER = [
    "Nom", "Prénom", "Adresse électronique", "Structure", "Département", "Fin du contrat",
    "Formation",
]  # fmt: skip


def conseillers_in(structures):
    """Active conseiller roles in `structures` (a conseiller in post is one of these)."""
    current = Contract.objects.filter(
        match__structure_id=OuterRef("organisation_id"),
        match__candidate__user_id=OuterRef("user_id"),
        state=ContractState.CURRENT,
    ).order_by("-start_date", "-pk")
    enrolments = Enrolment.objects.filter(conseiller_id=OuterRef("user_id"))
    return Membership.objects.filter(
        role=Role.CONSEILLER, is_active=True, organisation_id__in=structures.values("pk")
    ).annotate(
        contract_type=Subquery(current.values("type")[:1]),
        contract_end=Subquery(current.values("end_date")[:1]),
        training_open=Exists(
            enrolments.filter(status__in=(EnrolmentStatus.INSCRITE, EnrolmentStatus.EN_COURS))
        ),
        training_done=Exists(enrolments.filter(status=EnrolmentStatus.TERMINEE)),
    )


def training_state(training_open, training_done):
    """The rule of cnum.training.state.state_of, from the two annotations above."""
    if training_open:
        return ConseillerState.EN_FORMATION.label
    if training_done:
        return ConseillerState.EN_ACTIVITE.label
    return ConseillerState.A_PROGRAMMER.label


def contract_end_label(contract_type, contract_end):
    if contract_end:
        return contract_end
    return "CDI" if contract_type == ContractType.CDI else ""


CONSEILLER_FIELDS = [
    "user__last_name", "user__first_name", "user__email", "organisation__name",
    "organisation__departement_id", "organisation__departement__nom", "contract_type",
    "contract_end", "training_open", "training_done",
]  # fmt: skip


def conseiller_values(structures):
    ordered = conseillers_in(structures).order_by("user__last_name", "user__first_name", "pk")
    return ordered.values_list(*CONSEILLER_FIELDS)


def conseiller_row(values):
    """A row in CONSEILLER_HEADER's order."""
    last, first, email, structure, dep, dep_name, ctype, end, is_open, done = values
    return (
        last,
        first,
        email,
        structure,
        f"{dep_name} ({dep})" if dep else "",
        contract_end_label(ctype, end),
        training_state(is_open, done),
    )


def streamed(values, row):
    """Formatted rows of a values queryset, fetched by chunks (exports)."""
    return (row(v) for v in values.iterator(CHUNK))
