"""The usager's own space (docs/aidants-connect.md#espace-usager): a person signs in through
FranceConnect and sees, and may revoke, the mandates given in their name.

No Django account: the space holds the FranceConnect `sub` in the session, apart from the keys
of staff logins, for SESSION_LIFETIME from sign-in. Mandates are found by that `sub` (usagers
identified through FranceConnect), in every structure.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.mandates.domains import Domain
from cnum.mandates.models import Authorisation, JournalEntry, Kind, Mandate

SESSION_KEY = "usager_space"
# The state of FranceConnect flows started from the space, instead of an aidant's structure.
FLOW = "espace-usager"
SESSION_LIFETIME = datetime.timedelta(minutes=30)


class RevocationRefused(Exception):
    pass


def sign_in(request, identity):
    """Open the space for the person FranceConnect vouched for (a fresh session key: no
    fixation), forgetting any previous usager of this browser."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "sub": identity.sub,
        "name": f"{identity.given_names} {identity.family_name}",
        "since": timezone.now().isoformat(),
    }


def sign_out(request):
    request.session.pop(SESSION_KEY, None)


def current(request, now=None):
    """{sub, name} of the usager signed in here, or None (never signed in, or expired)."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or not data.get("sub"):
        return None
    try:
        since = datetime.datetime.fromisoformat(data["since"])
    except (KeyError, TypeError, ValueError):
        since = None
    if since is None or (now or timezone.now()) - since > SESSION_LIFETIME:
        sign_out(request)
        return None
    return data


def mandates_of(sub):
    """The scope of the space: mandates given by this FranceConnect identity, nothing else."""
    return Mandate.objects.of_franceconnect_identity(sub).select_related(
        "organisation", "created_by", "usager"
    )


def uses_of(mandate_ids):
    """{mandate id: [journal entries of uses by partner services]}, oldest first."""
    uses = {}
    entries = JournalEntry.objects.filter(
        kind=Kind.AUTHORISATION_USED, mandate_id_ref__in=list(mandate_ids)
    ).order_by("position")
    for entry in entries:
        domain = entry.data.get("domaine")
        entry.domain_label = Domain(domain).label if domain in Domain.values else domain
        uses.setdefault(entry.mandate_id_ref, []).append(entry)
    return uses


def _structure_emails(mandate):
    """Where the structure hears of it: its managers and its référent."""
    emails = set(
        Membership.objects.filter(
            organisation_id=mandate.organisation_id,
            role=Role.GESTIONNAIRE_STRUCTURE,
            is_active=True,
        ).values_list("user__email", flat=True)
    )
    habilitation = getattr(mandate.organisation, "habilitation", None)
    if habilitation is not None:
        emails.add(habilitation.referent.email)
    return sorted(e for e in emails if e)


def _check_owner(mandate, sub):
    if not sub or mandate.usager.franceconnect_sub != sub:
        raise PermissionDenied


def revoke_authorisation(authorisation, *, sub):
    """The usager withdraws one domain; the last one withdrawn ends the mandate."""
    mandate = authorisation.mandate
    _check_owner(mandate, sub)
    now = timezone.now()
    with transaction.atomic():
        locked = Authorisation.objects.select_for_update(of=("self",)).get(pk=authorisation.pk)
        if locked.revoked_at or not mandate.is_active:
            raise RevocationRefused("Cette autorisation n'est plus active.")
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        JournalEntry.log_authorisation_revoked(None, locked, reason="revocation_usager")
        ended = not mandate.authorisations.filter(revoked_at__isnull=True).exists()
        if ended:
            mandate.revoked_at = now
            mandate.save(update_fields=["revoked_at"])
            JournalEntry.log_mandate_revoked(None, mandate, by_usager=True)
        _notify(mandate, [locked.get_domain_display()], ended=ended)
    return locked


def revoke_mandate(mandate, *, sub):
    _check_owner(mandate, sub)
    now = timezone.now()
    with transaction.atomic():
        locked = Mandate.objects.select_for_update(of=("self",)).get(pk=mandate.pk)
        if not locked.is_active:
            raise RevocationRefused("Ce mandat n'est plus actif.")
        authorisations = list(locked.authorisations.filter(revoked_at__isnull=True))
        for authorisation in authorisations:
            authorisation.revoked_at = now
            authorisation.save(update_fields=["revoked_at"])
            JournalEntry.log_authorisation_revoked(None, authorisation, reason="revocation_usager")
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        JournalEntry.log_mandate_revoked(None, locked, by_usager=True)
        _notify(locked, [a.get_domain_display() for a in authorisations], ended=True)
    return locked


def _notify(mandate, domains, *, ended):
    recipients = _structure_emails(mandate)
    if recipients:
        send_templated_email(
            "mandates/emails/usager_revocation",
            {"mandate": mandate, "domains": domains, "ended": ended},
            recipients,
        )
