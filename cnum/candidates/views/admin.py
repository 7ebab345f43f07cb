"""Candidates for the national administration and préfets (their territory only)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cnum.accounts.policies import require_role
from cnum.candidates.forms import CandidateFilterForm
from cnum.candidates.models import SITUATION_FIELDS, CandidateProfile
from cnum.candidates.policies import DECIDER_ROLES, can_download_cv
from cnum.core.pages import paginate
from cnum.core.search import text_search
from cnum.territories.models import Departement

PAGE_SIZE = 50
SEARCH_FIELDS = ("user__first_name", "user__last_name", "user__email", "commune__nom")


@require_GET
@require_role(*DECIDER_ROLES)
def candidate_list(request):
    profiles = CandidateProfile.objects.visible_to(request.user).active()
    departements = Departement.objects.filter(
        code__in=profiles.values("commune__departement")
    ).order_by("code")
    form = CandidateFilterForm(request.GET or None, departements=departements)
    if form.is_valid():
        data = form.cleaned_data
        profiles = text_search(profiles, data["q"], SEARCH_FIELDS)
        if data["departement"]:
            profiles = profiles.filter(commune__departement=data["departement"])
        if data["disponible"]:
            profiles = profiles.filter(is_available=data["disponible"] == "oui")
        if data["situation"]:
            profiles = profiles.filter(**{SITUATION_FIELDS[data["situation"]]: True})
    profiles = profiles.select_related("user", "commune").order_by(
        "user__last_name", "user__first_name", "pk"
    )
    page, query = paginate(request, profiles, PAGE_SIZE)
    context = {"title": "Candidats", "form": form, "page": page, "query": query}
    return render(request, "candidates/admin_list.html", context)


@require_GET
@require_role(*DECIDER_ROLES)
def candidate_detail(request, pk):
    profile = get_object_or_404(
        CandidateProfile.objects.visible_to(request.user)
        .active()
        .select_related("user", "commune__departement__region"),
        pk=pk,
    )
    context = {
        "title": f"Candidat : {profile.user.get_full_name()}",
        "profile": profile,
        "can_download_cv": can_download_cv(request.user, profile),
    }
    return render(request, "candidates/admin_detail.html", context)
