"""Contact requests: a structure asks a candidate found outside the candidate's own zone; the
candidate answers from their space. Only an accepted request shows contact details."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from cnum.core.mail import send_templated_email
from cnum.matching.eligibility import Eligibility
from cnum.matching.enums import ContactStatus as C
from cnum.matching.models import ContactRequest
from cnum.matching.reveals import paris_day_start
from cnum.matching.services import MatchingError, _check_open
from cnum.workflow.engine import InvalidTransition, apply_transition

ALREADY = {
    C.EN_ATTENTE: "Votre demande de contact à {name} attend sa réponse.",
    C.ACCEPTEE: "{name} a déjà accepté votre demande de contact.",
    C.REFUSEE: "{name} a refusé votre demande de contact : vous ne pouvez pas la renouveler.",
}


def request_for(structure, candidate):
    return ContactRequest.objects.filter(structure=structure, candidate=candidate).first()


def _check_daily(structure):
    sent = ContactRequest.objects.filter(structure=structure, created_at__gte=paris_day_start())
    if sent.count() >= settings.CANDIDATE_REVEALS_PER_DAY:
        raise MatchingError(
            "Votre structure a envoyé le nombre maximal de demandes de contact pour aujourd'hui "
            f"({settings.CANDIDATE_REVEALS_PER_DAY}). Vous pourrez en envoyer d'autres demain."
        )


def request_contact(structure, candidate, actor):
    """Ask an available candidate outside the structure's list; the candidate gets an e-mail.
    One request per structure and candidate: asking again says where the first one stands."""
    _check_open(structure)
    name = candidate.user.get_full_name()
    if candidate.activated_at is None or not candidate.is_available:
        raise MatchingError(
            "Cette personne n'est plus disponible : elle ne peut pas être contactée."
        )
    if Eligibility(structure).is_eligible(candidate):
        raise MatchingError(
            f"{name} fait partie de vos candidats proches : présélectionnez-la directement."
        )
    existing = request_for(structure, candidate)
    if existing is not None:
        raise MatchingError(ALREADY[existing.status].format(name=name))
    _check_daily(structure)
    try:
        with transaction.atomic():
            contact = ContactRequest.objects.create(
                structure=structure, candidate=candidate, requested_by=actor
            )
    except IntegrityError as error:  # another manager asked a moment earlier
        raise MatchingError(ALREADY[C.EN_ATTENTE].format(name=name)) from error
    send_templated_email(
        "matching/emails/contact_request",
        {"structure": structure, "person": candidate.user, "link": reverse("matching:requests")},
        [candidate.user.email],
    )
    return contact


def answer(contact, accept, actor):
    """The candidate accepts or declines (through the workflow: only they may)."""
    to = C.ACCEPTEE if accept else C.REFUSEE
    if contact.status == to:
        return contact
    try:
        apply_transition(contact, to, actor)
    except InvalidTransition as error:
        if error.from_status != to:
            raise
        contact.refresh_from_db(fields=["status"])  # the same answer, given a moment earlier
    return contact


def requests_of(profile):
    return ContactRequest.objects.filter(candidate=profile).select_related("structure__commune")


def notify_answer(contact, log):
    """After commit: the structure's managers learn the candidate's answer."""
    managers = contact.structure.manager_emails()
    if not managers:
        return
    accepted = log.to_status == C.ACCEPTEE
    send_templated_email(
        "matching/emails/contact_answer",
        {
            "structure": contact.structure,
            "person": contact.candidate.user,
            "accepted": accepted,
            "link": reverse(
                "matching:candidate" if accepted else "matching:search",
                kwargs={"pk": contact.structure_id, "candidate_pk": contact.candidate_id}
                if accepted
                else {"pk": contact.structure_id},
            ),
        },
        managers,
    )
