"""Administration screens: calls for interest and committee sessions (batch decisions)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.params import choice_param, int_list_param
from cnum.structures import services
from cnum.structures.enums import AWAITING_DECISION, SESSION_OPINIONS, CommitteeOpinion
from cnum.structures.forms import NO_OPINION, CallForInterestForm, SessionForm
from cnum.structures.models import CallForInterest, CommitteeSession, Structure
from cnum.structures.views.coordinators import pending_requests

admin_required = require_role(Role.ADMINISTRATEUR)


@require_http_methods(["GET", "POST"])
@admin_required
def calls(request):
    form = CallForInterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'appel à manifestation d'intérêt est enregistré.")
        return redirect("structures:calls")
    context = {
        "title": "Appels à manifestation d'intérêt",
        "calls": CallForInterest.objects.all(),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "structures/calls.html", context, status=400 if form.errors else 200)


@require_POST
@admin_required
def call_toggle(request, pk):
    """Open now (until the planned closing, or 30 days) or close now."""
    call = get_object_or_404(CallForInterest, pk=pk)
    now = timezone.now()
    if request.POST.get("action") == "close":
        if call.opens_at < now < call.closes_at:
            call.closes_at = now
    else:
        call.opens_at = now
        if call.closes_at <= now:
            call.closes_at = now + timezone.timedelta(days=30)
    call.save(update_fields=["opens_at", "closes_at"])
    messages.success(request, "L'appel est mis à jour.")
    return redirect("structures:calls")


@require_http_methods(["GET", "POST"])
@admin_required
def sessions(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        return redirect("structures:session", pk=session.pk)
    context = {
        "title": "Séances du comité de sélection",
        "sessions": CommitteeSession.objects.all(),
        "form": form,
    }
    return render(request, "structures/sessions.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@admin_required
def session(request, pk):
    """Structures awaiting a decision; checked ones get the same decision in one go."""
    session = get_object_or_404(CommitteeSession, pk=pk)
    awaiting = (
        Structure.objects.submitted()
        .filter(status__in=AWAITING_DECISION)
        .exclude(decisions__session=session)
        .with_prefet_opinion()
        .with_pending_coordinator()
        .select_related("departement")
        .order_by("departement_id", "organisation_ptr__name")
    )
    # The batch table may show only the structures no préfet has given an opinion on yet.
    without_opinion = request.GET.get("avis") == NO_OPINION
    shown = awaiting.filter(prefet_opinion=None) if without_opinion else awaiting
    if request.method == "POST":
        opinion = choice_param(request.POST, "opinion", [value for value, _ in SESSION_OPINIONS])
        chosen = awaiting.filter(pk__in=int_list_param(request.POST, "structures"))
        # The coordinator post asked for is granted with the decision only when ticked.
        grant_coordinator = request.POST.get("coordinator") == "1"
        if not opinion or not chosen:
            messages.error(request, "Cochez au moins une structure et choisissez un avis.")
        else:
            count = 0
            for structure in chosen:
                posts = structure.posts_wanted if opinion == CommitteeOpinion.POSITIF else 0
                wants_coordinator = structure.pending_coordinator is not None
                try:
                    services.record_decision(
                        structure,
                        request.user,
                        session=session,
                        opinion=opinion,
                        posts_granted=posts,
                        coordinator_posts_granted=int(grant_coordinator and wants_coordinator),
                    )
                    count += 1
                except services.AlreadyDecided:
                    pass
                except ValueError as error:  # this structure's decision is not recorded
                    messages.error(request, f"{structure.name} : {error}")
            messages.success(request, f"{count} décision(s) enregistrée(s) en {session}.")
        return redirect("structures:session", pk=pk)
    context = {
        "title": str(session),
        "session": session,
        "awaiting": shown,
        "without_opinion": without_opinion,
        "decided": session.decisions.select_related("structure", "decided_by"),
        "opinions": SESSION_OPINIONS,
        "coordinator_requests": pending_requests(),
    }
    return render(request, "structures/session.html", context)
