"""Pages of referrals: the conseiller's (send, « Mes orientations », close, resend), the
receiving managers' (« Orientations reçues ») and the public page of the signed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.roles import Role
from cnum.activity.policies import own_cra
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.pages import paginate
from cnum.core.params import clean_int
from cnum.places.services import main_place
from cnum.referrals import attachments, links, policies, services
from cnum.referrals.enums import ReceiverType, Status
from cnum.referrals.forms import AnswerForm, ReferralForm, find_receivers, receiver_value
from cnum.referrals.transitions import RECEIVER_LINK
from cnum.workflow.engine import InvalidTransition
from cnum.workflow.models import TransitionLog

PAGE_SIZE = 25
STALE = "Cette orientation a changé d'état entre-temps : rechargez la page."


# --- The conseiller ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def create(request):
    """/orientations/nouvelle/?cra=<record>&recherche=<text>: the receiver is searched first
    (a GET form), the record's orientation prefills the rest."""
    cra = _cra(request)
    searched = request.GET.get("recherche", "")
    receivers = find_receivers(searched, main_place(request.user))
    if cra is not None and cra.orientation_place_id and cra.orientation_place not in receivers:
        receivers.insert(0, cra.orientation_place)
    if request.method == "POST":
        form = ReferralForm(request.POST, request.FILES, receivers=receivers)
        if form.is_valid():
            referral = _send(request, form, cra)
            if referral is not None:
                messages.success(request, "L'orientation est envoyée au destinataire.")
                return redirect("referrals:detail", pk=referral.pk)
    else:
        form = ReferralForm(initial=_initial(cra), receivers=receivers)
    context = {"title": "Envoyer une orientation", "form": form, "cra": cra, "searched": searched}
    return render(request, "referrals/create.html", context)


def _cra(request):
    pk = request.GET.get("cra")
    if pk is None:
        return None
    pk = clean_int(pk)
    if pk is None:
        raise Http404
    return own_cra(request.user, pk)


def _initial(cra):
    if cra is None:
        return {}
    initial = {"themes": list(cra.thematiques), "receiver_kind": cra.orientation_kind}
    if cra.orientation_place_id:
        initial["destinataire"] = receiver_value(cra.orientation_place)
    return initial


def _send(request, form, cra):
    target = form.cleaned_data["destinataire"]
    is_place = receiver_value(target).startswith(ReceiverType.LIEU)
    try:
        return services.send_referral(
            request.user,
            place=target if is_place else None,
            structure=None if is_place else target,
            values=form.service_values(),
            themes=form.cleaned_data["themes"],
            files=form.cleaned_data["pieces"],
            cra=cra,
        )
    except (services.ReferralError, attachments.InvalidAttachment) as error:
        form.add_error(None, error.message)
        return None


@require_GET
@policies.conseiller_required
def mine(request):
    referrals = policies.own_referrals(request.user).prefetch_related("themes")
    page, query = paginate(request, referrals, PAGE_SIZE)
    context = {"title": "Mes orientations", "page": page, "query": query}
    return render(request, "referrals/mine.html", context)


@require_GET
@policies.conseiller_required
def detail(request, pk):
    referral = policies.own_referral(request.user, pk)
    return _show(request, referral, "referrals/detail.html", sender=True)


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def close(request, pk):
    referral = policies.own_referral(request.user, pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            title="Clore l'orientation",
            consequences="Le destinataire ne pourra plus y répondre ; son lien ne servira plus.",
            confirm_label="Clore l'orientation",
            cancel_url=_detail_url(referral),
        )
    try:
        services.close(referral, request.user)
        messages.success(request, "L'orientation est close.")
    except InvalidTransition:
        messages.error(request, STALE)
    return redirect("referrals:detail", pk=referral.pk)


@require_http_methods(["GET", "POST"])
@policies.conseiller_required
def resend(request, pk):
    referral = policies.own_referral(request.user, pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            title="Renvoyer l'orientation",
            consequences=(
                f"Le destinataire reçoit un nouveau lien, valable {links.expiry_days()} jours ; "
                "l'ancien lien ne fonctionne plus."
            ),
            confirm_label="Renvoyer l'orientation",
            cancel_url=_detail_url(referral),
        )
    try:
        services.resend(referral, request.user)
        messages.success(request, "L'orientation est renvoyée avec un nouveau lien.")
    except (services.ReferralError, InvalidTransition):
        messages.error(request, STALE)
    return redirect("referrals:detail", pk=referral.pk)


def _detail_url(referral):
    return reverse("referrals:detail", kwargs={"pk": referral.pk})


@require_GET
def attachment(request, pk, attachment_pk):
    """A piece, for the conseiller who sent it or a manager of the receiving structure."""
    user = request.user
    if not user.has_role(Role.CONSEILLER, Role.GESTIONNAIRE_STRUCTURE):
        raise PermissionDenied
    referral = policies.own_referrals(user).filter(pk=pk).first()
    if referral is None:
        referral = policies.received_referral(user, pk)  # anything else: a 404
        services.record_reveal(referral, "pièce jointe", user=user)
    return _piece(referral, attachment_pk)


def _piece(referral, attachment_pk):
    piece = get_object_or_404(referral.attachments, pk=attachment_pk)
    response = HttpResponse(attachments.read(piece), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="piece-{piece.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- The receiving structure's managers -------------------------------------------------------


@require_GET
@policies.manager_required
def received(request):
    referrals = policies.received_referrals(request.user).prefetch_related("themes")
    page, query = paginate(request, referrals, PAGE_SIZE)
    context = {"title": "Orientations reçues", "page": page, "query": query}
    return render(request, "referrals/received.html", context)


@require_http_methods(["GET", "POST"])
@policies.manager_required
def received_detail(request, pk):
    referral = policies.received_referral(request.user, pk)
    form, done = _answer(request, referral, request.user)
    if done:
        return redirect("referrals:received_detail", pk=referral.pk)
    if referral.has_contact:
        services.record_reveal(referral, "coordonnées", user=request.user)
    return _show(request, referral, "referrals/received_detail.html", form=form)


# --- The signed link -----------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request, token):
    try:
        referral = links.read_token(token, policies.linked_referrals())
    except links.BadLink as error:
        context = {"title": "Lien non valide", "reason": error.message}
        return render(request, "referrals/bad_link.html", context)
    form, done = _answer(request, referral, RECEIVER_LINK)
    if done:
        return redirect("referrals:answer", token=token)
    if referral.has_contact:
        services.record_reveal(referral, "coordonnées", via_link=True)
    return _show(request, referral, "referrals/answer.html", form=form, token=token)


@login_not_required
@require_GET
def answer_attachment(request, token, attachment_pk):
    try:
        referral = links.read_token(token, policies.linked_referrals())
    except links.BadLink as error:
        raise Http404 from error
    services.record_reveal(referral, "pièce jointe", via_link=True)
    return _piece(referral, attachment_pk)


def _answer(request, referral, actor):
    """(form, done): the answer form of a waiting referral; a valid POST answers it."""
    if referral.status != Status.ENVOYEE:
        return None, False
    if request.method != "POST":
        return AnswerForm(), False
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return form, False
    try:
        services.answer(referral, actor, form.cleaned_data["answer"], form.cleaned_data["reason"])
    except InvalidTransition:
        messages.error(request, STALE)
        return None, True
    messages.success(request, "Votre réponse est enregistrée : le conseiller en est informé.")
    return None, True


def _show(request, referral, template, **extra):
    context = {
        "title": str(referral),
        "referral": referral,
        "history": TransitionLog.objects.for_object(referral),
        "themes": referral.theme_labels,
        "attachments": list(referral.attachments.all()),
        **extra,
    }
    if extra.get("sender"):
        context["can_close"] = referral.workflow.can(referral, Status.CLOSE, request.user)
        context["can_resend"] = referral.status in (Status.ENVOYEE, Status.EXPIREE)
    return render(request, template, context)
