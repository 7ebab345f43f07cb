"""The public application form of structures and its e-mail confirmation."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cnum.core import throttling
from cnum.structures import services
from cnum.structures.enums import PUBLIC_TYPES, StructureType
from cnum.structures.forms import ApplicationForm
from cnum.structures.models import CallForInterest


@login_not_required
@require_http_methods(["GET", "POST"])
def apply(request):
    now = timezone.now()
    open_calls = list(CallForInterest.objects.open_at(now))
    context = {"title": "Demander des conseillers numériques", "open_calls": open_calls}
    if not open_calls:
        context["next_call"] = services.next_call(now)
        return render(request, "structures/apply_closed.html", context)
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not throttling.hit(request, "structures:apply"):
            context.update(form=form, throttled=True)
            return render(request, "structures/apply.html", context, status=429)
        if form.is_valid():
            try:
                services.submit_application(form.application_data())
            except services.ApplicationsClosed:
                kind = form.cleaned_data["type"]
                audience = "privés" if kind == StructureType.PRIVATE else "publics"
                form.add_error(
                    "type",
                    f"Aucun appel à manifestation d'intérêt n'est ouvert aux acteurs {audience} "
                    "en ce moment.",
                )
            else:
                return redirect("structures:apply_sent")
    context.update(form=form, public_types=PUBLIC_TYPES)
    return render(request, "structures/apply.html", context)


@login_not_required
@require_GET
def apply_sent(request):
    days = services.CONFIRMATION_MAX_AGE // 86400
    return render(
        request, "structures/apply_sent.html", {"title": "Confirmez votre demande", "days": days}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link opens a page; only its button (a POST) files the application, so a mail
    scanner that follows links files nothing."""
    if request.method == "POST":
        structure = services.confirm_application(token)
    else:
        structure = services.application_of_link(token)
    if structure is None:
        title = "Lien invalide ou expiré"
    else:
        title = "Demande déposée" if structure.confirmed_at else "Déposer votre demande"
    return render(request, "structures/confirm.html", {"structure": structure, "title": title})
