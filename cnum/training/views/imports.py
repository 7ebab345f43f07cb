"""The administration's CSV upload: a dry run first, then a confirmation that imports."""

import base64
import binascii

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.training.csvparse import COLUMNS, decode
from cnum.training.forms import ImportConfirmForm, ImportForm
from cnum.training.importer import CREATED, UNCHANGED, UPDATED, run_import


def _render(request, *, form, report=None, confirm_form=None, status=200, error=""):
    context = {
        "error": error,
        "title": "Import des formations",
        "form": form,
        "report": report,
        "confirm_form": confirm_form,
        "columns": COLUMNS,
        "actions": (CREATED, UPDATED, UNCHANGED),
    }
    if report:
        context["counts"] = [(action, report.count(action)) for action in context["actions"]]
    return render(request, "training/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMINISTRATEUR)
def import_csv(request):
    if request.method == "GET":
        return _render(request, form=ImportForm())
    if "content" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form=form, status=400)
    text = decode(form.cleaned_data["file"].read())
    report = run_import(text, request.user)  # dry run: nothing is written
    confirm = None
    if report.valid:
        encoded = base64.b64encode(text.encode()).decode()
        confirm = ImportConfirmForm(initial={"content": encoded})
    return _render(request, form=ImportForm(), report=report, confirm_form=confirm)


def _confirm(request):
    confirm = ImportConfirmForm(request.POST)
    text = None
    if confirm.is_valid():
        try:
            text = base64.b64decode(confirm.cleaned_data["content"], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            text = None
    if text is None:
        error = "Le fichier à importer est illisible : déposez-le de nouveau."
        return _render(request, form=ImportForm(), status=400, error=error)
    report = run_import(text, request.user, apply=True, partial=confirm.cleaned_data["partial"])
    return _render(request, form=ImportForm(), report=report, status=200 if report.applied else 400)
