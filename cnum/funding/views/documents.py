"""Funding documents as PDF (docs/documents.md#financement): the notice of a payment made and
the summary of a structure's convention, for its managers and the national funding roles."""

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.documents.enums import DocumentKind
from cnum.documents.services import render_pdf
from cnum.funding import ledger, policies, services
from cnum.funding.enums import PaymentStatus

document_roles = require_role(
    Role.GESTIONNAIRE_STRUCTURE, Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR
)


@require_GET
@document_roles
def payment_notice_pdf(request, request_pk):
    payment = policies.visible_payment(request.user, request_pk)
    if payment.status != PaymentStatus.VERSEE:
        raise Http404  # a notice tells of money paid, not of a request
    structure = payment.structure
    return render_pdf(
        "funding/payment_notice_pdf.html",
        {
            "payment": payment,
            "structure": structure,
            "balance": ledger.structure_balance(structure),
        },
        kind=DocumentKind.AVIS_VERSEMENT,
        title=f"Avis de versement — {payment.label}",
        issued_by=request.user,
        subject=f"{structure.name} (SIRET {structure.siret}) — {payment.label}",
        filename=f"avis-versement-{structure.siret}-{payment.rank}",
    )


@require_GET
@document_roles
def convention_pdf(request, pk):
    structure = policies.visible_structure(request.user, pk)
    convention = services.convention_of(structure)
    context = {
        "structure": structure,
        "convention": convention,
        "balance": ledger.structure_balance(structure),
        "kit_balance": ledger.structure_balance(structure, "KITS"),
        "schedule": services.schedule(structure, convention) if convention.validated_on else [],
        "dossiers": convention.dossiers.order_by("created_at", "pk"),
        "funded": structure.funded_conseillers.filter(ended_on__isnull=True).count(),
        "today": timezone.localdate(),
    }
    return render_pdf(
        "funding/convention_pdf.html",
        context,
        kind=DocumentKind.SYNTHESE_CONVENTION,
        title=f"Synthèse de la convention — {structure.name}",
        issued_by=request.user,
        subject=f"{structure.name} (SIRET {structure.siret})",
        filename=f"synthese-convention-{structure.siret}",
    )
