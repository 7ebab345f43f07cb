"""The public application form and its confirmation link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.tokens import EMAIL_CONFIRMATION_TIMEOUT
from cnum.candidates import services
from cnum.candidates.forms import ApplicationForm, ProfileForm
from cnum.candidates.models import CandidateProfile
from cnum.core import throttling


def throttled(request):
    response = render(
        request, "candidates/throttled.html", {"title": "Trop de demandes"}, status=429
    )
    response["Retry-After"] = str(throttling.APPLY_WINDOW)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def apply(request):
    user = request.user
    if user.is_authenticated:
        if CandidateProfile.objects.filter(user=user).exists():
            return redirect("candidates:space")
        return _add_profile(request)
    if request.method == "POST" and not throttling.hit(request, "candidates:apply"):
        return throttled(request)
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Same answer whether or not the address has an account (its owner is e-mailed).
        services.apply(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            profile_data=form.profile_data(),
        )
        return redirect("candidates:apply_done")
    return render(
        request,
        "candidates/apply.html",
        {"form": form, "title": "Devenir conseiller numérique", "with_account": True},
    )


def _add_profile(request):
    """A logged-in account without a profile adds one; no new account, no second profile."""
    form = ProfileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_profile(request.user, form.profile_data())
        except IntegrityError:  # a double submission created it a moment ago
            return redirect("candidates:space")
        messages.success(request, "Votre candidature est enregistrée.")
        return redirect("candidates:space")
    return render(
        request,
        "candidates/apply.html",
        {"form": form, "title": "Devenir conseiller numérique", "with_account": False},
    )


@login_not_required
@require_GET
def apply_done(request):
    return render(
        request,
        "candidates/apply_done.html",
        {"title": "Consultez votre messagerie", "days": EMAIL_CONFIRMATION_TIMEOUT // 86400},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request, uidb64, token):
    """The link opens a page; only its button (a POST) confirms, so a mail scanner that
    follows links confirms nothing."""
    if request.method == "POST":
        profile = services.confirm(uidb64, token)
    else:
        profile = services.profile_of_link(uidb64, token)
    confirmed = bool(profile and profile.activated_at and profile.user.email_confirmed_at)
    if profile is None:
        title = "Lien invalide ou expiré"
    else:
        title = "Candidature confirmée" if confirmed else "Confirmer votre candidature"
    context = {"profile": profile, "confirmed": confirmed, "title": title}
    return render(request, "candidates/confirm.html", context)
