"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix).

Every structure page belongs to a structure's managers; the structure built here is someone
else's, so a manager gets a 404 (never its candidates), other roles a 403, visitors the login
page. Candidates answer contact requests; the administration reads the record of reveals.
"""

from cnum.accounts.permission_matrix import authenticated, only
from cnum.accounts.roles import Role


def structure_kwargs():
    from cnum.structures.enums import Status
    from cnum.structures.testing import make_structure

    return {"pk": make_structure(departement="69", status=Status.VALIDATION_COSELEC).pk}


def candidate_kwargs():
    from cnum.candidates.testing import make_profile

    return {**structure_kwargs(), "candidate_pk": make_profile().pk}


FOREIGN = only(Role.GESTIONNAIRE_STRUCTURE, status=404)

ROWS = {
    "matching:candidates": (structure_kwargs, FOREIGN),
    "matching:search": (structure_kwargs, FOREIGN),
    "matching:candidate": (candidate_kwargs, FOREIGN),
    "matching:cv": (candidate_kwargs, FOREIGN),
    "matching:note_create": (candidate_kwargs, authenticated(405)),
    "matching:action": (candidate_kwargs, authenticated(405)),
    "matching:batch": (structure_kwargs, authenticated(405)),
    "matching:requests": ({}, only(Role.CANDIDAT)),
    "matching:answer": ({"request_pk": 1}, authenticated(405)),
    "matching:reveals": ({}, only(Role.ADMINISTRATEUR)),
}
