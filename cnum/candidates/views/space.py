"""The candidate's own space: profile, availability, CV, Pix, data export, deletion."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.candidates import services
from cnum.candidates.cv import InvalidCv
from cnum.candidates.forms import (
    AvailabilityForm,
    CvForm,
    DeleteAccountForm,
    PixForm,
    ProfileForm,
)
from cnum.candidates.models import CandidateProfile
from cnum.candidates.policies import can_download_cv
from cnum.core.confirm import confirmation_page, confirmed


def candidate_view(view):
    """Role candidat required; the view receives the user's own profile, never another."""

    @require_role(Role.CANDIDAT)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        profile = (
            CandidateProfile.objects.select_related("commune__departement", "user")
            .filter(user=request.user)
            .first()
        )
        if profile is None:
            return redirect("candidates:apply")
        return view(request, profile, *args, **kwargs)

    return wrapped


@require_GET
@candidate_view
def space(request, profile):
    context = {"title": "Ma candidature", "profile": profile, "cv_form": CvForm()}
    return render(request, "candidates/space.html", context)


@require_http_methods(["GET", "POST"])
@candidate_view
def edit(request, profile):
    form = ProfileForm(request.POST if request.method == "POST" else None, profile=profile)
    if request.method == "POST" and form.is_valid():
        services.update_profile(profile, form.profile_data())
        messages.success(request, "Votre profil est enregistré.")
        return redirect("candidates:space")
    return render(request, "candidates/edit.html", {"form": form, "title": "Modifier mon profil"})


@require_POST
@candidate_view
def availability(request, profile):
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        available = form.cleaned_data["available"]
        services.set_availability(profile, available)
        messages.success(
            request,
            "Vous êtes indiqué comme disponible : les structures peuvent vous proposer un poste."
            if available
            else "Vous êtes indiqué comme indisponible : les structures ne vous verront plus.",
        )
    else:
        messages.error(request, "Votre disponibilité n'a pas pu être modifiée : réessayez.")
    return redirect("candidates:space")


@require_POST
@candidate_view
def cv_upload(request, profile):
    form = CvForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.store_cv(profile, form.cleaned_data["cv"].read())
        except InvalidCv as error:
            form.add_error("cv", error.message)
        else:
            messages.success(request, "Votre CV est enregistré (chiffré).")
            return redirect("candidates:space")
    context = {"title": "Ma candidature", "profile": profile, "cv_form": form}
    return render(request, "candidates/space.html", context, status=400)


@require_http_methods(["GET", "POST"])
@candidate_view
def cv_delete(request, profile):
    if not profile.has_cv:
        return redirect("candidates:space")
    if not confirmed(request):
        return confirmation_page(
            request,
            title="Supprimer mon CV",
            consequences=(
                "Votre CV est effacé : les structures ne pourront plus le consulter. "
                "Vous pourrez en déposer un nouveau à tout moment."
            ),
            confirm_label="Supprimer mon CV",
            cancel_url=reverse("candidates:space"),
        )
    services.delete_cv(profile)
    messages.success(request, "Votre CV est supprimé.")
    return redirect("candidates:space")


@require_GET
def cv_download(request, pk):
    """The CV of a profile, for whoever the policy allows; anyone else gets a 404."""
    profile = get_object_or_404(CandidateProfile.objects.visible_to(request.user), pk=pk)
    if not can_download_cv(request.user, profile):
        raise Http404
    response = HttpResponse(services.read_cv(profile), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cv-candidat-{profile.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@candidate_view
def pix(request, profile):
    form = PixForm(request.POST if request.method == "POST" else None, profile=profile)
    if request.method == "POST" and form.is_valid():
        services.update_pix(profile, form.cleaned_data)
        messages.success(request, "Vos résultats Pix sont enregistrés.")
        return redirect("candidates:space")
    return render(request, "candidates/pix.html", {"form": form, "title": "Mes résultats Pix"})


@require_GET
@candidate_view
def export(request, profile):
    body = json.dumps(services.export_data(profile), cls=DjangoJSONEncoder, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-candidat.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@candidate_view
def delete(request, profile):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_deleted = services.delete_candidate(profile)
        if account_deleted:
            logout(request)
            messages.success(request, "Votre compte et vos données de candidat sont supprimés.")
            return redirect("core:home")
        messages.success(request, "Votre candidature est supprimée ; votre compte reste actif.")
        return redirect("accounts:dashboard")
    return render(
        request, "candidates/delete.html", {"form": form, "title": "Supprimer ma candidature"}
    )
