"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only
from cnum.accounts.roles import Role


def run_kwargs():
    from cnum.allocation.models import AllocationRun, Scope

    return {"pk": AllocationRun.objects.create(scope=Scope.NATIONAL).pk}


def run_departement_kwargs():
    return {**run_kwargs(), "code": "69"}


ROWS = {
    "allocation:runs": ({}, only(Role.ADMINISTRATEUR)),
    "allocation:run": (run_kwargs, only(Role.ADMINISTRATEUR)),
    "allocation:run_departement": (run_departement_kwargs, only(Role.ADMINISTRATEUR)),
}
