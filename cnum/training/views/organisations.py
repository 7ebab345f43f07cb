"""Training organisations: the members' space, sessions, and the administration's screens."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.training import services
from cnum.training.enums import HOLDING_SEAT
from cnum.training.forms import HabilitationForm, MemberForm, OrganisationForm, SessionForm
from cnum.training.models import TrainingOrganisation
from cnum.training.policies import visible_organisation, visible_session

admin_required = require_role(Role.ADMINISTRATEUR)
trainer_required = require_role(Role.ORGANISME_FORMATION, Role.ADMINISTRATEUR)


@require_GET
@require_role(Role.ORGANISME_FORMATION)
def space(request):
    organisations = list(TrainingOrganisation.objects.visible_to(request.user))
    if len(organisations) == 1:
        return redirect("training:organisation", pk=organisations[0].pk)
    context = {"title": "Mon organisme de formation", "organisations": organisations}
    return render(request, "training/space.html", context)


def _organisation_context(request, organisation, **forms):
    is_admin = request.user.has_role(Role.ADMINISTRATEUR)
    context = {
        "title": organisation.name,
        "organisation": organisation,
        "sessions": organisation.sessions.with_seats().select_related("commune"),
        "session_form": forms.get("session_form") or SessionForm(organisation=organisation),
        "is_admin": is_admin,
    }
    if is_admin:
        context["members"] = organisation.members().select_related("user")
        context["member_form"] = forms.get("member_form") or MemberForm()
        context["habilitation_form"] = HabilitationForm(
            initial={"habilitated": organisation.is_habilitated}
        )
    return context


@require_GET
@trainer_required
def organisation(request, pk):
    organisation = visible_organisation(request.user, pk)
    return render(
        request, "training/organisation.html", _organisation_context(request, organisation)
    )


@require_POST
@trainer_required
def session_create(request, pk):
    organisation = visible_organisation(request.user, pk)
    form = SessionForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            session = services.create_session(organisation, request.user, **form.cleaned_data)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"La session « {session.name} » est créée.")
            return redirect("training:organisation", pk=pk)
    context = _organisation_context(request, organisation, session_form=form)
    return render(request, "training/organisation.html", context, status=400)


@require_GET
@trainer_required
def session_detail(request, pk):
    session = visible_session(request.user, pk)
    enrolments = list(
        session.enrolments.select_related("conseiller", "structure").order_by(
            "conseiller__last_name", "pk"
        )
    )
    taken = sum(1 for e in enrolments if e.status in HOLDING_SEAT)
    context = {
        "title": session.name,
        "session": session,
        "enrolments": enrolments,
        "free_seats": max(session.capacity - taken, 0),
    }
    return render(request, "training/session.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def admin_organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, f"L'organisme « {organisation.name} » est habilité.")
        return redirect("training:organisation", pk=organisation.pk)
    organisations = TrainingOrganisation.objects.select_related("commune").annotate(
        trainees=Count("enrolments", filter=Q(enrolments__status__in=HOLDING_SEAT)),
        session_count=Count("sessions", distinct=True),
    )
    context = {"title": "Organismes de formation", "organisations": organisations, "form": form}
    return render(
        request,
        "training/admin_organisations.html",
        context,
        status=400 if form.errors else 200,
    )


@require_POST
@admin_required
def member_invite(request, pk):
    organisation = visible_organisation(request.user, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        services.add_member(organisation, invited_by=request.user, **form.cleaned_data)
        messages.success(
            request,
            f"{form.cleaned_data['email']} est membre de l'organisme ; un courriel l'en informe.",
        )
        return redirect("training:organisation", pk=pk)
    context = _organisation_context(request, organisation, member_form=form)
    return render(request, "training/organisation.html", context, status=400)


@require_POST
@admin_required
def habilitation(request, pk):
    organisation = visible_organisation(request.user, pk)
    form = HabilitationForm(request.POST)
    form.is_valid()
    habilitated = form.cleaned_data.get("habilitated", False)
    services.set_habilitation(organisation, request.user, habilitated)
    messages.success(
        request,
        "L'organisme est habilité."
        if habilitated
        else "L'habilitation de l'organisme est suspendue.",
    )
    return redirect("training:organisation", pk=pk)
