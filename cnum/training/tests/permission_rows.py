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
    "training:mine": ({}, only(Role.CONSEILLER)),
    "training:structure_conseillers": (structure_kwargs, ADMIN_OR_FOREIGN_STRUCTURE),
    "training:enrol": (enrol_kwargs, ADMIN_OR_FOREIGN_STRUCTURE),
    "training:admin_organisations": ({}, only(Role.ADMINISTRATEUR)),
    "training:admin_conseillers": ({}, only(Role.ADMINISTRATEUR)),
    "training:import": ({}, only(Role.ADMINISTRATEUR)),
}
