"""Mandate and revocation attestations as PDF, beside their HTML version
(docs/documents.md#mandats): the same content, SHA-256 and QR code, plus the verification code
of cnum.documents; each download is written to the journal like a printed attestation."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from cnum.documents.enums import DocumentKind
from cnum.documents.services import render_pdf
from cnum.mandates import attestation as attestations
from cnum.mandates import mentions
from cnum.mandates.models import JournalEntry
from cnum.mandates.policies import current_mandates, require_aidant, require_fresh_totp

KINDS = {
    "mandat": (DocumentKind.ATTESTATION_MANDAT, "Attestation de mandat"),
    "revocation": (DocumentKind.ATTESTATION_REVOCATION, "Attestation de révocation de mandat"),
}


@require_GET
@require_aidant
@require_fresh_totp
def attestation_pdf(request, pk):
    mandate = get_object_or_404(
        current_mandates(request).select_related("usager", "organisation", "created_by"), pk=pk
    )
    kind = request.GET.get("type", "mandat")
    if kind not in KINDS or (kind == "revocation" and not mandate.revoked_at):
        raise Http404
    content = attestations.attestation_content(mandate, kind)
    content_hash = attestations.attestation_hash(content)
    JournalEntry.log_attestation(
        request.user,
        mandate,
        kind=kind,
        content_hash=content_hash,
        template_version=attestations.TEMPLATE_VERSION,
    )
    document_kind, title = KINDS[kind]
    context = {
        "mandate": mandate,
        "content_hash": content_hash,
        "template_version": attestations.TEMPLATE_VERSION,
        "qr_code": attestations.attestation_qr(mandate, content_hash),
        "texts": mentions.attestation_texts(mandate, kind),
    }
    return render_pdf(
        "mandates/attestation_pdf.html",
        context,
        kind=document_kind,
        title=f"{title} n° {mandate.pk}",
        issued_by=request.user,
        # The check page shows no usager: the mandate's number and structure suffice.
        subject=f"Mandat n° {mandate.pk} — {mandate.organisation.name}",
        filename=f"{title}-{mandate.pk}",
    )
