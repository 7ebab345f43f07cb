"""Use cases of referrals (docs/orientations.md): send, answer, close, resend, reveal.

Every status change goes through the workflow engine; the mails leave after the commit.
"""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.activity.policies import conseiller_structure
from cnum.core.mail import send_templated_email
from cnum.referrals import attachments, links
from cnum.referrals.enums import ANSWERS, ReceiverType, Status
from cnum.referrals.models import Referral, ReferralReveal, ReferralTheme
from cnum.workflow.engine import apply_transition, record_creation

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
CONSENT_MISSING = (
    "Sans l'accord de la personne, ses coordonnées ne peuvent pas être transmises : cochez "
    "« La personne accepte que ses coordonnées soient transmises » ou videz ces champs."
)


class ReferralError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_consent(values):
    """Contact details travel only with the person's recorded consent."""
    if not values.get("consent") and any(values.get(name) for name in CONTACT_FIELDS):
        raise ReferralError(CONSENT_MISSING)


def send_referral(conseiller, *, place=None, structure=None, values, themes, files=(), cra=None):
    """Create a referral to `place` (of the directory) or `structure` and mail its receiver.
    `values`: receiver_kind, already_done, consent and contact fields; `files`: [(name, bytes)]."""
    if not conseiller.has_role(Role.CONSEILLER):
        raise PermissionDenied
    check_consent(values)
    if not themes:
        raise ReferralError("Choisissez au moins une thématique.")
    if len(files) > attachments.MAX_FILES:
        raise ReferralError(f"Joignez au plus {attachments.MAX_FILES} fichiers.")
    if cra is not None and cra.conseiller_id != conseiller.pk:
        raise PermissionDenied
    sender = conseiller_structure(conseiller)
    with transaction.atomic():
        referral = Referral.objects.create(
            conseiller=conseiller,
            structure=sender,
            departement_id=sender.departement_id if sender else None,
            cra=cra,
            receiver_type=ReceiverType.LIEU if place else ReceiverType.STRUCTURE,
            receiving_place=place,
            receiving_structure=place.structure if place else structure,
            link_key=secrets.token_hex(16),
            sent_at=timezone.now(),
            **values,
        )
        ReferralTheme.objects.bulk_create(
            ReferralTheme(referral=referral, theme=theme) for theme in dict.fromkeys(themes)
        )
        for name, data in files:
            attachments.store(referral, name, data)  # InvalidAttachment rolls everything back
        record_creation(referral, conseiller)
        _mail_receiver(referral, "referrals/emails/new")
    return referral


def receiver_emails(referral):
    """The place's addresses, else the receiving structure's contact."""
    if referral.receiving_place_id and referral.receiving_place.courriels:
        return list(referral.receiving_place.courriels)
    return [referral.receiving_structure.contact_email]


def _mail_receiver(referral, template):
    context = {
        "referral": referral,
        "link": links.url(referral),
        "days": links.expiry_days(),
        "themes": referral.theme_labels,
    }
    send_templated_email(template, context, receiver_emails(referral))


def answer(referral, actor, to, reason=""):
    """The receiver's answer (accept, refuse with a reason, already handled)."""
    if to not in ANSWERS:
        raise ReferralError("Cette réponse n'existe pas.")
    if to == Status.REFUSEE and not reason:
        raise ReferralError("Indiquez le motif du refus.")
    changes = {"ended_at": timezone.now(), "refusal_reason": reason if to == Status.REFUSEE else ""}
    return apply_transition(referral, to, actor, changes=changes)


def close(referral, actor):
    return apply_transition(referral, Status.CLOSE, actor, changes={"ended_at": timezone.now()})


def resend(referral, actor):
    """A new link and a new delay; the previous link stops working. An expired referral is open
    again (through the engine); a waiting one just gets its new link."""
    fresh = {"link_key": secrets.token_hex(16), "sent_at": timezone.now(), "reminded_at": None}
    with transaction.atomic():
        if referral.status == Status.EXPIREE:
            apply_transition(referral, Status.ENVOYEE, actor, changes={**fresh, "ended_at": None})
        elif referral.status == Status.ENVOYEE and actor.pk == referral.conseiller_id:
            Referral.objects.filter(pk=referral.pk).update(**fresh)
            for name, value in fresh.items():
                setattr(referral, name, value)
        else:
            raise ReferralError("Cette orientation a reçu une réponse : elle ne se renvoie plus.")
        _mail_receiver(referral, "referrals/emails/new")
    return referral


def record_reveal(referral, what, *, user=None, via_link=False):
    """The receiving side opened personal data of the referral (docs/orientations.md#donnees)."""
    if referral.anonymised_at:
        return None
    return ReferralReveal.objects.create(
        referral=referral, user=user if user and user.pk else None, via_link=via_link, what=what
    )
