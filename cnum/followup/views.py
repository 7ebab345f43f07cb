"""Follow-up screens (docs/suivi.md): conseillers without activity, contracts to renew, the
structure's leaves and non-renewal declarations."""

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.candidates.services import today
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.pages import paginate
from cnum.core.params import choice_param
from cnum.exports import writers
from cnum.followup import inactivity, renewals, services
from cnum.followup.forms import LeaveForm, NonRenewalForm
from cnum.followup.models import InactivityLevel, InactivityReminder, Leave
from cnum.followup.policies import (
    INACTIVE_ROLES,
    RENEWAL_ROLES,
    contracts_in_scope,
    managed_conseillers,
    managed_contract,
    scope_for,
)

PAGE_SIZE = 50
FORMATS = ("csv", "xlsx")
manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)

INACTIVE_HEADER = [
    "Conseiller",
    "Adresse électronique",
    "Structure",
    "Département",
    "Date du dernier CRA",
    "Jours sans activité",
    "Rappels envoyés",
]
RENEWAL_HEADER = [
    "Conseiller",
    "Structure",
    "Département",
    "Type de contrat",
    "Fin du contrat",
    "Jours restants",
    "État du renouvellement",
    "Raison du non-renouvellement",
    "Commentaire",
]


def _export(request, filename, title, header, rows):
    return writers.tabular_response(request.GET.get("format"), filename, title, header, rows)


# --- Conseillers sans activité ------------------------------------------------------------


def _reminders_text(contract, sent):
    levels = sent.get((contract.conseiller_id, contract.gap_start), [])
    return " ; ".join(
        f"{InactivityLevel(level).label} le {at:%d/%m/%Y}" for level, at in sorted(levels)
    )


def _sent_reminders(contracts):
    """{(conseiller id, gap start): [(level, sent date)]} for the listed contracts."""
    sent = defaultdict(list)
    ids = {c.conseiller_id for c in contracts}
    for pk, gap, level, at in InactivityReminder.objects.filter(conseiller_id__in=ids).values_list(
        "conseiller_id", "gap_start", "level", "sent_at"
    ):
        sent[(pk, gap)].append((level, at))
    return sent


@require_GET
@require_role(*INACTIVE_ROLES)
def inactive(request):
    scope = scope_for(request.user, INACTIVE_ROLES)
    day = today()
    thresholds = inactivity.thresholds()
    choices = [str(t) for t in thresholds]
    threshold = int(choice_param(request.GET, "seuil", choices, choices[0]))
    contracts = contracts_in_scope(inactivity.silent(day, threshold), scope).select_related(
        "match__candidate__user", "match__structure__departement"
    )
    contracts = contracts.order_by("gap_start", "match__candidate__user__last_name", "pk")
    export = choice_param(request.GET, "format", FORMATS)
    if export:
        rows = list(contracts)
        sent = _sent_reminders(rows)
        lines = (
            [
                c.match.candidate.user.get_full_name(),
                c.match.candidate.user.email,
                c.match.structure.name,
                str(c.match.structure.departement or ""),
                c.last_date,
                (day - c.gap_start).days,
                _reminders_text(c, sent),
            ]
            for c in rows
        )
        return _export(
            request,
            f"conseillers-sans-activite-{day:%Y%m%d}",
            "Sans activité",
            INACTIVE_HEADER,
            lines,
        )
    page, query = paginate(request, contracts, PAGE_SIZE)
    sent = _sent_reminders(page.object_list)
    for contract in page.object_list:
        contract.silent_days = (day - contract.gap_start).days
        contract.reminders = _reminders_text(contract, sent)
    context = {
        "title": "Conseillers sans activité",
        "scope": scope,
        "page": page,
        "query": query,
        "threshold": threshold,
        "thresholds": thresholds,
        "is_manager": scope.audience == Role.GESTIONNAIRE_STRUCTURE,
    }
    return render(request, "followup/inactive.html", context)


# --- Contrats à renouveler ----------------------------------------------------------------


@require_GET
@require_role(*RENEWAL_ROLES)
def renewal_list(request):
    scope = scope_for(request.user, RENEWAL_ROLES)
    day = today()
    horizons = [str(m) for m in renewals.HORIZONS]
    months = int(choice_param(request.GET, "mois", horizons, "4"))
    contracts = contracts_in_scope(renewals.ending(day, months), scope)
    export = choice_param(request.GET, "format", FORMATS)
    if export:
        lines = (
            [
                c.match.candidate.user.get_full_name(),
                c.match.structure.name,
                str(c.match.structure.departement or ""),
                c.get_type_display(),
                c.end_date,
                (c.end_date - day).days,
                renewals.renewal_state(c),
                c.non_renewal.get_reason_display() if c.declared else "",
                c.non_renewal.comment if c.declared else "",
            ]
            for c in contracts
        )
        return _export(
            request, f"contrats-a-renouveler-{day:%Y%m%d}", "Contrats", RENEWAL_HEADER, lines
        )
    page, query = paginate(request, contracts, PAGE_SIZE)
    is_manager = scope.audience == Role.GESTIONNAIRE_STRUCTURE
    for contract in page.object_list:
        contract.remaining = (contract.end_date - day).days
        contract.renewal_state = renewals.renewal_state(contract)
        contract.may_declare = is_manager and renewals.may_declare(contract)
    context = {
        "title": "Contrats à renouveler",
        "scope": scope,
        "page": page,
        "query": query,
        "months": months,
        "horizons": renewals.HORIZONS,
        "is_manager": is_manager,
    }
    return render(request, "followup/renewals.html", context)


@require_http_methods(["GET", "POST"])
@manager_required
def non_renewal(request, pk):
    contract = managed_contract(request.user, pk)
    back = reverse("followup:renewals")
    if not renewals.may_declare(contract):
        messages.info(request, "Ce contrat est déjà en cours de renouvellement ou déclaré.")
        return redirect(back)
    form = NonRenewalForm(request.POST if request.method == "POST" else None)
    if confirmed(request) and form.is_valid():
        try:
            services.declare_non_renewal(request.user, contract, **form.cleaned_data)
        except services.FollowupRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "C'est noté : ce contrat ne sera pas renouvelé. Aucun rappel ne suivra."
            )
        return redirect(back)
    user = contract.match.candidate.user
    return confirmation_page(
        request,
        title="Nous ne renouvellerons pas ce contrat",
        consequences=[
            f"Vous déclarez que le contrat de {user.get_full_name()} ne sera pas renouvelé.",
            "L'administration et la préfecture le verront dans les contrats à renouveler ; "
            "vous ne recevrez plus de rappel pour ce contrat.",
        ],
        details=[
            ("Conseiller", user.get_full_name()),
            ("Structure", contract.match.structure.name),
            ("Fin du contrat", f"{contract.end_date:%d/%m/%Y}"),
        ],
        form=form,
        confirm_label="Confirmer le non-renouvellement",
        cancel_url=back,
    )


# --- Absences déclarées par la structure ----------------------------------------------------


@require_http_methods(["GET", "POST"])
@manager_required
def leaves(request):
    conseillers = managed_conseillers(request.user)
    form = LeaveForm(request.POST or None, conseillers=conseillers)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_leave(request.user, **form.cleaned_data)
        except services.FollowupRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "L'absence est enregistrée : aucun rappel pendant celle-ci.")
            return redirect("followup:leaves")
    declared = (
        Leave.objects.filter(conseiller__in=conseillers, end__gte=today())
        .select_related("conseiller")
        .order_by("start", "pk")
    )
    context = {
        "title": "Absences des conseillers",
        "form": form,
        "leaves": declared,
        "conseillers": conseillers.order_by("last_name", "first_name", "pk"),
    }
    return render(request, "followup/leaves.html", context)


@require_http_methods(["GET", "POST"])
@manager_required
def leave_delete(request, pk):
    leave = get_object_or_404(
        Leave.objects.filter(conseiller__in=managed_conseillers(request.user)), pk=pk
    )
    if confirmed(request):
        services.delete_leave(request.user, leave)
        messages.success(request, "L'absence est supprimée.")
        return redirect("followup:leaves")
    return confirmation_page(
        request,
        title="Supprimer cette absence",
        consequences="L'absence est supprimée : les rappels d'inactivité reprennent.",
        details=[("Absence", str(leave))],
        confirm_label="Supprimer l'absence",
        cancel_url=reverse("followup:leaves"),
    )
