"""Limits on the public account forms (login, sign-up, password reset) and django-axes hooks.

django-axes locks one account after a few failures from one address (settings.AXES_*); the
per-address limits below stop a client spreading its guesses over many accounts.
"""

from django.conf import settings

from cnum.core import throttling

HOUR = 60 * 60
SIGNUPS_PER_ADDRESS = 10
RESETS_PER_ADDRESS = 10
RESETS_PER_TARGET = 3


def axes_username(request, credentials=None):
    """The e-mail as the login form sees it: case and spaces must not reset the failure count."""
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get(field) if hasattr(source, "get") else None
    return (value or "").strip().lower()[:254] or None


def login_blocked(request):
    """Whether the client's address has used up its login failures for the hour."""
    return throttling.exhausted(
        "accounts:login-failures",
        throttling.client_ip(request),
        settings.LOGIN_FAILURES_PER_ADDRESS,
        HOUR,
    )


def count_login_failure(request):
    throttling.hit(request, "accounts:login-failures", settings.LOGIN_FAILURES_PER_ADDRESS, HOUR)


def signup_allowed(request):
    return throttling.hit(request, "accounts:signup", SIGNUPS_PER_ADDRESS, HOUR)


def resend_allowed(request):
    """Requests for a new confirmation link from the client's address (each target already
    gets at most one link every few minutes)."""
    return throttling.hit(request, "accounts:resend-confirmation", SIGNUPS_PER_ADDRESS, HOUR)


def reset_allowed(request):
    """Password reset requests from the client's address."""
    return throttling.hit(request, "accounts:password-reset", RESETS_PER_ADDRESS, HOUR)


def reset_mail_allowed(email):
    """Reset e-mails to one address, whoever asks."""
    return throttling.allow(
        "accounts:password-reset-mail", email.strip().lower(), RESETS_PER_TARGET, HOUR
    )
