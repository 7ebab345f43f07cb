"""Training documents as PDF (docs/documents.md#formation): the attestation of training and the
certification record, for the conseiller and those who follow their training."""

from django.http import Http404
from django.views.decorators.http import require_GET

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.documents.enums import DocumentKind
from cnum.documents.services import render_pdf
from cnum.training.enums import EnrolmentStatus
from cnum.training.policies import document_enrolment

document_roles = require_role(
    Role.CONSEILLER, Role.ORGANISME_FORMATION, Role.ADMINISTRATEUR, Role.GESTIONNAIRE_STRUCTURE
)
# A training is attested once it has started; a cancelled or merely planned one is not.
ATTESTED = (EnrolmentStatus.EN_COURS, EnrolmentStatus.TERMINEE)


def has_attestation(enrolment):
    return enrolment.status in ATTESTED


def has_certification_record(enrolment):
    return bool(enrolment.certification_type)


def _subject(enrolment):
    return f"Formation n° {enrolment.pk} auprès de {enrolment.organisation.name}"


@require_GET
@document_roles
def attestation_pdf(request, pk):
    enrolment = document_enrolment(request.user, pk)
    if not has_attestation(enrolment):
        raise Http404
    name = enrolment.conseiller.get_full_name()
    return render_pdf(
        "training/attestation_pdf.html",
        {"enrolment": enrolment, "finished": enrolment.status == EnrolmentStatus.TERMINEE},
        kind=DocumentKind.ATTESTATION_FORMATION,
        title=f"Attestation de formation — {name}",
        issued_by=request.user,
        subject=_subject(enrolment),
        filename=f"attestation-formation-{name}",
    )


@require_GET
@document_roles
def certification_pdf(request, pk):
    enrolment = document_enrolment(request.user, pk)
    if not has_certification_record(enrolment):
        raise Http404
    name = enrolment.conseiller.get_full_name()
    return render_pdf(
        "training/certification_pdf.html",
        {"enrolment": enrolment},
        kind=DocumentKind.RELEVE_CERTIFICATION,
        title=f"Relevé de certification — {name}",
        issued_by=request.user,
        subject=_subject(enrolment),
        filename=f"releve-certification-{name}",
    )
