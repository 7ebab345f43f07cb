"""Public workshop pages (search, detail and registration) and the conseiller's screens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cnum.core import throttling
from cnum.core.params import int_list_param
from cnum.places.policies import conseiller_structures
from cnum.structures.models import Structure
from cnum.workshops import services
from cnum.workshops.enums import RegistrationStatus
from cnum.workshops.forms import NewWorkshopForm, RegistrationForm, WorkshopForm, WorkshopSearchForm
from cnum.workshops.policies import (
    conseiller_required,
    managed_workshops,
    manager_required,
    my_places,
    my_workshop,
    my_workshops,
    public_workshop,
)

# --- Public pages ---------------------------------------------------------------------------------


@login_not_required
@require_GET
def public_list(request):
    bound = "q" in request.GET
    form = WorkshopSearchForm(request.GET if bound else None)
    context = {"title": "Ateliers numériques près de chez vous", "form": form}
    if bound and form.is_valid():
        page = form.cleaned_data["page"] or 1
        radius = form.cleaned_data["rayon"] or services.DEFAULT_RADIUS_KM
        items, has_next = services.workshops_near(
            form.cleaned_data["q"], radius_km=radius, offset=(page - 1) * services.PAGE_SIZE
        )
        context.update(
            results=items,
            has_next=has_next,
            page=page,
            radius=radius,
            origin=form.cleaned_data["q"],
        )
    context["remote"] = services.upcoming_remote()
    return render(request, "workshops/list.html", context, status=400 if form.errors else 200)


# Requests (hence confirmation e-mails) per address and hour, whoever sends them.
EMAIL_LIMIT = (5, 60 * 60)
TOO_MANY_FOR_EMAIL = (
    "De nombreuses demandes d'inscription ont été faites avec cette adresse électronique : "
    "réessayez dans une heure."
)


def _throttled(request):
    return render(request, "workshops/throttled.html", {"title": "Trop de demandes"}, status=429)


@login_not_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """The workshop and its registration form: a POST sends a confirmation link by e-mail;
    the seat is taken only when the person confirms from that link."""
    workshop = public_workshop(pk)
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not throttling.hit(request, "workshops:register"):
            return _throttled(request)
        if form.is_valid() and not throttling.allow(
            "workshops:register-email", form.cleaned_data["email"].lower(), *EMAIL_LIMIT
        ):
            form.add_error(None, TOO_MANY_FOR_EMAIL)
        elif form.is_valid():
            try:
                services.request_registration(workshop, **form.cleaned_data)
            except services.WorkshopError as error:
                form.add_error(None, str(error))
            else:
                messages.info(
                    request,
                    "Un courriel vient d'être envoyé à l'adresse indiquée. Ouvrez le lien qu'il "
                    f"contient dans les {settings.WORKSHOP_CONFIRMATION_MINUTES} minutes pour "
                    "confirmer votre inscription : d'ici là, aucune place n'est réservée.",
                )
                return redirect("workshops:detail", pk=workshop.pk)
        status = 400
    open_ = not workshop.is_cancelled and workshop.starts_at > timezone.now()
    context = {
        "title": workshop.title,
        "workshop": workshop,
        "form": form,
        "open": open_,
        "seats_left": max(workshop.capacity - workshop.registered, 0),
        "retention_days": services.RETENTION_DAYS,
        "minutes": settings.WORKSHOP_CONFIRMATION_MINUTES,
    }
    return render(request, "workshops/detail.html", context, status=status)


def _pending_page(request, registration, error=None):
    """What the link confirms (the workshop, not the name typed by whoever asked)."""
    if error is None and services.is_expired(registration):
        error = str(services.ConfirmationExpired())
    context = {
        "title": "Confirmer votre inscription",
        "registration": registration,
        "workshop": registration.workshop,
        "error": error,
    }
    status = 400 if error and request.method == "POST" else 200
    return render(request, "workshops/registration_confirm.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def registration(request, token):
    """The link of the e-mails. Pending: a page to confirm (POST, the seat is taken then);
    confirmed: see the registration and cancel it (POST, idempotent). A GET changes nothing."""
    found = services.registration_by_token(token)
    if found is None:
        context = {"title": "Lien invalide"}
        return render(request, "workshops/registration_unknown.html", context, status=404)
    if request.method == "POST" and request.POST.get("action") == "confirmer":
        try:
            services.confirm_registration(found)
        except services.WorkshopError as error:
            return _pending_page(request, found, str(error))
        messages.success(request, "Votre inscription est confirmée : une place vous est réservée.")
        return redirect("workshops:registration", token=found.token)
    if request.method == "POST" and found.is_pending:
        return redirect("workshops:registration", token=found.token)  # nothing to cancel yet
    if request.method == "POST":
        services.cancel_registration(found)
        messages.success(request, "Votre inscription est annulée : la place est libérée.")
        return redirect("workshops:registration", token=found.token)
    if found.is_pending:
        return _pending_page(request, found)
    context = {
        "title": "Votre inscription",
        "registration": found,
        "workshop": found.workshop,
        "cancelled": found.status == RegistrationStatus.ANNULEE,
        "past": found.workshop.starts_at <= timezone.now(),
    }
    return render(request, "workshops/registration.html", context)


# --- Conseiller screens ---------------------------------------------------------------------------


@require_GET
@conseiller_required
def mine(request):
    now = timezone.now()
    workshops = my_workshops(request.user).with_seats().select_related("place__commune")
    context = {
        "title": "Mes ateliers",
        "has_structure": conseiller_structures(request.user).exists(),
        "upcoming": list(workshops.filter(starts_at__gte=now).order_by("starts_at", "pk")[:100]),
        "past": list(workshops.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:50]),
    }
    return render(request, "workshops/mine.html", context)


# --- Structure manager screen ---------------------------------------------------------------------

_ACTIVE = Q(registrations__status=RegistrationStatus.INSCRITE)
PRESENT = Count("registrations", filter=_ACTIVE & Q(registrations__attended=True))
MARKED = Count("registrations", filter=_ACTIVE & Q(registrations__attended__isnull=False))


@require_GET
@manager_required
def structure_list(request):
    """/ateliers/structure/: the workshops of the managed structures' conseillers, read only."""
    now = timezone.now()
    workshops = (
        managed_workshops(request.user)
        .with_seats()
        .annotate(present=PRESENT, marked=MARKED)
        .select_related("place__commune", "conseiller", "structure")
    )
    context = {
        "title": "Ateliers de ma structure",
        "has_structure": Structure.objects.managed_by(request.user).exists(),
        "upcoming": list(workshops.filter(starts_at__gte=now).order_by("starts_at", "pk")[:100]),
        "past": list(workshops.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:100]),
    }
    return render(request, "workshops/structure.html", context)


def _form_page(request, form, workshop=None, status=200):
    context = {
        "title": f"Modifier « {workshop.title} »" if workshop else "Nouvel atelier",
        "form": form,
        "workshop": workshop,
    }
    return render(request, "workshops/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@conseiller_required
def create(request):
    structures = conseiller_structures(request.user).order_by("pk")
    structure = structures.first()
    if structure is None:
        return render(request, "workshops/no_structure.html", {"title": "Nouvel atelier"})
    form = NewWorkshopForm(request.POST or None, places=my_places(request.user))
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, form, status=400 if form.errors else 200)
    data = form.cleaned_data
    if data["place"] is not None:
        structure = data["place"].structure
    if data["recurrence"]:
        created = services.schedule_series(
            request.user, structure, data, data["recurrence"], data["occurrences"]
        )
        messages.success(request, f"{len(created)} ateliers « {data['title']} » sont programmés.")
    else:
        services.schedule(request.user, structure, data)
        messages.success(request, f"L'atelier « {data['title']} » est programmé.")
    return redirect("workshops:mine")


@require_http_methods(["GET", "POST"])
@conseiller_required
def edit(request, pk):
    workshop = my_workshop(request.user, pk)
    places = my_places(request.user)
    if request.method == "GET":
        form = WorkshopForm(places=places, initial=WorkshopForm.initial_for(workshop))
        return _form_page(request, form, workshop)
    form = WorkshopForm(request.POST, places=places)
    if form.is_valid():
        try:
            services.update_workshop(workshop, form.cleaned_data)
        except services.WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"L'atelier « {workshop.title} » est mis à jour.")
            return redirect("workshops:manage", pk=workshop.pk)
    return _form_page(request, form, workshop, status=400)


@require_http_methods(["GET", "POST"])
@conseiller_required
def cancel(request, pk):
    workshop = my_workshop(request.user, pk)
    if request.method == "POST":
        if request.POST.get("serie") and workshop.series_id:
            count = services.cancel_following(workshop)
            messages.success(request, f"{count} séance(s) annulée(s) ; les inscrits sont prévenus.")
        else:
            services.cancel_workshop(workshop)
            messages.success(request, "L'atelier est annulé ; les inscrits sont prévenus.")
        return redirect("workshops:manage", pk=workshop.pk)
    context = {"title": f"Annuler « {workshop.title} »", "workshop": workshop}
    return render(request, "workshops/cancel.html", context)


@require_http_methods(["GET", "POST"])
@conseiller_required
def manage(request, pk):
    """Registrations of a workshop; attendance is marked on POST."""
    workshop = my_workshop(request.user, pk)
    if request.method == "POST":
        try:
            services.set_attendance(workshop, int_list_param(request.POST, "present"))
        except services.AttendanceTooEarly as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Les présences sont enregistrées.")
        return redirect("workshops:manage", pk=workshop.pk)
    registrations = list(workshop.registrations.order_by("status", "created_at", "pk"))
    active = [r for r in registrations if r.status == RegistrationStatus.INSCRITE]
    context = {
        "title": workshop.title,
        "workshop": workshop,
        "active": active,
        "cancelled": [r for r in registrations if r.status == RegistrationStatus.ANNULEE],
        "started": workshop.starts_at <= timezone.now(),
        "present_count": sum(1 for r in active if r.attended),
    }
    return render(request, "workshops/manage.html", context)
