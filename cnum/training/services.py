"""Training use cases: organisations and members, sessions, enrolment, progress, certification.

Enrolment statuses move only through apply_transition (transitions.ENROLMENT_TRANSITIONS).
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cnum.accounts import grants
from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.structures.models import Structure
from cnum.territories.models import Commune
from cnum.territories.services import distance_km
from cnum.training.enums import (
    EARLIEST_TRAINING_END,
    HOLDING_SEAT,
    CertificationResult,
    EnrolmentStatus,
)
from cnum.training.models import Enrolment, TrainingSession
from cnum.training.transitions import is_admin, is_member, manages, trainer
from cnum.workflow.engine import apply_transition, record_creation

E = EnrolmentStatus


class TrainingError(Exception):
    """A refused action; the message is French and says what to do."""


class SessionFull(TrainingError):
    def __init__(self):
        super().__init__("Cette session est complète : choisissez-en une autre.")


class AlreadyEnrolled(TrainingError):
    def __init__(self):
        super().__init__("Ce conseiller est déjà inscrit en formation ou l'a terminée.")


def today():
    return timezone.localdate()


# Organisations and members


def add_member(organisation, *, email, first_name="", last_name="", invited_by=None):
    """Attach an account (created if needed) to the organisation; new ones get a password link."""
    if invited_by is not None and not is_admin(invited_by):
        raise PermissionDenied
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email, None, first_name=first_name, last_name=last_name)
    membership = grants.grant(user, Role.ORGANISME_FORMATION, organisation, actor=invited_by)
    context = {"organisation": organisation, "user": user, "created": created}
    if created:
        context["uid"] = urlsafe_base64_encode(force_bytes(user.pk))
        context["token"] = default_token_generator.make_token(user)
    send_templated_email("training/emails/member_added", context, [user.email])
    return membership


def set_habilitation(organisation, actor, habilitated):
    if not is_admin(actor):
        raise PermissionDenied
    organisation.is_habilitated = habilitated
    organisation.save(update_fields=["is_habilitated"])


# Sessions


def create_session(organisation, actor, **fields):
    if not (is_admin(actor) or is_member(actor, organisation.pk)):
        raise PermissionDenied
    if not organisation.is_habilitated:
        raise TrainingError("L'habilitation de l'organisme est suspendue : aucune session.")
    return TrainingSession.objects.create(organisation=organisation, **fields)


# Enrolment


def conseiller_memberships(structure):
    return Membership.objects.filter(
        organisation=structure, role=Role.CONSEILLER, is_active=True
    ).select_related("user")


def can_enrol(actor, structure):
    return is_admin(actor) or manages(actor, structure.pk)


def open_sessions(on=None):
    """Sessions one may still join: habilitated organisation, not started, a seat free."""
    return TrainingSession.objects.with_free_seats().filter(
        organisation__is_habilitated=True, start_date__gte=on or today()
    )


def suggest_organisations(structure, limit=8, on=None):
    """Nearest organisations (from the structure's commune) with sessions having free seats.

    Returns [(organisation, km, [sessions])], nearest first; a session's distance is from its
    place, or from its organisation for remote sessions. Ranked on plain values first; model
    objects are built for the `limit` organisations kept only.
    """
    origin = (structure.commune.latitude, structure.commune.longitude)
    rows = list(
        open_sessions(on).values_list("pk", "organisation", "commune", "organisation__commune")
    )
    coordinates = {
        code: (lat, lon)
        for code, lat, lon in Commune.objects.filter(
            pk__in={r[2] for r in rows} | {r[3] for r in rows}
        ).values_list("pk", "latitude", "longitude")
    }
    distances, nearest = {}, {}
    for pk, organisation_id, commune_id, organisation_commune_id in rows:
        km = distance_km(origin, coordinates[commune_id or organisation_commune_id])
        distances[pk] = km
        nearest[organisation_id] = min(km, nearest.get(organisation_id, km))
    kept = sorted(nearest, key=lambda org: (nearest[org], org))[:limit]
    sessions = list(
        open_sessions(on)
        .filter(organisation__in=kept)
        .select_related("organisation")
        .order_by("start_date", "pk")
    )
    communes = Commune.objects.in_bulk(
        {s.commune_id for s in sessions} | {s.organisation.commune_id for s in sessions}
    )
    by_organisation = {}
    for session in sessions:
        session.organisation.commune = communes[session.organisation.commune_id]
        if session.commune_id:
            session.commune = communes[session.commune_id]
        session.distance_km = distances[session.pk]
        by_organisation.setdefault(session.organisation_id, []).append(session)
    return [
        (by_organisation[org][0].organisation, nearest[org], by_organisation[org])
        for org in kept
        if org in by_organisation  # a session filled up in between
    ]


def log_creation(enrolment, actor, comment):
    record_creation(enrolment, actor, comment)


def enrol(actor, conseiller, structure, session):
    """Enrol a conseiller of `structure` in `session`; the last seat goes to one request only."""
    if not can_enrol(actor, structure):
        raise PermissionDenied
    if not conseiller_memberships(structure).filter(user=conseiller).exists():
        raise TrainingError("Cette personne n'est pas conseiller numérique de la structure.")
    with transaction.atomic():
        # The session row lock serialises enrolments in it: capacity holds under concurrency.
        # Only the session's row (not its organisation's): the other sessions go on meanwhile.
        locked = (
            TrainingSession.objects.select_for_update(of=("self",), no_key=True)
            .select_related("organisation")
            .get(pk=session.pk)
        )
        if not locked.organisation.is_habilitated or locked.start_date < today():
            raise TrainingError("Cette session n'accepte plus d'inscription.")
        busy = (E.INSCRITE, E.EN_COURS, E.TERMINEE)
        if Enrolment.objects.filter(conseiller=conseiller, status__in=busy).exists():
            raise AlreadyEnrolled
        if locked.enrolments.filter(status__in=HOLDING_SEAT).count() >= locked.capacity:
            raise SessionFull
        pix_level = getattr(getattr(conseiller, "candidate_profile", None), "pix_level", None)
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    conseiller=conseiller,
                    structure=structure,
                    organisation=locked.organisation,
                    session=locked,
                    pix_level=pix_level,
                    enrolled_by=actor,
                )
        except IntegrityError as error:  # another enrolment of the same person, at once
            raise AlreadyEnrolled from error
        log_creation(enrolment, actor, f"Inscription à « {locked.name} »")
        recipients = [conseiller.email, *locked.organisation.member_emails()]
        send_templated_email(
            "training/emails/enrolled",
            {"enrolment": enrolment, "session": locked, "structure": structure},
            recipients,
        )
    return enrolment


# Progress, dates, certification (the training organisation and the administration)


def _require_trainer(actor, enrolment):
    if not trainer(actor, enrolment):
        raise PermissionDenied


def record_progress(enrolment, actor, **fields):
    """Pix positioning, attendance and progress: plain data, no status move."""
    _require_trainer(actor, enrolment)
    allowed = {"pix_level", "pix_score", "attendance_percent", "progress_percent"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(enrolment, name, value)
    enrolment.save(update_fields=[*fields, "updated_at"])
    return enrolment


def _check_not_future(day, what):
    if day > today():
        raise TrainingError(f"La date {what} ne peut pas être dans le futur.")


def start_training(enrolment, actor, started_on, comment=""):
    _require_trainer(actor, enrolment)
    _check_not_future(started_on, "de prise de poste")
    with transaction.atomic():
        # Dates first: the database refuses « en formation » without a start date.
        Enrolment.objects.filter(pk=enrolment.pk).update(started_on=started_on)
        apply_transition(enrolment, E.EN_COURS, actor, comment or "Entrée en formation")
    enrolment.started_on = started_on
    return enrolment


def validate_end(enrolment, ended_on):
    if ended_on < EARLIEST_TRAINING_END:
        raise TrainingError("La fin de formation ne peut pas précéder le 17/11/2020.")
    if enrolment.started_on and ended_on < enrolment.started_on:
        raise TrainingError("La fin de formation ne peut pas précéder la prise de poste.")
    _check_not_future(ended_on, "de fin de formation")


def finish_training(enrolment, actor, ended_on, comment=""):
    _require_trainer(actor, enrolment)
    validate_end(enrolment, ended_on)
    with transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(ended_on=ended_on)
        apply_transition(enrolment, E.TERMINEE, actor, comment or "Fin de formation")
    enrolment.ended_on = ended_on
    return enrolment


def move(enrolment, actor, to, comment=""):
    """Moves without dates: cancel, abandon, resume, reopen (clears the end of training)."""
    with transaction.atomic():
        log = apply_transition(enrolment, to, actor, comment)
        if log.from_status == E.TERMINEE:
            Enrolment.objects.filter(pk=enrolment.pk).update(ended_on=None)
            enrolment.ended_on = None
    return log


def record_certification(enrolment, actor, *, certification_type, result, certified_on=None):
    _require_trainer(actor, enrolment)
    if enrolment.status not in (E.EN_COURS, E.TERMINEE):
        raise TrainingError("La certification se saisit pendant ou après la formation.")
    if result != CertificationResult.EN_ATTENTE and enrolment.status != E.TERMINEE:
        # During training only the registration to the exam (« en attente ») can be entered.
        raise TrainingError(
            "Le résultat de la certification se saisit une fois la formation terminée : "
            "enregistrez d'abord la fin de formation."
        )
    if result != CertificationResult.EN_ATTENTE and certified_on is None:
        raise TrainingError("Indiquez la date de la certification.")
    if certified_on:
        _check_not_future(certified_on, "de certification")
        if enrolment.started_on and certified_on < enrolment.started_on:
            raise TrainingError("La certification ne peut pas précéder la prise de poste.")
    enrolment.certification_type = certification_type
    enrolment.certification_result = result
    enrolment.certified_on = certified_on
    enrolment.save(
        update_fields=[
            "certification_type",
            "certification_result",
            "certified_on",
            "updated_at",
        ]
    )
    return enrolment


# Conseillers seen by the structure and the administration


def structures_of(user):
    """Structures where `user` is an active conseiller."""
    return Structure.objects.filter(
        memberships__user=user, memberships__role=Role.CONSEILLER, memberships__is_active=True
    )
