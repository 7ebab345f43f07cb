"""Quick entry, history, edit and soft delete of CRA; followed beneficiaries."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cnum.activity import policies, services
from cnum.activity.enums import DUREE_PRESETS, CraType
from cnum.activity.forms import BeneficiaryForm, CraForm, HistoryFilterForm
from cnum.activity.models import Beneficiary, Cra
from cnum.activity.workshop_link import workshop_initial

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def entry(request):
    """/activite/saisie: one screen; ?repeter=1 copies the last record, ?atelier=<id> a workshop."""
    user = request.user
    if request.method == "POST":
        form = CraForm(request.POST, user=user)
        if form.is_valid():
            services.save_record(
                user, _model_values(form), form.cleaned_data.get("beneficiaries") or []
            )
            messages.success(request, "Le compte rendu d'activité est enregistré.")
            return redirect("activity:entry")
    else:
        initial = services.initial_values(user, repeat=request.GET.get("repeter") == "1")
        initial.update(workshop_initial(user, request.GET.get("atelier")))
        form = CraForm(initial=initial, user=user)
    return _render_form(request, form, "Saisir un compte rendu d'activité")


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def edit(request, pk):
    cra = policies.own_cra(request.user, pk)
    if request.method == "POST":
        form = CraForm(request.POST, user=request.user)
        if form.is_valid():
            services.save_record(
                request.user,
                _model_values(form),
                form.cleaned_data.get("beneficiaries") or [],
                cra=cra,
            )
            messages.success(request, "Le compte rendu d'activité est modifié.")
            return redirect("activity:history")
    else:
        initial = services.record_initial(cra)
        initial["beneficiaries"] = list(cra.beneficiaries.values_list("pk", flat=True))
        form = CraForm(initial=initial, user=request.user)
    return _render_form(request, form, "Modifier un compte rendu d'activité", cra=cra)


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def delete(request, pk):
    cra = policies.own_cra(request.user, pk)
    if request.method == "POST":
        services.soft_delete(cra)
        messages.success(request, "Le compte rendu d'activité est supprimé.")
        return redirect("activity:history")
    return render(request, "activity/delete.html", {"cra": cra, "title": "Supprimer un CRA"})


@require_http_methods(["GET"])
@policies.reader_required
def history(request):
    form = HistoryFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their error and left out
    records = form.filter(policies.readable_cras(request.user))
    records = records.select_related("place", "commune", "conseiller").order_by("-date", "-pk")
    number = form.cleaned_data.get("page") or 1
    page = Paginator(records, PAGE_SIZE).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": "Historique des comptes rendus d'activité",
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "is_conseiller": request.user.has_role("conseiller"),
    }
    return render(request, "activity/history.html", context)


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def beneficiaries(request):
    form = BeneficiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        Beneficiary.objects.create(conseiller=request.user, **form.cleaned_data)
        messages.success(request, "Le bénéficiaire est ajouté à votre suivi.")
        return redirect("activity:beneficiaries")
    context = {
        "title": "Bénéficiaires suivis",
        "form": form,
        "beneficiaries": policies.own_beneficiaries(request.user),
    }
    return render(request, "activity/beneficiaries.html", context)


@require_http_methods(["GET"])
@policies.conseiller_required
def beneficiary_detail(request, pk):
    beneficiary = policies.own_beneficiary(request.user, pk)
    records = (
        Cra.objects.alive()
        .filter(conseiller=request.user)
        .filter(Q(beneficiary=beneficiary) | Q(beneficiaries=beneficiary))
        .distinct()
    )
    context = {
        "title": str(beneficiary),
        "beneficiary": beneficiary,
        "records": records.select_related("place").order_by("-date", "-pk")[:200],
    }
    return render(request, "activity/beneficiary_detail.html", context)


def _model_values(form):
    values = form.model_values()
    values["place"] = form.cleaned_data.get("place")
    values["commune"] = form.cleaned_data.get("commune")
    for name in ("place_id", "commune_id"):
        values.pop(name)
    if values["type"] == CraType.COLLECTIF:
        values["beneficiary_id"] = None
    return values


def _render_form(request, form, title, cra=None):
    context = {"title": title, "form": form, "cra": cra, "presets": DUREE_PRESETS}
    return render(request, "activity/entry.html", context)
