"""Demo allocation run (seed_demo): computed once, synchronously, over the demo data."""

from cnum.accounts.roles import Role
from cnum.allocation import services
from cnum.allocation.models import AllocationRun, Scope


def seed(context):
    if AllocationRun.objects.exists():
        return
    run = AllocationRun.objects.create(
        scope=Scope.NATIONAL, launched_by=context["users"][Role.ADMINISTRATEUR]
    )
    services.compute(run)
    context["allocation_run"] = run
