"""Who may do what: role checks for views and the second-factor rule."""

from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import ROLES_REQUIRING_2FA, Role


def require_role(*roles):
    """View decorator: 403 unless the (logged-in) user holds one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def has_confirmed_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_otp_verified(user):
    # `is_verified` is added by django_otp's middleware; a user just logged in lacks it.
    return bool(getattr(user, "is_verified", lambda: False)())


def second_factor_pending(user):
    """True when the session must pass a TOTP check before going anywhere private.

    Required for the roles in ROLES_REQUIRING_2FA; anyone who turned it on is held to it too.
    """
    if not user.is_authenticated or is_otp_verified(user):
        return False
    return user.requires_2fa or user.must_enrol_2fa or has_confirmed_totp(user)


def second_factor_url(user, next_url=""):
    """Where a user whose second factor is pending goes: verify if enrolled, setup otherwise."""
    name = "accounts:two_factor_verify" if has_confirmed_totp(user) else "accounts:two_factor_setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def safe_next_url(request, default="accounts:dashboard"):
    """The `next` parameter if it points to this site; else `default` (a URL name) or ""."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(default) if default else ""


def can_administer_accounts(user):
    return user.is_authenticated and user.has_role(Role.ADMINISTRATEUR)


def referent_structures(user):
    """Structures where `user` is an active référent aidant."""
    return user.memberships.filter(
        role=Role.AIDANT, is_active=True, aidant_profile__is_referent=True
    ).values("organisation")


def can_reset_second_factor(actor, target):
    """The administration for anyone but itself; a structure's référent for its aidants whose
    only role needing the second factor is aidant (never a préfet who is also an aidant)."""
    if not actor.is_authenticated or actor.pk == target.pk:
        return False
    if can_administer_accounts(actor):
        return True
    if target.roles & ROLES_REQUIRING_2FA - {Role.AIDANT}:
        return False
    return target.memberships.filter(
        role=Role.AIDANT, is_active=True, organisation__in=referent_structures(actor)
    ).exists()


def can_impersonate(hijacker, hijacked):
    """django-hijack's permission: administrators only, never as another administrator (nor a
    superuser), never as a deactivated account."""
    if not (hijacker.is_authenticated and hijacker.is_active and hijacked.is_active):
        return False
    if hijacker.pk == hijacked.pk or hijacked.is_superuser:
        return False
    return can_administer_accounts(hijacker) and not hijacked.has_role(Role.ADMINISTRATEUR)
