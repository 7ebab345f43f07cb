"""Administration of partner services: register, edit, new secret (shown once)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.partners import services
from cnum.partners.forms import PartnerServiceEditForm, PartnerServiceForm
from cnum.partners.models import PartnerService

require_admin = require_role(Role.ADMINISTRATEUR)


def _detail(request, service, secret=None):
    context = {
        "service": service,
        "application": service.application,
        "redirect_uris": service.application.redirect_uris.split(),
        "secret": secret,
        "title": f"Service partenaire « {service.name} »",
    }
    return render(request, "partners/service_detail.html", context)


@require_admin
@require_http_methods(["GET", "POST"])
def service_list(request):
    form = PartnerServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        service, secret = services.register_service(created_by=request.user, **form.cleaned_data)
        # Shown in this response only: the secret is stored hashed, not even in the session.
        return _detail(request, service, secret)
    context = {
        "services": PartnerService.objects.select_related("application"),
        "form": form,
        "title": "Services partenaires",
    }
    return render(request, "partners/service_list.html", context)


@require_admin
def service_detail(request, pk):
    return _detail(request, get_object_or_404(PartnerService.objects, pk=pk))


@require_admin
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    service = get_object_or_404(PartnerService.objects.select_related("application"), pk=pk)
    initial = {
        "name": service.name,
        "redirect_uris": "\n".join(service.application.redirect_uris.split()),
        "domains": service.domains,
        "is_active": service.is_active,
    }
    form = PartnerServiceEditForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.update_service(service, **form.cleaned_data)
        messages.success(request, f"Le service « {service.name} » est enregistré.")
        return redirect("partners:service_detail", pk=service.pk)
    context = {"service": service, "form": form, "title": f"Modifier « {service.name} »"}
    return render(request, "partners/service_edit.html", context)


@require_admin
@require_POST
def service_secret(request, pk):
    service = get_object_or_404(PartnerService.objects.select_related("application"), pk=pk)
    secret = services.regenerate_secret(service)
    return _detail(request, service, secret)
