"""Quick entry, history, edit and soft delete of CRA; followed beneficiaries."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cnum.activity import directory, policies, services
from cnum.activity.enums import DUREE_PRESETS, CraType, Thematique
from cnum.activity.forms import BeneficiaryForm, CraForm, HistoryFilterForm
from cnum.activity.models import Beneficiary, Cra
from cnum.activity.workshop_link import workshop_initial
from cnum.core.pages import paginate
from cnum.places.services import main_place

PAGE_SIZE = 25
SEARCH = "orientation_recherche"
SEARCH_BUTTON = "chercher_lieu"
NEXT_BUTTON = "saisir_un_autre"
THEMATIQUE_LABELS = dict(Thematique.choices)


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def entry(request):
    """/activite/saisie: one screen; ?repeter=1 copies the last record, ?atelier=<id> a workshop,
    type, place and duration in the query those of the record just saved (« saisir un autre »)."""
    user = request.user
    if SEARCH_BUTTON in request.POST:
        form = _form_showing(request.POST, user)
    elif request.method == "POST":
        form = CraForm(request.POST, user=user)
        if form.is_valid():
            cra = services.save_record(
                user, _model_values(form), form.cleaned_data.get("beneficiaries") or []
            )
            messages.success(request, "Le compte rendu d'activité est enregistré.")
            if NEXT_BUTTON in request.POST:
                return redirect(f"{reverse('activity:entry')}?{services.next_query(cra)}")
            if cra.oriente:
                # Its page offers to send the referral (docs/orientations.md#envoi).
                return redirect("activity:detail", pk=cra.pk)
            return redirect("activity:entry")
    else:
        initial = services.initial_values(user, repeat=request.GET.get("repeter") == "1")
        initial.update(services.next_initial(request.GET))
        initial.update(workshop_initial(user, request.GET.get("atelier")))
        form = CraForm(initial=initial, user=user)
    return _render_form(request, form, "Saisir un compte rendu d'activité")


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def edit(request, pk):
    cra = policies.own_cra(request.user, pk)
    if SEARCH_BUTTON in request.POST:
        form = _form_showing(request.POST, request.user)
    elif request.method == "POST":
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
def detail(request, pk):
    cra = policies.readable_cra(request.user, pk)
    context = {
        "title": str(cra),
        "cra": cra,
        "thematiques": [THEMATIQUE_LABELS.get(value, value) for value in cra.thematiques],
        "is_conseiller": request.user.has_role("conseiller"),
    }
    return render(request, "activity/detail.html", context)


@require_http_methods(["GET"])
@policies.reader_required
def history(request):
    form = HistoryFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their error and left out
    records = form.filter(policies.readable_cras(request.user))
    records = records.select_related(
        "place", "commune", "conseiller", "orientation_place__commune"
    ).order_by("-date", "-pk")
    page, query = paginate(request, records, PAGE_SIZE, form.cleaned_data.get("page") or 1)
    context = {
        "title": "Historique des comptes rendus d'activité",
        "form": form,
        "page": page,
        "query": query,
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
        "records": records.select_related("place", "orientation_place__commune").order_by(
            "-date", "-pk"
        )[:200],
    }
    return render(request, "activity/beneficiary_detail.html", context)


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def beneficiary_edit(request, pk):
    beneficiary = policies.own_beneficiary(request.user, pk)
    if request.method == "POST":
        form = BeneficiaryForm(request.POST)
        if form.is_valid():
            services.update_beneficiary(beneficiary, form.cleaned_data)
            messages.success(request, "Le bénéficiaire suivi est modifié.")
            return redirect("activity:beneficiary_detail", pk=beneficiary.pk)
    else:
        form = BeneficiaryForm(initial=BeneficiaryForm.initial_of(beneficiary))
    context = {"title": f"Modifier {beneficiary}", "form": form, "beneficiary": beneficiary}
    return render(request, "activity/beneficiary_form.html", context)


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def beneficiary_delete(request, pk):
    beneficiary = policies.own_beneficiary(request.user, pk)
    if request.method == "POST":
        services.delete_beneficiary(beneficiary)
        messages.success(
            request,
            "Le bénéficiaire est supprimé : ses données personnelles sont effacées, ses "
            "accompagnements restent comptés de façon anonyme.",
        )
        return redirect("activity:beneficiaries")
    context = {
        "title": f"Supprimer {beneficiary}",
        "beneficiary": beneficiary,
        "record_count": services.beneficiary_records(beneficiary).alive().count(),
    }
    return render(request, "activity/beneficiary_delete.html", context)


def _model_values(form):
    values = form.model_values()
    values["place"] = form.cleaned_data.get("place")
    values["commune"] = form.cleaned_data.get("commune")
    for name in ("place_id", "commune_id"):
        values.pop(name)
    if values["type"] == CraType.COLLECTIF:
        values["beneficiary_id"] = None
    return values


@require_http_methods(["GET"])
@policies.conseiller_required
def directory_search(request):
    """/activite/annuaire/?orientation_recherche=…&orientation_place=<chosen>: the radio buttons
    of the places found, as an HTML fragment for the entry form's script."""
    chosen = {"orientation_place": request.GET.get("orientation_place")}
    form = CraForm(initial=chosen, user=request.user)
    context = _directory_context(request, form)
    return render(request, "activity/_directory_places.html", context)


def _form_showing(data, user):
    """The form showing the values sent with a directory search (the path without JavaScript):
    nothing is saved nor checked yet, nothing typed is lost."""
    form = CraForm(user=user)
    form.initial = {
        name: data.getlist(name)
        if getattr(field.widget, "allow_multiple_selected", False)
        else data.get(name)
        for name, field in form.fields.items()
        if name in data
    }
    return form


def _directory_context(request, form):
    searched = (request.POST if request.method == "POST" else request.GET).get(SEARCH)
    found = directory.search(searched, main_place(request.user)) if searched else []
    form.set_directory_choices(found)
    return {"field": form["orientation_place"], "searched": searched, "found": found}


def _render_form(request, form, title, cra=None):
    context = {"title": title, "form": form, "cra": cra, "presets": DUREE_PRESETS}
    context["directory"] = _directory_context(request, form)
    return render(request, "activity/entry.html", context)
