"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

import datetime

from cnum.accounts.permission_matrix import only
from cnum.accounts.roles import Role


def contract_kwargs():
    """Someone else's contract: a manager gets 404, never its data."""
    from cnum.recruitment.models import Contract
    from cnum.recruitment.testing import employed

    return {"pk": Contract.objects.current().get(match=employed()).pk}


def leave_kwargs():
    """A leave declared by another structure."""
    from cnum.followup.models import Leave
    from cnum.recruitment.testing import employed

    match = employed()
    day = datetime.date(2026, 7, 1)
    leave = Leave.objects.create(
        conseiller=match.candidate.user,
        start=day,
        end=day + datetime.timedelta(days=10),
        declared_by=match.structure.managers().first().user,
    )
    return {"pk": leave.pk}


ROWS = {
    "followup:inactive": (
        {},
        only(
            Role.ADMINISTRATEUR,
            Role.PREFET,
            Role.HUB,
            Role.GRAND_RESEAU,
            Role.GESTIONNAIRE_STRUCTURE,
            Role.COORDINATEUR,
        ),
    ),
    "followup:renewals": (
        {},
        only(Role.ADMINISTRATEUR, Role.PREFET, Role.HUB, Role.GESTIONNAIRE_STRUCTURE),
    ),
    "followup:non_renewal": (contract_kwargs, only(Role.GESTIONNAIRE_STRUCTURE, status=404)),
    "followup:leaves": ({}, only(Role.GESTIONNAIRE_STRUCTURE)),
    "followup:leave_delete": (leave_kwargs, only(Role.GESTIONNAIRE_STRUCTURE, status=404)),
}
