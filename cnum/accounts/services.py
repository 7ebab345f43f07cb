"""Account use cases: registration, e-mail confirmation, second factor."""

import base64
import io
import math
import re
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import grants
from cnum.accounts.models import AccountEvent, ProConnectDevice, User
from cnum.accounts.tokens import email_confirmation_token
from cnum.core import throttling
from cnum.core.mail import send_templated_email

PARIS = ZoneInfo("Europe/Paris")
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Codes de secours"
RESEND_INTERVAL = 5 * 60


def register_user(
    *,
    email,
    password,
    first_name,
    last_name,
    on_create=None,
    confirmation_template="accounts/emails/confirm_email",
):
    """Create an unconfirmed account and send the confirmation link; None when the address
    already has an account, whose owner is told by e-mail instead: the answer to the visitor
    must not reveal which addresses have an account. `on_create(user)` runs in the same
    transaction (a candidate's profile, say)."""
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing:
        make_password(password)  # as long as a creation, so that timing reveals nothing either
        tell_owner_of_signup_attempt(existing)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, first_name=first_name, last_name=last_name
            )
            if on_create:
                on_create(user)
    except IntegrityError:  # two sign-ups racing for one address: the first one's link is sent
        return None
    send_confirmation_email(user, confirmation_template)
    return user


def tell_owner_of_signup_attempt(user):
    """A new confirmation link if the account is not confirmed yet, otherwise a note with the
    links to log in or reset the password; at most one e-mail every few minutes."""
    if not user.is_active:
        return
    if user.email_confirmed_at is None:
        resend_confirmation(user.email)
    elif throttling.allow("accounts:signup-existing", user.email, 1, RESEND_INTERVAL):
        send_templated_email("accounts/emails/signup_existing", {"user": user}, [user.email])


def send_confirmation_email(user, template="accounts/emails/confirm_email"):
    """The signed link that confirms the address (the template says what is being confirmed)."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": email_confirmation_token.make_token(user),
        "days": email_confirmation_token.timeout // 86400,
    }
    send_templated_email(template, context, [user.email])


def resend_confirmation(email):
    """Send a new link if `email` is an unconfirmed account; silent either way.

    At most one e-mail per address every few minutes, so the form cannot flood a mailbox.
    """
    email = email.strip().lower()
    if not throttling.allow("accounts:resend", email, 1, RESEND_INTERVAL):
        return
    user = User.objects.filter(email=email, email_confirmed_at__isnull=True, is_active=True).first()
    if user:
        send_confirmation_email(user)


def user_from_uidb64(uidb64):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist, ValidationError):
        return None


def email_link_user(uidb64, token):
    """The user an e-mail confirmation link names, or None if it is invalid or expired."""
    user = user_from_uidb64(uidb64)
    if user is None or not email_confirmation_token.check_token(user, token):
        return None
    return user


def confirm_email(uidb64, token):
    """The user whose address the link confirms, or None if the link is invalid or expired."""
    user = email_link_user(uidb64, token)
    if user is None:
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


# Second factor


def pending_totp_device(user):
    """The unconfirmed device being set up (kept across reloads so the QR code stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Application", confirmed=False)


def totp_secret(device):
    """The key in base32, grouped by four, for people who type it into their app."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(text):
    # A data: URI image rather than inline <svg>: the CSP forbids inline styles.
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def confirm_totp_device(user, device, code):
    """Confirm the device if `code` matches; returns fresh recovery codes, or None."""
    if device.user_id != user.pk or not device.verify_token(code):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        if user.must_enrol_2fa:
            user.must_enrol_2fa = False
            user.save(update_fields=["must_enrol_2fa"])
        return regenerate_recovery_codes(user)


def regenerate_recovery_codes(user):
    """Replace the user's single-use recovery codes; the clear codes are shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


TOTP_CODE = re.compile(r"[0-9]{6}")


def normalise_otp_code(code):
    """Codes as people type them: spaces and dashes ignored, recovery codes in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def retry_after(devices):
    """Seconds before django-otp's throttling accepts another code (0: it does now)."""
    now = timezone.now()
    waits = [0]
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(math.ceil((data["locked_until"] - now).total_seconds()))
    return max(waits)


def verify_second_factor(user, code):
    """The device accepting `code` (6 digits: the app; otherwise a recovery code), or None."""
    code = normalise_otp_code(code)
    model = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():
        # Locked so that one recovery code cannot be spent twice by concurrent requests.
        devices = model.objects.filter(user=user, confirmed=True).select_for_update(of=("self",))
        return next((device for device in devices if device.verify_token(code)), None)


# API tokens


# Account administration (national administration; aidants' référents for the second factor)


class AccountAdministrationError(Exception):
    """A refused administration action; str() is the French message shown."""


def invite(*, email, first_name, last_name, role, organisation, actor):
    """Grant `role` to the account of `email` (created if needed) and tell its owner: a new
    account gets the signed link to choose a password (then, the role requiring it, to enrol
    the second factor at the first login). Returns (user, created)."""
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email, None, first_name=first_name, last_name=last_name)
        grants.grant(user, role, organisation, actor=actor)
        grants.log(user, AccountEvent.INVITED, actor=actor, role=role)
        send_invitation(user, role=role, invited_by=actor)
    return user, created


def awaits_first_password(user):
    return not user.has_usable_password() and user.last_login is None


def send_invitation(user, *, role, invited_by):
    context = {
        "user": user,
        "role": role.label if hasattr(role, "label") else role,
        "invited_by": invited_by,
        "requires_2fa": user.requires_2fa,
        "new_account": awaits_first_password(user),
    }
    if context["new_account"]:
        context["uid"] = urlsafe_base64_encode(force_bytes(user.pk))
        context["token"] = default_token_generator.make_token(user)
        context["hours"] = settings.PASSWORD_RESET_TIMEOUT // 3600
    send_templated_email("accounts/emails/invitation", context, [user.email])


def resend_invitation(user, *, actor):
    """A new link for an invited person who has not chosen a password yet."""
    if not awaits_first_password(user):
        raise AccountAdministrationError(
            "Cette personne a déjà choisi son mot de passe : elle se connecte normalement "
            "(ou utilise « Mot de passe oublié ? »)."
        )
    membership = user.memberships.filter(is_active=True).order_by("-created_at").first()
    role = membership.get_role_display() if membership else ""
    grants.log(
        user,
        AccountEvent.INVITATION_RESENT,
        actor=actor,
        role=membership.role if membership else "",
    )
    send_invitation(user, role=role, invited_by=actor)


def deactivate_account(user, *, actor, reason):
    """The account can no longer log in (its open sessions end at their next request)."""
    if user.pk == actor.pk:
        raise AccountAdministrationError("Vous ne pouvez pas désactiver votre propre compte.")
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    grants.log(
        user,
        AccountEvent.DEACTIVATED,
        actor=actor,
        reason=reason,
        before={"actif": True},
        after={"actif": False},
    )


def reactivate_account(user, *, actor):
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    grants.log(
        user, AccountEvent.REACTIVATED, actor=actor, before={"actif": False}, after={"actif": True}
    )


def reset_second_factor(user, *, actor, reason):
    """Forget every second factor of `user` (lost phone): a new one is enrolled at the next
    login, and every session that relied on the old one must pass the new one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ProConnectDevice.objects.filter(user=user).delete()
        user.must_enrol_2fa = True
        user.save(update_fields=["must_enrol_2fa"])
        grants.log(user, AccountEvent.SECOND_FACTOR_RESET, actor=actor, reason=reason)
    send_templated_email(
        "accounts/emails/second_factor_reset", {"user": user, "actor": actor}, [user.email]
    )
