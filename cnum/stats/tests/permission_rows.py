"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only, public
from cnum.accounts.roles import Role

# Every audience of the activity dashboards sees its own scope (an empty one for the test
# users, who manage or coordinate nobody); other roles are refused.
DASHBOARD_AUDIENCES = only(
    Role.ADMINISTRATEUR,
    Role.PREFET,
    Role.HUB,
    Role.GRAND_RESEAU,
    Role.GESTIONNAIRE_STRUCTURE,
    Role.COORDINATEUR,
    Role.CONSEILLER,
)

ROWS = {
    "stats:dashboard": ({}, DASHBOARD_AUDIENCES),
    "stats:dashboard_print": ({}, DASHBOARD_AUDIENCES),
    "stats:dashboard_pdf": ({}, DASHBOARD_AUDIENCES),
    "stats:export_figures": ({"fmt": "csv"}, DASHBOARD_AUDIENCES),
    "stats:export_records": ({"fmt": "xlsx"}, DASHBOARD_AUDIENCES),
    # Public statistics and open data: no login.
    "stats:public": ({}, public()),
    "stats:public_csv": ({"niveau": "departements"}, public()),
    # Steering: the national administration, and a préfet on their own territory.
    "stats:steering": ({}, only(Role.ADMINISTRATEUR, Role.PREFET)),
}
