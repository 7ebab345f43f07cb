"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix).

The matrix's users hold their role in a fresh organisation: an organisation member or a manager
asking for someone else's organisation, trainee or structure gets a 404.
"""

from cnum.accounts.permission_matrix import authenticated, only
from cnum.accounts.roles import Role


def organisation_kwargs():
    from cnum.training.testing import make_organisation

    return {"pk": make_organisation().pk}


def session_kwargs():
    from cnum.training.testing import make_organisation, make_session

    return {"pk": make_session(make_organisation()).pk}


def enrolment_kwargs():
    from cnum.training.testing import make_enrolment

    return {"pk": make_enrolment().pk}


def certified_enrolment_kwargs():
    import datetime

    from cnum.training.enums import CertificationResult, CertificationType, EnrolmentStatus
    from cnum.training.testing import make_enrolment

    day = datetime.date(2026, 3, 2)
    enrolment = make_enrolment(
        status=EnrolmentStatus.TERMINEE,
        started_on=day,
        ended_on=day + datetime.timedelta(days=120),
        certification_type=CertificationType.CCP1,
        certification_result=CertificationResult.ADMIS,
        certified_on=day + datetime.timedelta(days=130),
    )
    return {"pk": enrolment.pk}


def structure_kwargs():
    from cnum.structures.testing import make_structure

    return {"pk": make_structure().pk}


def enrol_kwargs():
    from cnum.training.testing import make_conseiller

    conseiller = make_conseiller()
    return {"pk": conseiller.memberships.get().organisation_id, "user_pk": conseiller.pk}


ADMIN_OR_FOREIGN_ORGANISATION = {
    **only(Role.ADMINISTRATEUR),
    Role.ORGANISME_FORMATION: 404,
}
ADMIN_OR_FOREIGN_STRUCTURE = {**only(Role.ADMINISTRATEUR), Role.GESTIONNAIRE_STRUCTURE: 404}

DOCUMENTS = {
    **ADMIN_OR_FOREIGN_ORGANISATION,
    Role.GESTIONNAIRE_STRUCTURE: 404,
    Role.CONSEILLER: 404,
}

ROWS = {
    "training:space": ({}, only(Role.ORGANISME_FORMATION)),
    "training:organisation": (organisation_kwargs, ADMIN_OR_FOREIGN_ORGANISATION),
    "training:session_create": ({"pk": 1}, authenticated(405)),
    "training:member_invite": ({"pk": 1}, authenticated(405)),
    "training:habilitation": ({"pk": 1}, authenticated(405)),
    "training:session": (session_kwargs, ADMIN_OR_FOREIGN_ORGANISATION),
    "training:trainees": ({}, only(Role.ORGANISME_FORMATION)),
    "training:enrolment": (
        enrolment_kwargs,
        {**ADMIN_OR_FOREIGN_ORGANISATION, Role.GESTIONNAIRE_STRUCTURE: 404},
    ),
    "training:enrolment_progress": ({"pk": 1}, authenticated(405)),
    "training:enrolment_move": ({"pk": 1}, authenticated(405)),
    "training:enrolment_certification": ({"pk": 1}, authenticated(405)),
    # Someone else's training documents: a 404 for the roles that have training documents.
    "training:enrolment_attestation_pdf": (certified_enrolment_kwargs, DOCUMENTS),
    "training:enrolment_certification_pdf": (certified_enrolment_kwargs, DOCUMENTS),
    "training:mine": ({}, only(Role.CONSEILLER)),
    "training:structure_conseillers": (structure_kwargs, ADMIN_OR_FOREIGN_STRUCTURE),
    "training:enrol": (enrol_kwargs, ADMIN_OR_FOREIGN_STRUCTURE),
    "training:admin_organisations": ({}, only(Role.ADMINISTRATEUR)),
    "training:admin_conseillers": ({}, only(Role.ADMINISTRATEUR)),
    "training:import": ({}, only(Role.ADMINISTRATEUR)),
}
