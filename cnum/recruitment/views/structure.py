"""The structure's side: its recruitments and conseillers, the contract, rupture and renewal
forms, and each match's history (read-only for préfets and the administration)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.text import de
from cnum.matching.enums import HOLDING_POST
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment import services
from cnum.recruitment.effects import RecruitmentRefused, posts_taken
from cnum.recruitment.forms import ContractForm, DecisionForm, RuptureForm, WithdrawForm
from cnum.recruitment.models import Contract
from cnum.recruitment.policies import (
    attach_live,
    managed_match,
    visible_match,
    visible_structure,
    with_recruitment_data,
)
from cnum.structures.transitions import manages
from cnum.workflow.engine import InvalidTransition
from cnum.workflow.models import TransitionLog

manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)
readers_required = require_role(Role.GESTIONNAIRE_STRUCTURE, Role.PREFET, Role.ADMINISTRATEUR)
FORMER = (S.FINALISEE_RUPTURE, S.TERMINEE)
STALE = "Ce dossier a changé entre-temps : voici son état actuel."


@require_GET
@readers_required
def structure_recruitments(request, pk):
    structure = visible_structure(request.user, pk)
    matches = attach_live(
        list(
            with_recruitment_data(
                structure.matches.filter(status__in=(*HOLDING_POST, *FORMER))
            ).order_by("candidate__user__last_name", "pk")
        )
    )
    posts, taken = structure.current_posts(), posts_taken(structure)
    context = {
        "title": f"Recrutements et conseillers — {structure.name}",
        "structure": structure,
        "current": [m for m in matches if m.status in HOLDING_POST],
        "former": [m for m in matches if m.status in FORMER],
        "posts": posts,
        "taken": taken,
        "vacant": max(posts - taken, 0),
        "is_manager": manages(request.user, structure),
    }
    return render(request, "recruitment/structure.html", context)


@require_GET
@readers_required
def match_detail(request, pk):
    match = visible_match(request.user, pk)
    user = request.user
    is_admin = user.has_role(Role.ADMINISTRATEUR)
    context = {
        "title": f"Recrutement {de(match.candidate.user)}",
        "match": match,
        "structure": match.structure,
        "contracts": match.contracts.select_related("created_by", "approved_by"),
        "ruptures": match.ruptures.select_related("notified_by", "decided_by"),
        "history": TransitionLog.objects.for_object(match).select_related("actor"),
        "is_manager": manages(user, match.structure),
        "decision_form": DecisionForm()
        if is_admin and match.status in services.DECISIONS
        else None,
        **_decider_links(user, match),
    }
    return render(request, "recruitment/match.html", context)


def _decider_links(user, match):
    """What the administration and préfets check before deciding: the person's file and the
    structure's post counter (granted, held, vacant)."""
    if not user.has_role(Role.ADMINISTRATEUR, Role.PREFET):
        return {}
    structure = match.structure
    granted, filled = structure.current_posts(), structure.filled_posts()
    return {
        "is_decider": True,
        "candidate_visible": match.candidate.activated_at is not None,
        "posts": {"granted": granted, "filled": filled, "vacant": max(granted - filled, 0)},
    }


def _contract_page(request, match, form, title, action):
    context = {
        "title": title,
        "match": match,
        "structure": match.structure,
        "form": form,
        "action": action,
    }
    # Errors re-render with 200, as the other forms of the site do for browsers.
    return render(request, "recruitment/contract_form.html", context)


def _apply_form_errors(form, error):
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _contract_view(status, not_allowed, service, title, success, submit):
    """A contract form (recruitment, renewal): `service(match, manager, contract, comment)`."""

    @require_http_methods(["GET", "POST"])
    @manager_required
    def view(request, pk):
        match = managed_match(request.user, pk)
        if match.status != status:
            messages.info(request, not_allowed)
            return redirect("recruitment:match", pk=pk)
        form = ContractForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(match, request.user, form.contract_data(), form.cleaned_data["comment"])
            except ValidationError as error:
                _apply_form_errors(form, error)
            except RecruitmentRefused as error:
                form.add_error(None, str(error))
            except InvalidTransition:
                messages.error(request, STALE)
                return redirect("recruitment:match", pk=pk)
            else:
                messages.success(request, success)
                return redirect("recruitment:match", pk=pk)
        return _contract_page(request, match, form, title.format(match.candidate.user), submit)

    return view


recruit = _contract_view(
    S.INTERESSEE,
    "Seul un candidat présélectionné peut être recruté.",
    services.request_recruitment,
    "Recruter {}",
    "Votre demande de recrutement est transmise à l'administration.",
    "Demander le recrutement",
)
renewal = _contract_view(
    S.FINALISEE,
    "Seul le contrat d'un conseiller en poste peut être renouvelé.",
    services.draft_renewal,
    "Renouveler le contrat de {}",
    "Le renouvellement est transmis à l'administration.",
    "Proposer le renouvellement",
)


@require_http_methods(["GET", "POST"])
@manager_required
def rupture(request, pk):
    match = managed_match(request.user, pk)
    if match.status != S.FINALISEE:
        messages.info(request, "Seul le contrat d'un conseiller en poste peut être rompu.")
        return redirect("recruitment:match", pk=pk)
    contract = Contract.objects.current().filter(match=match).first()
    form = RuptureForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            services.notify_rupture(match, request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        except InvalidTransition:
            messages.error(request, STALE)
            return redirect("recruitment:match", pk=pk)
        else:
            messages.success(request, "La rupture est signalée à l'administration.")
            return redirect("recruitment:match", pk=pk)
    context = {
        "title": f"Signaler la fin du contrat de {match.candidate.user}",
        "match": match,
        "structure": match.structure,
        "contract": contract,
        "form": form,
    }
    return render(request, "recruitment/rupture_form.html", context)


WITHDRAW_PAGES = {
    S.RECRUTEE: (
        "Annuler la demande de recrutement",
        "La demande de recrutement est annulée et le poste est libéré ; "
        "le candidat reste en relation avec votre structure.",
    ),
    S.NOUVELLE_RUPTURE: (
        "Annuler la rupture",
        "La rupture signalée est annulée : le contrat continue comme avant.",
    ),
    S.RENOUVELLEMENT_INITIE: (
        "Abandonner le renouvellement",
        "La demande de renouvellement est abandonnée : le contrat prendra fin à sa date prévue.",
    ),
}


@require_http_methods(["GET", "POST"])
@manager_required
def withdraw(request, pk):
    """The structure withdraws its pending request (recruitment, rupture or renewal), after
    confirming on a page that says what it undoes."""
    match = managed_match(request.user, pk)
    form = WithdrawForm(request.POST or None)
    if match.status in WITHDRAW_PAGES and not confirmed(request):
        title, consequence = WITHDRAW_PAGES[match.status]
        return confirmation_page(
            request,
            title=title,
            consequences=consequence,
            confirm_label=title,
            cancel_url=reverse("recruitment:match", args=[pk]),
            form=form if form.is_bound else WithdrawForm(),
        )
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.withdraw(match, request.user, comment)
    except InvalidTransition:
        messages.error(request, "Il n'y a plus de demande en attente à retirer.")
    else:
        messages.success(request, "Votre demande est retirée.")
    return redirect("recruitment:match", pk=pk)
