"""Trainees: the organisation's list, one enrolment's follow-up, and the conseiller's own page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.params import choice_param
from cnum.training import services
from cnum.training.enums import EnrolmentStatus
from cnum.training.forms import CertificationForm, MoveForm, ProgressForm
from cnum.training.models import Enrolment, TrainingOrganisation
from cnum.training.policies import visible_enrolment
from cnum.training.state import conseiller_state, state_of
from cnum.training.transitions import trainer
from cnum.workflow.engine import InvalidTransition
from cnum.workflow.models import TransitionLog

PAGE_SIZE = 50
E = EnrolmentStatus
follow_up_roles = require_role(
    Role.ORGANISME_FORMATION, Role.ADMINISTRATEUR, Role.GESTIONNAIRE_STRUCTURE
)
# Buttons of each move, as the table allows them: (action, target, label, needs a date).
MOVES = [
    ("start", E.INSCRITE, E.EN_COURS, "Enregistrer l'entrée en formation", True),
    ("finish", E.EN_COURS, E.TERMINEE, "Enregistrer la fin de formation", True),
    ("abandon", E.EN_COURS, E.ABANDONNEE, "Déclarer l'abandon", False),
    ("cancel", E.INSCRITE, E.ANNULEE, "Annuler l'inscription", False),
    ("resume", E.ABANDONNEE, E.EN_COURS, "Reprendre la formation", False),
    ("reopen", E.TERMINEE, E.EN_COURS, "Rouvrir la formation (correction)", False),
]


@require_GET
@require_role(Role.ORGANISME_FORMATION)
def trainees(request):
    status = choice_param(request.GET, "etat", E.values)
    queryset = (
        Enrolment.objects.filter(
            organisation__in=TrainingOrganisation.objects.visible_to(request.user)
        )
        .select_related("conseiller", "structure", "organisation", "session")
        .order_by("conseiller__last_name", "pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Mes stagiaires",
        "page": page,
        "statuses": E.choices,
        "status": status,
        "query": f"etat={status}" if status in E.values else "",
    }
    return render(request, "training/trainees.html", context)


def _detail_context(request, enrolment, **forms):
    user = request.user
    allowed = set(type(enrolment).workflow.allowed_targets(enrolment, user))
    moves = [
        (action, label, dated)
        for action, frm, to, label, dated in MOVES
        if frm == enrolment.status and to in allowed
    ]
    return {
        "title": f"Formation de {enrolment.conseiller}",
        "enrolment": enrolment,
        "state": state_of(enrolment),
        "moves": moves,
        "can_train": trainer(user, enrolment),
        "history": TransitionLog.objects.for_object(enrolment).select_related("actor"),
        "progress_form": forms.get("progress_form") or ProgressForm(instance=enrolment),
        "move_form": forms.get("move_form") or MoveForm(),
        "certification_form": forms.get("certification_form")
        or CertificationForm(
            initial={
                "certification_type": enrolment.certification_type,
                "result": enrolment.certification_result,
                "certified_on": enrolment.certified_on,
            }
        ),
    }


def _render_detail(request, enrolment, status=200, **forms):
    context = _detail_context(request, enrolment, **forms)
    return render(request, "training/enrolment.html", context, status=status)


@require_GET
@follow_up_roles
def enrolment_detail(request, pk):
    return _render_detail(request, visible_enrolment(request.user, pk))


@require_POST
@follow_up_roles
def enrolment_progress(request, pk):
    enrolment = visible_enrolment(request.user, pk)
    if not trainer(request.user, enrolment):
        raise PermissionDenied
    form = ProgressForm(request.POST, instance=Enrolment.objects.get(pk=pk))
    if not form.is_valid():
        return _render_detail(request, enrolment, 400, progress_form=form)
    services.record_progress(enrolment, request.user, **form.cleaned_data)
    messages.success(request, "Le suivi est enregistré.")
    return redirect("training:enrolment", pk=pk)


# Moves that end a training for good: they ask for a confirmation first.
CONFIRMED_MOVES = {
    "abandon": (
        "Déclarer la formation abandonnée",
        "La formation de {person} est déclarée abandonnée : sa place dans la session n'est "
        "plus comptée et son parcours de formation s'arrête là.",
    ),
    "cancel": (
        "Annuler l'inscription",
        "L'inscription de {person} est annulée : sa place dans la session est libérée.",
    ),
}


def _move_confirmation(request, enrolment, form):
    title, consequence = CONFIRMED_MOVES[form.cleaned_data["action"]]
    form.fields.pop("day")  # no date to give for these moves
    return confirmation_page(
        request,
        title=title,
        consequences=consequence.format(person=enrolment.conseiller),
        confirm_label=title,
        cancel_url=reverse("training:enrolment", args=[enrolment.pk]),
        form=form,
    )


@require_POST
@follow_up_roles
def enrolment_move(request, pk):
    enrolment = visible_enrolment(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, enrolment, 400, move_form=form)
    action, day = form.cleaned_data["action"], form.cleaned_data["day"]
    comment = form.cleaned_data["comment"]
    if action in CONFIRMED_MOVES and not confirmed(request):
        return _move_confirmation(request, enrolment, form)
    try:
        if action == "start":
            services.start_training(enrolment, request.user, day, comment)
        elif action == "finish":
            services.finish_training(enrolment, request.user, day, comment)
        else:
            services.move(enrolment, request.user, MoveForm.ACTIONS[action], comment)
    except services.TrainingError as error:
        form.add_error("day", str(error))
        return _render_detail(request, enrolment, 400, move_form=form)
    except InvalidTransition:
        messages.error(request, "Cette formation a changé d'état entre-temps : vérifiez-la.")
        return redirect("training:enrolment", pk=pk)
    messages.success(request, f"Formation : {enrolment.get_status_display().lower()}.")
    return redirect("training:enrolment", pk=pk)


@require_POST
@follow_up_roles
def enrolment_certification(request, pk):
    enrolment = visible_enrolment(request.user, pk)
    if not trainer(request.user, enrolment):
        raise PermissionDenied
    form = CertificationForm(request.POST)
    if form.is_valid():
        try:
            services.record_certification(
                enrolment,
                request.user,
                certification_type=form.cleaned_data["certification_type"],
                result=form.cleaned_data["result"],
                certified_on=form.cleaned_data["certified_on"],
            )
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "La certification est enregistrée.")
            return redirect("training:enrolment", pk=pk)
    return _render_detail(request, enrolment, 400, certification_form=form)


@require_GET
@require_role(Role.CONSEILLER)
def mine(request):
    state, enrolment = conseiller_state(request.user)
    structure = services.structures_of(request.user).first()
    context = {
        "title": "Ma formation",
        "state": state,
        "enrolment": enrolment,
        "structure": structure,
    }
    return render(request, "training/mine.html", context)
