"""Moves of a structure correction request: only the administration decides."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email


def by_admin(actor, correction):
    return actor.has_role(Role.ADMINISTRATEUR)


class CorrectionRefused(ValueError):
    """The requested value cannot be applied (invalid SIRET, another live application)."""


def apply_correction(correction, log):
    """Write the requested value on the structure, inside the decision's transaction."""
    from cnum.profiles.models import CorrectionKind
    from cnum.structures.models import Structure

    structure = Structure.objects.select_for_update(of=("self",)).get(pk=correction.structure_id)
    if correction.kind == CorrectionKind.NAME:
        structure.name = correction.requested_value
        structure.save(update_fields=["name"])
        return
    structure.siret = checked_siret(structure, correction.requested_value)
    structure.save(update_fields=["siret"])


def checked_siret(structure, siret):
    """Raise CorrectionRefused if `siret` cannot become this structure's; else return it."""
    from cnum.structures.enums import CLOSED
    from cnum.structures.models import Structure
    from cnum.structures.siret import validate_siret

    try:
        validate_siret(siret)
    except ValidationError as error:
        raise CorrectionRefused(error.messages[0]) from error
    # The same rule as the database's partial unique constraint: one live confirmed
    # application per SIRET (a closed or unconfirmed one reserves nothing).
    live = Structure.objects.submitted().exclude(status__in=CLOSED).exclude(pk=structure.pk)
    if structure.status not in CLOSED and live.filter(siret=siret).exists():
        raise CorrectionRefused(
            "Une autre demande confirmée est en cours avec ce SIRET : traitez d'abord le "
            "doublon depuis la fiche de la structure."
        )
    return siret


def notify_managers(correction, log):
    emails = correction.structure.manager_emails()
    if emails:
        send_templated_email(
            "profiles/emails/correction_decided",
            {
                "correction": correction,
                "log": log,
                "link": reverse("profiles:structure_contact", args=[correction.structure_id]),
            },
            emails,
        )
