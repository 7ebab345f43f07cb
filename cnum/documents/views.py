"""The public check page of issued documents, and their revocation (docs/documents.md#verifier).

Anyone holding a code may check it; the answer never tells an unknown code from a malformed
one beyond its shape, and the number of checks per address is limited (throttling).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core import throttling
from cnum.documents import codes, services
from cnum.documents.forms import CheckForm, RevokeForm
from cnum.documents.models import IssuedDocument

TITLE = "Vérifier un document"
# Checks per client address: enough for a desk checking a pile of documents, far too few to
# try codes at random (60 bits each).
CHECK_LIMIT = 30
CHECK_WINDOW = 15 * 60


def _answer(request, form, *, code_given, status=200):
    context = {"title": TITLE, "form": form, "checked": False, "document": None}
    if code_given and form.is_valid():
        context["checked"] = True
        context["document"] = services.find(form.cleaned_data["code"])
        if request.user.is_authenticated and request.user.has_role(Role.ADMINISTRATEUR):
            context["revoke_form"] = RevokeForm()
    response = render(request, "documents/check.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _throttled(request):
    context = {"title": "Trop de vérifications"}
    return render(request, "documents/throttled.html", context, status=429)


@login_not_required
@require_GET
def check(request):
    if "code" not in request.GET:
        return _answer(request, CheckForm(), code_given=False)
    if not throttling.hit(request, "documents:check", CHECK_LIMIT, CHECK_WINDOW):
        return _throttled(request)
    form = CheckForm(request.GET)
    return _answer(request, form, code_given=True, status=200 if form.is_valid() else 400)


@login_not_required
@require_GET
def check_code(request, code):
    """The link of a document's QR code."""
    if not throttling.hit(request, "documents:check", CHECK_LIMIT, CHECK_WINDOW):
        return _throttled(request)
    form = CheckForm({"code": code})
    return _answer(request, form, code_given=True, status=200 if form.is_valid() else 400)


@require_POST
@require_role(Role.ADMINISTRATEUR)
def revoke(request, code):
    document = get_object_or_404(IssuedDocument, code=codes.normalize(code))
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke(document, actor=request.user, reason=form.cleaned_data["reason"])
        except services.DocumentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le document est révoqué : la page de vérification le dit.")
    else:
        messages.error(request, form.errors["reason"][0])
    return redirect("documents:check_code", code=document.display_code)
