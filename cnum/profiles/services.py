"""Self-service use cases: own details, change of e-mail address, structure contact details and
corrections. Export and deletion live in cnum.profiles.erasure, inactivity in .dormancy."""

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import User
from cnum.core.mail import send_templated_email
from cnum.profiles.models import (
    ContactDetails,
    CorrectionKind,
    CorrectionStatus,
    EmailChange,
    StructureCorrection,
)
from cnum.profiles.transitions import CorrectionRefused, checked_siret
from cnum.workflow.engine import apply_transition

EMAIL_CHANGE_SALT = "cnum.profiles.email_change"
STRUCTURE_CONTACT_FIELDS = [
    "address",
    "contact_first_name",
    "contact_last_name",
    "contact_role",
    "contact_email",
    "contact_phone",
]


# Own details


def contact_details(user):
    """The person's contact details (an unsaved empty row when they never filled them)."""
    try:
        return user.contact_details
    except ContactDetails.DoesNotExist:
        return ContactDetails(user=user)


@transaction.atomic
def update_identity(user, *, first_name, last_name, phone, job_title, work_phone):
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    details = contact_details(user)
    details.phone, details.job_title, details.work_phone = phone, job_title, work_phone
    details.save()


# Change of e-mail address: nothing changes until the link sent to the new address is opened.


def email_change_hours():
    return settings.EMAIL_CHANGE_LINK_HOURS


def request_email_change(user, new_email):
    """Record the request, send the link to the new address and a notice to the current one.

    An address that already has an account gets a notice instead of a link: the page answers
    the same either way, so nobody learns which addresses have an account."""
    new_email = new_email.strip().lower()
    change = EmailChange.objects.create(user=user, old_email=user.email, new_email=new_email)
    hours = email_change_hours()
    if User.objects.filter(email=new_email).exists():
        send_templated_email("profiles/emails/email_change_taken", {}, [new_email])
    else:
        link = reverse("profiles:email_confirm", args=[email_change_token(change)])
        send_templated_email(
            "profiles/emails/email_change_link",
            {"user": user, "link": link, "hours": hours},
            [new_email],
        )
    send_templated_email(
        "profiles/emails/email_change_notice",
        {"user": user, "new_email": new_email, "hours": hours},
        [user.email],
    )
    return change


def email_change_token(change):
    return signing.dumps(change.pk, salt=EMAIL_CHANGE_SALT, compress=True)


def pending_change(token):
    """The change a link stands for, if it is still valid: signed, not expired, not used, the
    person's latest request, made from the address the account still has."""
    try:
        pk = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=email_change_hours() * 3600)
    except signing.BadSignature:
        return None
    change = EmailChange.objects.select_related("user").filter(pk=pk).first()
    if change is None or change.confirmed_at or change.user.email != change.old_email:
        return None
    latest = change.user.email_changes.order_by("-requested_at", "-pk").first()
    return change if latest == change else None


class EmailTaken(Exception):
    """Another account took the address between the request and the confirmation."""


def confirm_email_change(change):
    user = change.user
    try:
        with transaction.atomic():
            user.email = change.new_email
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email", "email_confirmed_at"])
            change.confirmed_at = user.email_confirmed_at
            change.save(update_fields=["confirmed_at"])
    except IntegrityError as error:
        raise EmailTaken from error
    send_templated_email(
        "profiles/emails/email_changed", {"user": user, "change": change}, [change.old_email]
    )


# Structure managers: contact details directly, name and SIRET through the administration.


@transaction.atomic
def update_structure_contact(structure, data):
    for field in STRUCTURE_CONTACT_FIELDS:
        setattr(structure, field, data[field])
    structure.save(update_fields=STRUCTURE_CONTACT_FIELDS)


def request_correction(structure, user, *, kind, value, reason):
    """Raises CorrectionRefused when the value is the current one, an invalid SIRET, or the
    SIRET of another live application (checked again when the administration applies it)."""
    current = structure.name if kind == CorrectionKind.NAME else structure.siret
    if value == current:
        raise CorrectionRefused("La valeur demandée est déjà celle de la structure.")
    if kind == CorrectionKind.SIRET:
        checked_siret(structure, value)
    try:
        with transaction.atomic():
            return StructureCorrection.objects.create(
                structure=structure,
                kind=kind,
                current_value=current,
                requested_value=value,
                reason=reason,
                requested_by=user,
            )
    except IntegrityError as error:
        raise CorrectionRefused(
            "Une demande de cette correction est déjà en attente de l'administration."
        ) from error


def decide_correction(correction, user, *, apply, comment):
    """Apply (the value is checked again, in the same transaction) or refuse with a reason."""
    to = CorrectionStatus.APPLIQUEE if apply else CorrectionStatus.REFUSEE
    return apply_transition(correction, to, user, comment)
