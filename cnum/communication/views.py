"""Pages of the communication app: thin, the rules live in mailings, announcements, resources."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cnum.accounts.models import User
from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.communication import announcements, mailings, resources, targeting
from cnum.communication.forms import (
    AnnouncementForm,
    FaqForm,
    MailingForm,
    ResourceForm,
    VersionForm,
)
from cnum.communication.models import (
    Announcement,
    Delivery,
    DeliveryOutcome,
    FaqEntry,
    Mailing,
    MailingStatus,
    Preference,
    Resource,
    ResourceCategory,
    ResourceVersion,
)
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.pages import paginate

admin_only = require_role(Role.ADMINISTRATEUR)


# --- Mailings ----------------------------------------------------------------------------


@admin_only
def mailing_list(request):
    page, query = paginate(request, Mailing.objects.select_related("created_by"), 50)
    return render(request, "communication/mailing_list.html", {"page": page, "query": query})


@admin_only
def mailing_create(request):
    return _mailing_form(request, Mailing(created_by=request.user))


@admin_only
def mailing_edit(request, pk):
    mailing = get_object_or_404(Mailing, pk=pk)
    if mailing.status != MailingStatus.BROUILLON:
        messages.warning(request, "Un courriel envoyé ne se modifie plus.")
        return redirect("communication:mailing_detail", pk=mailing.pk)
    return _mailing_form(request, mailing)


def _mailing_form(request, mailing):
    form = MailingForm(request.POST or None, instance=mailing)
    if request.method == "POST" and form.is_valid():
        mailing = form.save()
        messages.success(request, "Brouillon enregistré : vérifiez l'aperçu avant l'envoi.")
        return redirect("communication:mailing_detail", pk=mailing.pk)
    return render(request, "communication/mailing_form.html", {"form": form, "mailing": mailing})


@admin_only
def mailing_detail(request, pk):
    """The preview: the mail as it will be received, and who receives it."""
    mailings_ = Mailing.objects.prefetch_related("departements", "regions", "networks")
    mailing = get_object_or_404(mailings_, pk=pk)
    context = {"mailing": mailing}
    if mailing.status == MailingStatus.BROUILLON:
        subject, body, _ = mailings.render(mailing, request.user)
        recipients = targeting.recipients(mailing)
        context.update(
            subject=subject,
            body=body,
            recipient_count=recipients.count(),
            sample=recipients[:20],
        )
    else:
        deliveries = Delivery.objects.filter(mailing=mailing).order_by("pk")
        outcome = request.GET.get("etat")
        if outcome in DeliveryOutcome.values:
            deliveries = deliveries.filter(outcome=outcome)
        page, query = paginate(request, deliveries, 100)
        context.update(
            progress=mailings.progress(mailing),
            outcomes=DeliveryOutcome.choices,
            page=page,
            query=query,
            outcome=outcome,
        )
    return render(request, "communication/mailing_detail.html", context)


@admin_only
def mailing_send(request, pk):
    mailing = get_object_or_404(Mailing, pk=pk)
    if confirmed(request):
        try:
            mailings.start(mailing, request.user)
        except mailings.MailingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "L'envoi est lancé : suivez-le sur cette page.")
        return redirect("communication:mailing_detail", pk=mailing.pk)
    count = targeting.recipients(mailing).count()
    return confirmation_page(
        request,
        title=f"Envoyer « {mailing.subject} »",
        consequences=[
            f"Le courriel part à {count} destinataire(s), par lots, dans les minutes qui viennent.",
            "Un envoi lancé ne s'annule pas et le message ne se modifie plus.",
        ],
        confirm_label="Envoyer",
        cancel_url=reverse("communication:mailing_detail", kwargs={"pk": mailing.pk}),
    )


@csrf_exempt  # the signed link is the credential; mail clients post without a form (RFC 8058)
@login_not_required
def unsubscribe(request, token):
    user_id = mailings.user_from_token(token)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return render(request, "communication/unsubscribe.html", {"invalid": True})
    done = False
    if request.method == "POST":
        _set_subscription(user, subscribed=False)
        done = True
    return render(request, "communication/unsubscribe.html", {"done": done, "email": user.email})


def _set_subscription(user, *, subscribed):
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update(of=("self",)).get_or_create(user=user)
        if subscribed:
            preference.unsubscribed_at = None
        elif preference.unsubscribed_at is None:
            preference.unsubscribed_at = timezone.now()
        preference.save()


def preferences(request):
    """The logged-in user's own choice about information mailings."""
    if request.method == "POST":
        subscribed = request.POST.get("information") == "1"
        _set_subscription(request.user, subscribed=subscribed)
        messages.success(
            request,
            "Vous recevrez les messages d'information."
            if subscribed
            else "Vous ne recevrez plus les messages d'information.",
        )
        return redirect("communication:preferences")
    preference = Preference.objects.filter(user=request.user).first()
    subscribed = preference is None or preference.unsubscribed_at is None
    return render(request, "communication/preferences.html", {"subscribed": subscribed})


# --- Announcements -----------------------------------------------------------------------


@admin_only
def announcement_list(request):
    items = Announcement.objects.prefetch_related("departements", "regions")
    page, query = paginate(request, items, 50)
    context = {"page": page, "query": query, "now": timezone.now()}
    return render(request, "communication/announcement_list.html", context)


@admin_only
def announcement_create(request):
    return _announcement_form(request, Announcement())


@admin_only
def announcement_edit(request, pk):
    return _announcement_form(request, get_object_or_404(Announcement, pk=pk))


def _announcement_form(request, announcement):
    form = AnnouncementForm(request.POST or None, instance=announcement)
    if request.method == "POST" and form.is_valid():
        announcements.save(form, request.user)
        messages.success(request, "Annonce enregistrée.")
        return redirect("communication:announcement_list")
    context = {"form": form, "announcement": announcement}
    return render(request, "communication/announcement_form.html", context)


@require_POST
def announcement_dismiss(request, pk):
    announcement = get_object_or_404(Announcement, pk=pk)
    announcements.dismiss(request.user, announcement)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "accounts:dashboard"
    return redirect(target)


# --- Resources ---------------------------------------------------------------------------


def resources_page(request):
    """The documents of the visitor's roles, by category, each with its versions."""
    found = resources.for_roles(request.user.roles)
    groups = [
        (label, [r for r in found if r.category == value])
        for value, label in ResourceCategory.choices
    ]
    groups = [(label, items) for label, items in groups if items]
    return render(request, "communication/resources.html", {"groups": groups})


def resource_download(request, slug):
    resource = get_object_or_404(Resource, slug=slug)
    version = resource.latest()
    if version is None or not resource.open_to(request.user):
        raise Http404
    return resources.download_response(version)


def version_download(request, pk):
    version = get_object_or_404(ResourceVersion.objects.select_related("resource"), pk=pk)
    if not version.resource.open_to(request.user):
        raise Http404
    return resources.download_response(version)


@admin_only
def resource_admin(request):
    items = Resource.objects.prefetch_related("versions")
    return render(request, "communication/resource_admin.html", {"resources": items})


@admin_only
def resource_create(request):
    form = ResourceForm(request.POST or None)
    version_form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and version_form.is_valid():
        try:
            resource = resources.create(
                form, version_form.cleaned_data["file"], request.user,
                version_form.cleaned_data["note"],
            )  # fmt: skip
        except resources.InvalidResource as error:
            version_form.add_error("file", error.message)
        else:
            messages.success(request, "Document publié.")
            return redirect("communication:resource_manage", pk=resource.pk)
    context = {"form": form, "version_form": version_form}
    return render(request, "communication/resource_create.html", context)


@admin_only
def resource_manage(request, pk):
    """One document: its settings, its versions, and the upload of a new version."""
    resource = get_object_or_404(Resource, pk=pk)
    form = ResourceForm(instance=resource)
    version_form = VersionForm()
    if request.method == "POST" and request.POST.get("action") == "version":
        version_form = VersionForm(request.POST, request.FILES)
        if version_form.is_valid():
            try:
                version = resources.add_version(
                    resource, version_form.cleaned_data["file"], request.user,
                    version_form.cleaned_data["note"],
                )  # fmt: skip
            except resources.InvalidResource as error:
                version_form.add_error("file", error.message)
            else:
                messages.success(request, f"Version {version.number} publiée.")
                return redirect("communication:resource_manage", pk=resource.pk)
    elif request.method == "POST":
        form = ResourceForm(request.POST, instance=resource)
        if form.is_valid():
            form.save()
            messages.success(request, "Document mis à jour.")
            return redirect("communication:resource_manage", pk=resource.pk)
    context = {
        "resource": resource,
        "form": form,
        "version_form": version_form,
        "versions": resource.versions.select_related("uploaded_by"),
    }
    return render(request, "communication/resource_manage.html", context)


# --- FAQ ---------------------------------------------------------------------------------


@login_not_required
def faq(request):
    """Public questions for everyone; logged-in users also get those of their roles."""
    entries = FaqEntry.objects.all()
    roles = request.user.roles if request.user.is_authenticated else frozenset()
    shown = [e for e in entries if e.is_public or set(e.roles) & roles]
    return render(request, "communication/faq.html", {"entries": shown})


@admin_only
def faq_admin(request):
    return render(request, "communication/faq_admin.html", {"entries": FaqEntry.objects.all()})


@admin_only
def faq_create(request):
    return _faq_form(request, FaqEntry())


@admin_only
def faq_edit(request, pk):
    return _faq_form(request, get_object_or_404(FaqEntry, pk=pk))


def _faq_form(request, entry):
    form = FaqForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Question enregistrée.")
        return redirect("communication:faq_admin")
    return render(request, "communication/faq_form.html", {"form": form, "entry": entry})
