"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only
from cnum.accounts.roles import Role


def cra_kwargs():
    from cnum.activity.testing import make_conseiller, make_cra

    return {"pk": make_cra(make_conseiller()).pk}


def beneficiary_kwargs():
    from cnum.activity.testing import make_beneficiary, make_conseiller

    return {"pk": make_beneficiary(make_conseiller()).pk}


ROWS = {
    # A manager reads the records of its structure's conseillers.
    "activity:history": ({}, only(Role.CONSEILLER, Role.GESTIONNAIRE_STRUCTURE)),
    "activity:entry": ({}, only(Role.CONSEILLER)),
    "activity:directory_search": ({}, only(Role.CONSEILLER)),
    # Someone else's record: a 404 for those who read records, never its data.
    "activity:detail": (cra_kwargs, only(Role.CONSEILLER, Role.GESTIONNAIRE_STRUCTURE, status=404)),
    # Someone else's record or beneficiary: a conseiller gets a 404, never its data.
    "activity:edit": (cra_kwargs, only(Role.CONSEILLER, status=404)),
    "activity:delete": (cra_kwargs, only(Role.CONSEILLER, status=404)),
    "activity:beneficiaries": ({}, only(Role.CONSEILLER)),
    "activity:beneficiary_detail": (beneficiary_kwargs, only(Role.CONSEILLER, status=404)),
    "activity:beneficiary_edit": (beneficiary_kwargs, only(Role.CONSEILLER, status=404)),
    "activity:beneficiary_delete": (beneficiary_kwargs, only(Role.CONSEILLER, status=404)),
}
