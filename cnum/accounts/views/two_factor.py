"""TOTP second factor: setup, verification after login, recovery codes."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user

from cnum.accounts import forms, services
from cnum.accounts.policies import has_confirmed_totp, is_otp_verified, safe_next_url
from cnum.accounts.sessions import second_factor_passed


def _with_next(url_name, request):
    """Redirect to another 2FA page, passing a safe `next` on."""
    next_url = safe_next_url(request, default=None)
    url = reverse(url_name)
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


def _code_error(message, wait):
    if wait > 0:
        seconds = f"{wait} seconde{'s' if wait > 1 else ''}"
        message += f" Par sécurité, attendez {seconds} avant un nouvel essai."
    return message


def _recovery_codes_page(request, codes, next_url):
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {"codes": codes, "next_url": next_url, "title": "Codes de secours"},
    )


@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    if has_confirmed_totp(user):
        if not is_otp_verified(user):
            # Enrolling a new device must not bypass the one already there.
            return _with_next("accounts:two_factor_verify", request)
        messages.info(request, "La double authentification est déjà activée sur votre compte.")
        return redirect("accounts:dashboard")
    device = services.pending_totp_device(user)
    form = forms.OtpCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp_device(user, device, form.cleaned_data["code"])
        if codes is not None:
            second_factor_passed(request, device)
            return _recovery_codes_page(request, codes, safe_next_url(request))
        message = (
            "Ce code ne correspond pas. Vérifiez l'heure de votre téléphone et saisissez le "
            "code actuellement affiché."
        )
        form.add_error("code", _code_error(message, services.retry_after([device])))
    context = {
        "form": form,
        "qr_code": services.qr_code_data_uri(device.config_url),
        "secret": services.totp_secret(device),
        "next_url": safe_next_url(request),
        "required": user.requires_2fa,
        "title": "Activer la double authentification",
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if is_otp_verified(user):
        return redirect(safe_next_url(request))
    if not has_confirmed_totp(user):
        return _with_next("accounts:two_factor_setup", request)
    form = forms.VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user, form.cleaned_data["code"])
        if device is not None:
            second_factor_passed(request, device)
            return redirect(safe_next_url(request))
        message = "Ce code n'est pas valide ou a déjà été utilisé."
        wait = services.retry_after(devices_for_user(user))
        form.add_error("code", _code_error(message, wait))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next_url": safe_next_url(request), "title": "Vérification en deux étapes"},
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    user = request.user
    if not has_confirmed_totp(user):
        return redirect("accounts:two_factor_setup")
    if not is_otp_verified(user):
        return _with_next("accounts:two_factor_verify", request)
    if request.method == "POST":
        codes = services.regenerate_recovery_codes(user)
        return _recovery_codes_page(request, codes, safe_next_url(request))
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {
            "remaining": services.remaining_recovery_codes(user),
            "next_url": safe_next_url(request),
            "title": "Codes de secours",
        },
    )
