"""The journal for the administration: read (paginated, filtered) and export; no edit."""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.accounts.services import PARIS
from cnum.core.pages import paginate
from cnum.mandates.forms import JournalFilterForm
from cnum.mandates.models import JournalEntry


def _filtered(request):
    form = JournalFilterForm(request.GET or None)
    entries = JournalEntry.objects.select_related("actor", "organisation").order_by("-position")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["organisation"]:
            entries = entries.filter(organisation_id=data["organisation"])
        if data["start"]:
            start = datetime.datetime.combine(data["start"], datetime.time.min, tzinfo=PARIS)
            entries = entries.filter(created_at__gte=start)
        if data["end"]:
            end = datetime.datetime.combine(data["end"], datetime.time.max, tzinfo=PARIS)
            entries = entries.filter(created_at__lte=end)
    return form, entries


@require_GET
@require_role(Role.ADMINISTRATEUR)
def journal(request):
    form, entries = _filtered(request)
    page, query = paginate(request, entries, 50)
    context = {"form": form, "page": page, "query": query, "title": "Journal Aidants Connect"}
    return render(request, "mandates/journal.html", context)


class _Echo:
    def write(self, value):
        return value


@require_GET
@require_role(Role.ADMINISTRATEUR)
def journal_export(request):
    _form, entries = _filtered(request)
    writer = csv.writer(_Echo(), delimiter=";")
    header = [
        "position",
        "date",
        "acte",
        "acteur",
        "structure",
        "usager",
        "mandat",
        "autorisation",
        "details",
        "empreinte_precedente",
        "empreinte",
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for e in entries.order_by("position").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.position,
                    e.created_at.astimezone(PARIS).isoformat(),
                    e.kind,
                    e.actor_id or "",
                    e.organisation_id or "",
                    e.usager_id_ref or "",
                    e.mandate_id_ref or "",
                    e.authorisation_id_ref or "",
                    e.data,
                    e.previous_hash,
                    e.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal-aidants-connect.csv"'
    return response
