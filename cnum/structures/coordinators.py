"""Coordinator posts (docs/domaine.md#coordinateurs): the request, the préfet's opinion, the
committee's answer, and the designation of a conseiller in post, validated by the administration.

The number of coordinator posts lives on the committee decision (`coordinator_posts_granted`),
next to the conseiller posts: the latest positive decision is the quota of both, and the funding
ledger commits both at the grid amount (`decision_recorded` carries the two counts).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.structures.enums import (
    CLOSED,
    CommitteeOpinion,
    CoordinatorRequestStatus,
    DesignationStatus,
    Status,
)
from cnum.structures.models import CoordinatorDesignation, CoordinatorRequest, Structure
from cnum.structures.transitions import is_admin, manages
from cnum.workflow.engine import apply_transition, record_creation

APPLICATION_MOTIVATION = "Poste de coordinateur demandé dans la candidature de la structure."
PENDING = "Une demande de poste de coordinateur est déjà en cours pour cette structure."


# The request


def _create_request(structure, actor, time, motivation):
    try:
        with transaction.atomic():
            request = CoordinatorRequest.objects.create(
                structure=structure, time=time, motivation=motivation, requested_by=actor
            )
            record_creation(request, actor)
    except IntegrityError as error:  # one_pending_coordinator_request
        raise ValueError(PENDING) from error
    return request


def request_at_application(structure, time, motivation=""):
    """An application filed with a coordinator post makes its request (no account yet)."""
    return _create_request(structure, None, time, motivation.strip() or APPLICATION_MOTIVATION)


def request_post(structure, actor, *, time, motivation):
    """A manager asks for a coordinator post from "Ma structure"."""
    if not manages(actor, structure):
        raise PermissionDenied
    if structure.status in CLOSED or structure.status == Status.REFUS_COSELEC:
        raise ValueError("Cette demande est close : elle ne peut plus recevoir de poste.")
    if structure.coordinator_requests.filter(status=CoordinatorRequestStatus.DEMANDEE).exists():
        raise ValueError(PENDING)
    return _create_request(structure, actor, time, motivation)


def cancel_request(request, actor):
    return apply_transition(request, CoordinatorRequestStatus.ANNULEE, actor)


def give_opinion(request, actor, *, opinion, comment):
    """The préfet's opinion, like the one on a post amendment: it may be given again."""
    if not actor.has_role(Role.PREFET) or request.status != CoordinatorRequestStatus.DEMANDEE:
        raise PermissionDenied
    request.prefet_opinion, request.prefet_comment = opinion, comment
    request.prefet_by, request.prefet_at = actor, timezone.now()
    request.save(update_fields=["prefet_opinion", "prefet_comment", "prefet_by", "prefet_at"])
    return request


def resolve_requests(structure, decision, previous_posts, actor):
    """Called by services.record_decision: a positive decision adding coordinator posts grants
    the pending request; a positive one without, or a negative one, refuses it. A request for
    further examination stays pending."""
    if decision.opinion not in (CommitteeOpinion.POSITIF, CommitteeOpinion.NEGATIF):
        return
    request = structure.coordinator_requests.filter(
        status=CoordinatorRequestStatus.DEMANDEE
    ).first()
    if request is None:
        return
    granted = (
        decision.opinion == CommitteeOpinion.POSITIF
        and decision.coordinator_posts_granted > previous_posts
    )
    to = CoordinatorRequestStatus.ACCORDEE if granted else CoordinatorRequestStatus.REFUSEE
    label = str(decision.session) if decision.session_id else "Décision du comité"
    comment = f"{label} : {decision.observations}".strip(" :")
    apply_transition(request, to, actor, comment, changes={"decision": decision})


def decide_request(request, actor, *, session, accept, comment=""):
    """The committee answers the request of a structure already validated: granting records a
    decision in the session keeping its conseiller posts and adding one coordinator post (the
    ledger commits it); a refusal is recorded on the request with its reason."""
    from cnum.structures import services

    if not is_admin(actor):
        raise PermissionDenied
    if request.structure.status != Status.VALIDATION_COSELEC:
        raise ValueError("Cette demande sera décidée avec la candidature de la structure.")
    if request.status != CoordinatorRequestStatus.DEMANDEE:
        raise ValueError("Cette demande a déjà été traitée.")
    if not accept:
        return apply_transition(
            request, CoordinatorRequestStatus.REFUSEE, actor, f"{session} : {comment}".strip(" :")
        )
    structure = request.structure
    return services.record_decision(
        structure,
        actor,
        session=session,
        opinion=CommitteeOpinion.POSITIF,
        posts_granted=structure.current_posts(),
        coordinator_posts_granted=structure.current_coordinator_posts() + 1,
        observations=f"Poste de coordinateur accordé. {comment}".strip(),
    )


# The designation


def conseillers_in_post(structure):
    """Conseillers whose recruitment by the structure is validated (their role is scoped to it)."""
    return Membership.objects.filter(
        organisation=structure, role=Role.CONSEILLER, is_active=True
    ).select_related("user")


def designate(structure, actor, *, conseiller):
    if not manages(actor, structure):
        raise PermissionDenied
    with transaction.atomic():
        locked = Structure.objects.select_for_update(of=("self",)).get(pk=structure.pk)
        if not conseillers_in_post(locked).filter(user=conseiller).exists():
            raise ValueError("Seul un conseiller en poste dans la structure peut être désigné.")
        if locked.vacant_coordinator_posts() < 1:
            raise ValueError(
                "La structure n'a aucun poste de coordinateur vacant : demandez-en un d'abord."
            )
        if locked.coordinator_designations.filter(
            conseiller=conseiller,
            status__in=(DesignationStatus.PROPOSEE, DesignationStatus.VALIDEE),
        ).exists():
            raise ValueError("Ce conseiller est déjà désigné coordinateur.")
        designation = CoordinatorDesignation.objects.create(
            structure=locked, conseiller=conseiller, requested_by=actor
        )
        record_creation(designation, actor)
    return designation


def validate_designation(designation, actor):
    """Grants Role.COORDINATEUR scoped to the structure (the workflow effect) and mails it."""
    if not is_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        Structure.objects.select_for_update(of=("self",)).get(pk=designation.structure_id)
        if (
            not conseillers_in_post(designation.structure)
            .filter(user=designation.conseiller_id)
            .exists()
        ):
            raise ValueError("Ce conseiller n'est plus en poste dans la structure : refusez-la.")
        return apply_transition(
            designation,
            DesignationStatus.VALIDEE,
            actor,
            changes={"decided_by": actor, "decided_at": timezone.now()},
        )


def end_designations(structure, conseiller, actor):
    """The conseiller left the structure: their designation there ends, with the role."""
    live = structure.coordinator_designations.filter(
        conseiller=conseiller,
        status__in=(DesignationStatus.PROPOSEE, DesignationStatus.VALIDEE),
    )
    for designation in live.select_for_update(of=("self",)):
        apply_transition(designation, DesignationStatus.TERMINEE, actor)


def refuse_designation(designation, actor, *, reason):
    if not is_admin(actor):
        raise PermissionDenied
    return apply_transition(
        designation,
        DesignationStatus.REFUSEE,
        actor,
        reason,
        changes={"decided_by": actor, "decided_at": timezone.now(), "reason": reason},
    )
