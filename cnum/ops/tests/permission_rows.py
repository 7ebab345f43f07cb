"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only, public
from cnum.accounts.roles import Role

JOB = {"name": "verify_ledger"}

ROWS = {
    # Probes for load balancers and monitoring: public, no personal data.
    "ops:liveness": ({}, public()),
    "ops:readiness": ({}, public()),
    # Neither METRICS_TOKEN nor METRICS_ALLOWED_IPS in the tests: the endpoint does not exist.
    "ops:metrics": ({}, public(404)),
    "ops:jobs": ({}, only(Role.ADMINISTRATEUR)),
    "ops:job_detail": (JOB, only(Role.ADMINISTRATEUR)),
    # A GET only shows the confirmation page; the job starts on its POST.
    "ops:job_run": (JOB, only(Role.ADMINISTRATEUR)),
}
