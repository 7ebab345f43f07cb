"""Personal data: what the platform holds about a person (export), and the deletion of an
account, which keeps contracts, the ledger and the journal and anonymises everything else
(docs/mon-compte.md#suppression)."""

import csv
import io

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.profiles.models import ContactDetails, Dormancy, EmailChange

ANONYMOUS_DOMAIN = "compte-supprime.invalid"
ANONYMOUS_NAME = "Compte supprimé"


def _iso(moment):
    return moment.isoformat() if moment else None


# Export


def export_data(user):
    """Everything the platform holds about the person, whatever their roles."""
    from cnum.profiles.employment import employment_export

    details = ContactDetails.objects.filter(user=user).first()
    data = {
        "compte": {
            "adresse_electronique": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "inscrit_le": _iso(user.date_joined),
            "adresse_confirmee_le": _iso(user.email_confirmed_at),
            "derniere_connexion": _iso(user.last_login),
            "double_authentification": TOTPDevice.objects.filter(
                user=user, confirmed=True
            ).exists(),
        },
        "coordonnees": {
            "telephone": details.phone if details else "",
            "fonction": details.job_title if details else "",
            "telephone_professionnel": details.work_phone if details else "",
        },
        "roles": [
            {
                "role": membership.get_role_display(),
                "organisation": membership.organisation.name if membership.organisation else None,
                "actif": membership.is_active,
                "depuis_le": _iso(membership.created_at),
            }
            for membership in user.memberships.select_related("organisation").order_by("pk")
        ],
        "changements_d_adresse": [
            {
                "ancienne": change.old_email,
                "nouvelle": change.new_email,
                "demande_le": _iso(change.requested_at),
                "confirme_le": _iso(change.confirmed_at),
            }
            for change in EmailChange.objects.filter(user=user).order_by("pk")
        ],
        **employment_export(user),
    }
    profile = _candidate_profile(user)
    if profile is not None:
        from cnum.candidates.services import export_data as candidate_export

        data["candidature"] = candidate_export(profile)
    return data


def _flatten(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _flatten(item, f"{prefix}.{index}")
    else:
        yield prefix, "" if value is None else value


def export_csv(data):
    """The same data as the JSON export, one line per value: `rubrique;valeur`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["rubrique", "valeur"])
    for key, value in _flatten(data):
        text = str(value)
        # Like the other exports: a spreadsheet must not read a value as a formula.
        writer.writerow([key, f"'{text}" if text[:1] in ("=", "+", "-", "@") else text])
    return buffer.getvalue()


# Deletion


def _candidate_profile(user):
    from cnum.candidates.models import CandidateProfile

    return CandidateProfile.objects.filter(user=user).select_related("commune__departement").first()


def deletion_blockers(user):
    """Why the account cannot be deleted now (French sentences); empty when it can."""
    from cnum.matching.enums import HOLDING_POST
    from cnum.matching.models import Match

    reasons = []
    contracts = Match.objects.filter(candidate__user=user, status__in=HOLDING_POST)
    for match in contracts.select_related("structure"):
        reasons.append(
            f"Vous avez un contrat en cours (ou en cours de validation) avec "
            f"{match.structure.name} : votre compte doit rester ouvert jusqu'à sa fin."
        )
    memberships = (
        user.memberships.filter(is_active=True)
        .exclude(role=Role.CANDIDAT)
        .select_related("organisation")
    )
    for membership in memberships:
        who = (
            "l'administration nationale du dispositif"
            if membership.role in NATIONAL_GRANTS
            else f"un gestionnaire de {membership.organisation.name}"
        )
        reasons.append(
            f"Vous êtes {membership.get_role_display().lower()} pour "
            f"{membership.organisation.name} : ce rôle doit d'abord vous être retiré par {who}."
        )
    return reasons


# Roles the administration grants; the others are given (and withdrawn) by the structure.
NATIONAL_GRANTS = frozenset(
    {
        Role.PREFET,
        Role.ADMINISTRATEUR,
        Role.OPERATEUR_FINANCIER,
        Role.ORGANISME_FORMATION,
        Role.CONSEILLER,
    }
)


def erase_account(user):
    """Delete the account, or anonymise it when records that must be kept point to it.

    Returns "supprime" or "anonymise". The caller checks deletion_blockers() first."""
    email = user.email
    profile = _candidate_profile(user)
    if profile is not None:
        from cnum.candidates.services import delete_candidate

        try:
            with transaction.atomic():
                if delete_candidate(profile):
                    outcome = "supprime"
                    _tell(email)
                    return outcome
        except ProtectedError:
            _scrub_candidate(profile)
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        anonymise(user)
        outcome = "anonymise"
    else:
        outcome = "supprime"
    _tell(email)
    return outcome


def _tell(email):
    send_templated_email("profiles/emails/account_deleted", {}, [email])


def _scrub_candidate(profile):
    """A former conseiller's profile, kept for their contracts: nothing that identifies them."""
    from cnum.candidates.services import delete_cv

    delete_cv(profile)
    profile.phone = ""
    profile.motivation = ""
    profile.is_available = False
    profile.save(update_fields=["phone", "motivation", "is_available"])


@transaction.atomic
def anonymise(user):
    """Keep the row (contracts, ledger and journal point to it), drop who the person was."""
    user.email = f"anonyme-{user.pk}@{ANONYMOUS_DOMAIN}"
    user.first_name, user.last_name = "", ANONYMOUS_NAME
    user.is_active = False
    user.email_confirmed_at = None
    user.set_unusable_password()
    user.save()
    user.memberships.filter(role=Role.CANDIDAT).delete()
    user.memberships.update(is_active=False)
    ContactDetails.objects.filter(user=user).delete()
    EmailChange.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    dormancy = Dormancy.objects.filter(user=user)
    dormancy.filter(deactivated_at__isnull=True).delete()
    dormancy.update(anonymised_at=timezone.now())
