"""Who may do what in Aidants Connect, and the fresh second factor before mandate actions."""

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import Membership, Organisation
from cnum.accounts.policies import has_confirmed_totp
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.sessions import SECOND_FACTOR_AT_KEY, stamped_at
from cnum.mandates.models.habilitation import USABLE_STATUSES

FRESH_TOTP_WINDOW = datetime.timedelta(minutes=15)
LAST_ACTIVITY_KEY = "mandates_last_activity"
CURRENT_STRUCTURE_KEY = "mandates_current_structure"


def aidant_memberships(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(
        user=user, role=Role.AIDANT, is_active=True, organisation__kind=OrganisationKind.STRUCTURE
    )


def aidant_structure_ids(user):
    """Structures whose usagers and mandates the user sees: those where they are an aidant."""
    memberships = aidant_memberships(user).order_by("organisation_id")
    return list(memberships.values_list("organisation_id", flat=True))


def current_structure_id(request):
    """The structure an aidant acts for: the one picked in this session among theirs, else the
    first. Mandates, usagers and partner-service logins are always within it."""
    ids = getattr(request, "_mandates_structure_ids", None)
    if ids is None:  # asked several times per page: once is enough
        ids = request._mandates_structure_ids = aidant_structure_ids(request.user)
    chosen = request.session.get(CURRENT_STRUCTURE_KEY)
    if chosen in ids:
        return chosen
    return ids[0] if ids else None


def aidant_structures(user):
    """The structures the user is an aidant of, to pick the one they act for."""
    ids = aidant_memberships(user).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


def switch_structure(request, structure_id):
    """Act for another of one's structures; False (nothing changes) for any other id."""
    if structure_id not in aidant_structure_ids(request.user):
        return False
    request.session[CURRENT_STRUCTURE_KEY] = structure_id
    return True


def current_usagers(request):
    """Usagers of the structure the aidant acts for: the only ones they see or act on."""
    from cnum.mandates.models import Usager

    return Usager.objects.filter(organisation_id=current_structure_id(request))


def current_mandates(request):
    from cnum.mandates.models import Mandate

    return Mandate.objects.filter(organisation_id=current_structure_id(request))


def can_create_mandates(user, organisation):
    """Validated aidant of an accepted structure, whose presence at a training session was
    recorded (docs/aidants-connect.md#formation), with a confirmed TOTP device."""
    membership = (
        aidant_memberships(user)
        .filter(organisation=organisation, organisation__habilitation__status__in=USABLE_STATUSES)
        .select_related("aidant_profile")
        .first()
    )
    profile = getattr(membership, "aidant_profile", None) if membership else None
    return bool(profile and profile.is_habilitated and has_confirmed_totp(user))


def mandate_structures(user):
    """Structures where the user may create mandates."""
    ids = aidant_structure_ids(user)
    return [o for o in Organisation.objects.filter(pk__in=ids) if can_create_mandates(user, o)]


def managed_structure_ids(user):
    """Structures whose aidants the user manages: as manager, or as référent aidant."""
    if not user.is_authenticated:
        return []
    managers = Membership.objects.filter(
        user=user, role=Role.GESTIONNAIRE_STRUCTURE, is_active=True
    ).values_list("organisation_id", flat=True)
    referents = aidant_memberships(user).filter(aidant_profile__is_referent=True)
    return list(set(managers) | set(referents.values_list("organisation_id", flat=True)))


def require_aidant(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not aidant_structure_ids(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def totp_is_fresh(request, now=None):
    """A code was typed in this very session, and mandate work went on since, within the window.

    Only this session's stamps count: a code typed in another browser refreshes nothing here.
    """
    now = now or timezone.now()
    stamps = [stamped_at(request, LAST_ACTIVITY_KEY), stamped_at(request, SECOND_FACTOR_AT_KEY)]
    last = max((s for s in stamps if s is not None), default=None)
    return last is not None and now - last <= FRESH_TOTP_WINDOW


def touch_activity(request, now=None):
    request.session[LAST_ACTIVITY_KEY] = (now or timezone.now()).isoformat()


def require_fresh_totp(view):
    """Mandate actions need a TOTP code typed less than 15 minutes of inactivity ago."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not totp_is_fresh(request):
            url = reverse("mandates:reverify")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        touch_activity(request)
        return view(request, *args, **kwargs)

    return wrapped
