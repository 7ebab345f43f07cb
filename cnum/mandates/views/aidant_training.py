"""Aidant training pages: sessions, registration by the structure, attendance by the training
organisation, the training attestation (docs/aidants-connect.md#formation)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.models import Organisation
from cnum.accounts.roles import OrganisationKind, Role
from cnum.documents.enums import DocumentKind
from cnum.documents.services import render_pdf
from cnum.mandates import aidant_training as rules
from cnum.mandates.forms import TrainingRegistrationForm, TrainingSessionForm
from cnum.mandates.models import AidantProfile
from cnum.mandates.policies import managed_structure_ids


def _organisations(user):
    """Training organisations the user may create sessions for."""
    organisations = Organisation.objects.filter(kind=OrganisationKind.ORGANISME_FORMATION)
    if user.has_role(Role.ADMINISTRATEUR):
        return organisations.order_by("name")
    return organisations.filter(pk__in=rules.organiser_ids(user)).order_by("name")


@require_http_methods(["GET", "POST"])
def sessions(request):
    if not rules.may_use_training(request.user):
        raise PermissionDenied
    organisations = _organisations(request.user)
    form = None
    if organisations.exists():
        form = TrainingSessionForm(
            request.POST if request.method == "POST" else None, organisations=organisations
        )
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and form.is_bound and form.is_valid():
        try:
            session = rules.create_session(actor=request.user, **form.cleaned_data)
        except rules.TrainingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "La session est créée : les structures peuvent y inscrire.")
            return redirect("mandates:training_session", pk=session.pk)
    listed = rules.with_seats(rules.sessions_visible_to(request.user)).filter(
        end_date__gte=timezone.localdate()
    )
    return render(
        request,
        "mandates/training/sessions.html",
        {"sessions": listed[:200], "form": form, "title": "Formations des aidants"},
    )


def _visible_session(request, pk):
    return get_object_or_404(rules.with_seats(rules.sessions_visible_to(request.user)), pk=pk)


def _registrable(user, session):
    """Aidants of the user's structures, active, not yet registered to the session."""
    return (
        AidantProfile.objects.filter(
            membership__organisation_id__in=managed_structure_ids(user),
            membership__role=Role.AIDANT,
            membership__is_active=True,
        )
        .exclude(training_registrations__session=session)
        .select_related("membership__user", "membership__organisation")
        .order_by("membership__user__last_name", "pk")
    )


@require_GET
def session_detail(request, pk):
    session = _visible_session(request, pk)
    organiser = rules.organises(request.user, session)
    registrations = rules.registrations_visible_to(request.user).filter(session=session)
    form = None
    if managed_structure_ids(request.user):
        form = TrainingRegistrationForm(profiles=_registrable(request.user, session))
    return render(
        request,
        "mandates/training/session.html",
        {
            "session": session,
            "organiser": organiser,
            "registrations": registrations.order_by("pk"),
            "form": form,
            # Registration stays open on the first day; attendance is recorded from then on.
            "started": session.start_date <= timezone.localdate(),
            "closed": session.start_date < timezone.localdate(),
            "title": str(session),
        },
    )


@require_POST
def session_register(request, pk):
    session = _visible_session(request, pk)
    if not managed_structure_ids(request.user):
        raise PermissionDenied
    form = TrainingRegistrationForm(request.POST, profiles=_registrable(request.user, session))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["aidant"]))
        return redirect("mandates:training_session", pk=pk)
    profile = form.cleaned_data["aidant"]
    try:
        rules.register(session, profile, actor=request.user)
    except rules.TrainingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{profile} est inscrit(e) à la session.")
    return redirect("mandates:training_session", pk=pk)


@require_POST
def attendance(request, pk):
    registration = get_object_or_404(rules.registrations_visible_to(request.user), pk=pk)
    try:
        rules.record_attendance(registration, actor=request.user)
    except rules.TrainingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"La présence de {registration.aidant_profile} est enregistrée.")
    return redirect("mandates:training_session", pk=registration.session_id)


@require_GET
def attestation(request, pk):
    """The training attestation of an aidant whose attendance is recorded, as a PDF."""
    registration = get_object_or_404(rules.registrations_visible_to(request.user), pk=pk)
    if registration.attended_at is None:
        raise Http404
    session = registration.session
    return render_pdf(
        "mandates/training/attestation_pdf.html",
        {"registration": registration, "session": session},
        kind=DocumentKind.ATTESTATION_FORMATION_AIDANT,
        title="Attestation de formation Aidants Connect",
        issued_by=request.user,
        subject=f"Formation Aidants Connect du {session.start_date:%d/%m/%Y} au "
        f"{session.end_date:%d/%m/%Y} ({session.organisation})",
    )
