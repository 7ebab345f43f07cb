"""The national administration's account screens: list, person, invitations, roles, access."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import grants, services
from cnum.accounts.forms_administration import (
    AccountSearchForm,
    GrantForm,
    InviteForm,
    ReasonForm,
    ScopeForm,
)
from cnum.accounts.models import AccountEvent, AccountLog, Membership, User
from cnum.accounts.policies import can_impersonate, can_reset_second_factor, require_role
from cnum.accounts.roles import ADMINISTRATION_GRANTED_ROLES, SCOPE_NATIONAL, Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.pages import paginate

PER_PAGE = 50
IMPERSONATION = (AccountEvent.IMPERSONATION_STARTED, AccountEvent.IMPERSONATION_ENDED)
administration_only = require_role(Role.ADMINISTRATEUR)


def _active_memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(is_active=True)
        .select_related("organisation__departement", "organisation__region")
        .order_by("role"),
        to_attr="active_memberships",
    )


def _accounts(data):
    confirmed_totp = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    accounts = User.objects.annotate(two_factor=Exists(confirmed_totp))
    for word in (data.get("q") or "").split():
        accounts = accounts.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    held = Membership.objects.filter(user=OuterRef("pk"), is_active=True)
    if data.get("role"):
        held = held.filter(role=data["role"])
    if data.get("departement"):
        held = held.filter(organisation__departement_id=data["departement"])
    if data.get("role") or data.get("departement"):
        accounts = accounts.filter(Exists(held))
    accounts = accounts.prefetch_related(_active_memberships())
    return accounts.order_by("last_name", "first_name", "pk")


@administration_only
@require_GET
def account_list(request):
    form = AccountSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page, query = paginate(request, _accounts(data), PER_PAGE)
    context = {"title": "Comptes et rôles", "form": form, "page": page, "query": query}
    return render(request, "accounts/administration/list.html", context)


def _person(pk):
    return get_object_or_404(User, pk=pk)


def _history(person):
    return (
        AccountLog.objects.filter(Q(user=person) | Q(actor=person, event__in=IMPERSONATION))
        .select_related("actor", "user")
        .order_by("-at", "-pk")
    )


@administration_only
@require_GET
def account_detail(request, pk):
    person = _person(pk)
    memberships = person.memberships.select_related(
        "organisation__departement", "organisation__region"
    ).order_by("-is_active", "role")
    context = {
        "title": person.get_full_name() or person.email,
        "person": person,
        "memberships": memberships,
        "editable_roles": {
            r.value for r, s in ADMINISTRATION_GRANTED_ROLES.items() if s != SCOPE_NATIONAL
        },
        "granted_roles": {r.value for r in ADMINISTRATION_GRANTED_ROLES},
        "two_factor": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        "awaits_first_password": services.awaits_first_password(person),
        "history": _history(person),
        "can_impersonate": can_impersonate(request.user, person),
        "grant_form": GrantForm(),
    }
    return render(request, "accounts/administration/detail.html", context)


@administration_only
@require_http_methods(["GET", "POST"])
def account_invite(request):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person, created = services.invite(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=Role(data["role"]),
            organisation=data["organisation"],
            actor=request.user,
        )
        if created:
            messages.success(request, f"Invitation envoyée à {person.email}.")
        else:
            messages.success(
                request,
                f"Ce compte existait déjà : le rôle lui a été attribué et {person.email} "
                "en a été informé.",
            )
        return redirect("accounts:admin_account", pk=person.pk)
    return render(
        request,
        "accounts/administration/invite.html",
        {"title": "Inviter une personne", "form": form},
    )


@administration_only
@require_http_methods(["GET", "POST"])
def account_grant(request, pk):
    person = _person(pk)
    form = GrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        role = Role(form.cleaned_data["role"])
        grants.grant(person, role, form.cleaned_data["organisation"], actor=request.user)
        messages.success(request, f"Rôle « {role.label} » attribué.")
        return redirect("accounts:admin_account", pk=person.pk)
    context = {"title": "Attribuer un rôle", "person": person, "form": form}
    return render(request, "accounts/administration/grant.html", context)


@administration_only
@require_POST
def account_resend(request, pk):
    person = _person(pk)
    try:
        services.resend_invitation(person, actor=request.user)
    except services.AccountAdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Nouvelle invitation envoyée à {person.email}.")
    return redirect("accounts:admin_account", pk=person.pk)


@administration_only
@require_http_methods(["GET", "POST"])
def account_deactivate(request, pk):
    person = _person(pk)
    form = ReasonForm(request.POST if confirmed(request) else None)
    if confirmed(request) and form.is_valid():
        try:
            services.deactivate_account(
                person, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AccountAdministrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le compte est désactivé.")
        return redirect("accounts:admin_account", pk=person.pk)
    return confirmation_page(
        request,
        title=f"Désactiver le compte de {person}",
        consequences=[
            "La personne ne pourra plus se connecter ; ses sessions ouvertes prennent fin.",
            "Ses rôles et son historique sont conservés : le compte peut être réactivé.",
        ],
        details=[("Adresse électronique", person.email)],
        form=form,
        confirm_label="Désactiver le compte",
        cancel_url=reverse("accounts:admin_account", args=[person.pk]),
        status=400 if form.is_bound else 200,
    )


@administration_only
@require_POST
def account_reactivate(request, pk):
    person = _person(pk)
    services.reactivate_account(person, actor=request.user)
    messages.success(request, "Le compte est réactivé.")
    return redirect("accounts:admin_account", pk=person.pk)


def _granted_membership(pk):
    """A membership the administration manages (roles it grants), or 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        role__in=[r.value for r in ADMINISTRATION_GRANTED_ROLES],
    )


@administration_only
@require_http_methods(["GET", "POST"])
def membership_scope(request, pk):
    membership = _granted_membership(pk)
    if ADMINISTRATION_GRANTED_ROLES[Role(membership.role)] == SCOPE_NATIONAL:
        messages.info(request, "Ce rôle s'exerce au niveau national : il n'a pas de périmètre.")
        return redirect("accounts:admin_account", pk=membership.user_id)
    form = ScopeForm(request.POST if request.method == "POST" else None, role=membership.role)
    if request.method == "POST" and form.is_valid():
        grants.change_scope(membership, form.cleaned_data["organisation"], actor=request.user)
        messages.success(request, "Le périmètre du rôle est modifié.")
        return redirect("accounts:admin_account", pk=membership.user_id)
    context = {
        "title": f"Modifier le périmètre — {membership.get_role_display()}",
        "membership": membership,
        "territory": grants.territory_label(membership.organisation),
        "form": form,
    }
    return render(request, "accounts/administration/scope.html", context)


@administration_only
@require_http_methods(["GET", "POST"])
def membership_revoke(request, pk):
    membership = _granted_membership(pk)
    form = ReasonForm(request.POST if confirmed(request) else None)
    if confirmed(request) and form.is_valid():
        if membership.user_id == request.user.pk and membership.role == Role.ADMINISTRATEUR:
            messages.error(
                request, "Vous ne pouvez pas retirer votre propre rôle d'administrateur."
            )
        else:
            grants.revoke(membership, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, "Le rôle est retiré.")
        return redirect("accounts:admin_account", pk=membership.user_id)
    return confirmation_page(
        request,
        title=f"Retirer le rôle « {membership.get_role_display()} »",
        consequences="La personne perd aussitôt les accès de ce rôle ; le retrait est journalisé.",
        details=[
            ("Personne", f"{membership.user} ({membership.user.email})"),
            ("Organisation", membership.organisation.name if membership.organisation else "—"),
            ("Territoire", grants.territory_label(membership.organisation)),
        ],
        form=form,
        confirm_label="Retirer le rôle",
        cancel_url=reverse("accounts:admin_account", args=[membership.user_id]),
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def second_factor_reset(request, pk):
    """The administration, or a structure's référent for its aidants."""
    person = _person(pk)
    if not can_reset_second_factor(request.user, person):
        raise PermissionDenied
    form = ReasonForm(request.POST if confirmed(request) else None)
    back = (
        reverse("accounts:admin_account", args=[person.pk])
        if request.user.has_role(Role.ADMINISTRATEUR)
        else reverse("accounts:dashboard")
    )
    if confirmed(request) and form.is_valid():
        services.reset_second_factor(person, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            "La double authentification est réinitialisée : la personne en activera une "
            "nouvelle à sa prochaine connexion.",
        )
        return redirect(back)
    return confirmation_page(
        request,
        title=f"Réinitialiser la double authentification de {person}",
        consequences=[
            "L'application d'authentification et les codes de secours de la personne ne "
            "fonctionneront plus.",
            "À sa prochaine connexion, elle devra activer une nouvelle application.",
        ],
        details=[("Adresse électronique", person.email)],
        form=form,
        confirm_label="Réinitialiser",
        cancel_url=back,
        status=400 if form.is_bound else 200,
    )
