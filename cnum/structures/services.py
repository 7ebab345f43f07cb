"""Structure use cases: applying, confirming, managers, post amendments, opinions, decisions."""

import datetime

from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cnum.accounts import grants
from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.structures import coordinators
from cnum.structures.confirmation import CONFIRMATION_MAX_AGE, CONFIRMATION_SALT
from cnum.structures.enums import (
    AWAITING_DECISION,
    CLOSED,
    DECISION_STATUS,
    AmendmentKind,
    AmendmentStatus,
    CommitteeOpinion,
    PostType,
    Status,
)
from cnum.structures.models import (
    CallForInterest,
    CommitteeDecision,
    DecisionCorrection,
    PostAmendment,
    PrefetOpinion,
    Structure,
)
from cnum.structures.signals import decision_recorded
from cnum.structures.transitions import is_admin, manages
from cnum.workflow.engine import PLATFORM, apply_transition


class ApplicationsClosed(Exception):
    pass


class LastManager(Exception):
    pass


class AlreadyDecided(Exception):
    pass


# Calls for interest


def open_call_for(structure_type, moment=None):
    moment = moment or timezone.now()
    return next(
        (c for c in CallForInterest.objects.open_at(moment) if c.accepts(structure_type)), None
    )


def next_call(moment=None):
    return CallForInterest.objects.upcoming(moment or timezone.now()).first()


# Application and confirmation


def submit_application(data):
    """Create the (unconfirmed) structure and e-mail its contact a confirmation link. It
    reserves nothing: another application with the same SIRET may be filed meanwhile."""
    call = open_call_for(data["type"])
    if call is None:
        raise ApplicationsClosed
    data = dict(data)
    coordinator_motivation = data.pop("coordinator_motivation", "")
    with transaction.atomic():
        # Unconfirmed applications whose link has expired: nobody will confirm them.
        Structure.objects.filter(
            siret=data["siret"],
            confirmed_at__isnull=True,
            created_at__lt=timezone.now() - datetime.timedelta(seconds=CONFIRMATION_MAX_AGE),
        ).delete()
        structure = Structure.objects.create(call=call, **data)
        if structure.coordinator_post:
            coordinators.request_at_application(
                structure, structure.coordinator_post, coordinator_motivation
            )
    token = signing.dumps({"s": structure.pk, "e": structure.contact_email}, salt=CONFIRMATION_SALT)
    send_templated_email(
        "structures/emails/confirm_application",
        {"structure": structure, "token": token, "days": CONFIRMATION_MAX_AGE // 86400},
        [structure.contact_email],
    )
    return structure


def _link_filter(token):
    try:
        payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    return {"pk": payload.get("s"), "contact_email": payload.get("e")}


def application_of_link(token):
    """The structure a confirmation link names (nothing changes), or None if the link is
    invalid or expired."""
    found = _link_filter(token)
    return None if found is None else Structure.objects.filter(**found).first()


def siret_holder(structure):
    """The live confirmed application holding the structure's SIRET, other than itself."""
    return (
        Structure.objects.submitted()
        .filter(siret=structure.siret)
        .exclude(status__in=CLOSED)
        .exclude(pk=structure.pk)
        .order_by("confirmed_at", "pk")
        .first()
    )


def _submit(structure):
    """Confirmed: the structure holds its SIRET or, when a confirmed application already
    does, goes to the administration as a possible duplicate of it (nobody gains access)."""
    structure.confirmed_at = timezone.now()
    holder = siret_holder(structure)
    if holder is None:
        try:
            with transaction.atomic():
                structure.save(update_fields=["confirmed_at"])
            return
        except IntegrityError:  # the other application was confirmed at the same moment
            holder = siret_holder(structure)
    structure.duplicate_of = holder
    structure.save(update_fields=["duplicate_of"])
    apply_transition(
        structure,
        Status.DOUBLON,
        PLATFORM,
        f"Doublon possible : le SIRET {structure.siret} est déjà celui de « {holder.name} ». "
        "L'administration vérifie les deux demandes.",
    )
    # Confirmed once out of the live applications: the SIRET stays with its holder.
    structure.save(update_fields=["confirmed_at"])


def confirm_application(token):
    """Submit the structure the link names; its contact becomes its first manager."""
    found = _link_filter(token)
    if found is None:
        return None
    with transaction.atomic():
        structure = Structure.objects.select_for_update(of=("self",)).filter(**found).first()
        if structure is None:
            return None
        if structure.confirmed_at is None:
            _submit(structure)
            add_manager(
                structure,
                email=structure.contact_email,
                first_name=structure.contact_first_name,
                last_name=structure.contact_last_name,
                confirmed=True,
            )
    return structure


def add_manager(structure, *, email, first_name="", last_name="", invited_by=None, confirmed=False):
    """Attach an account (created if needed) as manager; new accounts get a set-password link."""
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email,
            None,
            first_name=first_name,
            last_name=last_name,
            email_confirmed_at=timezone.now() if confirmed else None,
        )
    membership = grants.grant(user, Role.GESTIONNAIRE_STRUCTURE, structure, actor=invited_by)
    context = {"structure": structure, "user": user, "invited_by": invited_by, "created": created}
    if created:
        context["uid"] = urlsafe_base64_encode(force_bytes(user.pk))
        context["token"] = default_token_generator.make_token(user)
    send_templated_email("structures/emails/manager_added", context, [user.email])
    return membership


def invite_manager(structure, actor, *, email, first_name="", last_name=""):
    if not manages(actor, structure):
        raise PermissionDenied
    return add_manager(
        structure, email=email, first_name=first_name, last_name=last_name, invited_by=actor
    )


def remove_manager(structure, actor, membership_id):
    if not manages(actor, structure):
        raise PermissionDenied
    with transaction.atomic():
        # Lock every manager row: two removals at once must not leave the structure orphaned.
        managers = list(
            Membership.objects.select_for_update(of=("self",)).filter(
                organisation=structure, role=Role.GESTIONNAIRE_STRUCTURE, is_active=True
            )
        )
        target = next((m for m in managers if m.pk == membership_id), None)
        if target is None:
            raise Membership.DoesNotExist
        if len(managers) <= 1:
            raise LastManager
        grants.revoke(target, actor=actor)
    return target


# Post amendments


def request_amendment(
    structure, actor, *, kind, number, motif, comment="", post_type=PostType.CONSEILLER
):
    if not manages(actor, structure):
        raise PermissionDenied
    if structure.status != Status.VALIDATION_COSELEC:
        raise ValueError("Seule une structure validée par le comité peut modifier ses postes.")
    coordinator = post_type == PostType.COORDINATEUR
    vacant = structure.vacant_coordinator_posts() if coordinator else structure.vacant_posts()
    if kind == AmendmentKind.RETRAIT and number > vacant:
        what = "postes de coordinateur vacants" if coordinator else "postes vacants"
        raise ValueError(f"Vous ne pouvez rendre que vos {what} ({vacant}).")
    return PostAmendment.objects.create(
        structure=structure,
        kind=kind,
        post_type=post_type,
        number=number,
        motif=motif,
        comment=comment,
        requested_by=actor,
    )


def give_amendment_opinion(amendment, actor, *, opinion, comment):
    if not actor.has_role(Role.PREFET) or amendment.status != AmendmentStatus.DEMANDEE:
        raise PermissionDenied
    amendment.prefet_opinion = opinion
    amendment.prefet_comment = comment
    amendment.prefet_by = actor
    amendment.prefet_at = timezone.now()
    amendment.save(update_fields=["prefet_opinion", "prefet_comment", "prefet_by", "prefet_at"])
    return amendment


def decide_amendment(amendment, actor, *, accept, comment=""):
    """Accepting records a new positive decision: the quota stays « latest positive decision »."""
    if not is_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        structure = Structure.objects.select_for_update(of=("self",)).get(pk=amendment.structure_id)
        if accept:
            previous, previous_coordinators = _quota(structure)
            posts, coordinator_posts = previous, previous_coordinators
            if amendment.is_coordinator:
                coordinator_posts += amendment.signed_number()
                if coordinator_posts < structure.filled_coordinator_posts():
                    raise ValueError(
                        "La structure garderait moins de postes de coordinateur qu'elle n'en "
                        "occupe."
                    )
            else:
                posts += amendment.signed_number()
                if posts < 1:
                    raise ValueError(
                        "La structure rendrait tous ses postes : enregistrez plutôt son abandon."
                    )
                if posts < structure.filled_posts():
                    raise ValueError("La structure garderait moins de postes qu'elle n'en occupe.")
            what = " de coordinateur" if amendment.is_coordinator else ""
            amendment.decision = CommitteeDecision.objects.create(
                structure=structure,
                opinion=CommitteeOpinion.POSITIF,
                posts_granted=posts,
                coordinator_posts_granted=coordinator_posts,
                observations=f"Modification de postes{what} : {amendment.get_kind_display()} "
                f"({amendment.number}). {comment}".strip(),
                decided_by=actor,
            )
            decision_recorded.send(
                CommitteeDecision,
                decision=amendment.decision,
                previous_posts=previous,
                posts=posts,
                previous_coordinator_posts=previous_coordinators,
                coordinator_posts=coordinator_posts,
            )
            amendment.save(update_fields=["decision"])
        to = AmendmentStatus.ACCEPTEE if accept else AmendmentStatus.REFUSEE
        return apply_transition(amendment, to, actor, comment)


# Deciders


def give_prefet_opinion(structure, actor, *, opinion, comment, transfer_to=None):
    if not actor.has_role(Role.PREFET) or structure.status not in AWAITING_DECISION:
        raise PermissionDenied
    return PrefetOpinion.objects.create(
        structure=structure,
        opinion=opinion,
        comment=comment,
        transfer_to=transfer_to,
        author=actor,
    )


def _quota(structure):
    """(conseiller posts, coordinator posts) of the latest positive decision."""
    return structure.current_posts(), structure.current_coordinator_posts()


def record_decision(
    structure,
    actor,
    *,
    session,
    opinion,
    posts_granted=0,
    coordinator_posts_granted=None,
    priority=False,
    observations="",
):
    """A committee decision; moves the status through the workflow and tells the managers.

    `coordinator_posts_granted` None keeps the coordinator posts already granted; the pending
    coordinator request is granted or refused with it (docs/domaine.md#coordinateurs)."""
    if not is_admin(actor):
        raise PermissionDenied
    if opinion != CommitteeOpinion.POSITIF:
        posts_granted = coordinator_posts_granted = 0
    with transaction.atomic():
        locked = Structure.objects.select_for_update(of=("self",)).get(pk=structure.pk)
        if session and locked.decisions.filter(session=session).exists():
            raise AlreadyDecided
        previous, previous_coordinators = _quota(locked)
        if coordinator_posts_granted is None:
            coordinator_posts_granted = previous_coordinators
        if opinion == CommitteeOpinion.POSITIF and (
            coordinator_posts_granted < locked.filled_coordinator_posts()
        ):
            raise ValueError(
                "La structure a déjà désigné des coordinateurs sur ses postes de coordinateur : "
                "la décision ne peut pas en laisser moins."
            )
        decision = CommitteeDecision.objects.create(
            structure=locked,
            session=session,
            opinion=opinion,
            posts_granted=posts_granted,
            coordinator_posts_granted=coordinator_posts_granted,
            priority=priority,
            observations=observations,
            decided_by=actor,
        )
        posts, coordinator_posts = _quota(locked)
        decision_recorded.send(
            CommitteeDecision,
            decision=decision,
            previous_posts=previous,
            posts=posts,
            previous_coordinator_posts=previous_coordinators,
            coordinator_posts=coordinator_posts,
        )
        coordinators.resolve_requests(locked, decision, previous_coordinators, actor)
        target = DECISION_STATUS[opinion]
        if locked.status != target:
            apply_transition(locked, target, actor, f"{session} : {decision.get_opinion_display()}")
        structure.refresh_from_db(fields=["status"])
        emails = locked.manager_emails()
        if emails:
            send_templated_email(
                "structures/emails/decision",
                {"structure": locked, "decision": decision},
                emails,
            )
    return decision


class DecisionNotCorrectable(ValueError):
    pass


def _status_after(structure):
    """The status the structure's decisions lead to: the latest one still standing, or none."""
    standing = (
        structure.decisions.exclude(opinion=CommitteeOpinion.ANNULEE)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return DECISION_STATUS[standing.opinion] if standing else Status.CREEE


def correct_decision(decision, actor, *, opinion, posts_granted, reason):
    """Correct the structure's latest committee decision, or cancel it (opinion ANNULEE).

    In one transaction: the correction is logged, the decision rewritten, the ledger commitment
    adjusted by the change in posts (the decision_recorded receiver) and the status moved to
    what the decisions now say. Refused when it would leave fewer posts than are filled.
    """
    if not is_admin(actor):
        raise PermissionDenied
    if opinion != CommitteeOpinion.POSITIF:
        posts_granted = 0
    with transaction.atomic():
        locked = Structure.objects.select_for_update(of=("self",)).get(pk=decision.structure_id)
        latest = locked.decisions.order_by("-decided_at", "-pk").first()
        if latest is None or latest.pk != decision.pk:
            raise DecisionNotCorrectable(
                "Seule la dernière décision de la structure peut être corrigée."
            )
        if locked.status in CLOSED:
            raise DecisionNotCorrectable(
                "La demande est close (abandon, annulation ou doublon) : rouvrez-la d'abord."
            )
        if posts_granted < locked.filled_posts():
            raise DecisionNotCorrectable(
                f"La structure occupe déjà {locked.filled_posts()} poste(s) : la décision ne "
                "peut pas en laisser moins."
            )
        previous, previous_coordinators = _quota(locked)
        DecisionCorrection.objects.create(
            decision=latest,
            previous_opinion=latest.opinion,
            previous_posts=latest.posts_granted,
            opinion=opinion,
            posts_granted=posts_granted,
            reason=reason,
            corrected_by=actor,
        )
        latest.opinion, latest.posts_granted = opinion, posts_granted
        latest.save(update_fields=["opinion", "posts_granted"])
        posts, coordinator_posts = _quota(locked)
        if coordinator_posts < locked.filled_coordinator_posts():
            raise DecisionNotCorrectable(
                "La structure a désigné des coordinateurs : la décision ne peut pas leur retirer "
                "leurs postes."
            )
        decision_recorded.send(
            CommitteeDecision,
            decision=latest,
            previous_posts=previous,
            posts=posts,
            previous_coordinator_posts=previous_coordinators,
            coordinator_posts=coordinator_posts,
        )
        target = _status_after(locked)
        if locked.status != target:
            apply_transition(locked, target, actor, f"Décision du comité corrigée : {reason}")
    return latest


def change_status(structure, actor, to, comment="", duplicate_of=None):
    """Abandon, cancel, reopen or mark as a duplicate of `duplicate_of` (merged into it)."""
    with transaction.atomic():
        if to == Status.DOUBLON:
            if not is_admin(actor):
                raise PermissionDenied
            if duplicate_of is None or duplicate_of.pk == structure.pk:
                raise ValueError("Indiquez la structure d'origine, différente de celle-ci.")
            Structure.objects.filter(pk=structure.pk).update(duplicate_of=duplicate_of)
            structure.duplicate_of = duplicate_of
        try:
            with transaction.atomic():
                return apply_transition(structure, to, actor, comment)
        except IntegrityError as error:  # reopening next to another live application
            raise ValueError(
                "Une autre demande confirmée avec ce SIRET est en cours : annulez-la ou "
                "marquez-la comme doublon avant de rouvrir celle-ci."
            ) from error
