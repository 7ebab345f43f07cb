"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only
from cnum.accounts.roles import Role

SCOPED = only(Role.HUB, Role.GRAND_RESEAU)


def network_kwargs():
    from cnum.structures.networks import network_named

    return {"pk": network_named("Réseau de la matrice").pk}


ROWS = {
    "networks:structures": ({}, SCOPED),
    "networks:structures_export": ({"fmt": "csv"}, SCOPED),
    "networks:conseillers": ({}, SCOPED),
    "networks:conseillers_export": ({"fmt": "xlsx"}, SCOPED),
    "networks:admin_list": ({}, only(Role.ADMINISTRATEUR)),
    "networks:admin_create": ({}, only(Role.ADMINISTRATEUR)),
    "networks:admin_rename": (network_kwargs, only(Role.ADMINISTRATEUR)),
    # Activation is a POST: the administration gets 405 on a GET, everyone else 403.
    "networks:admin_toggle": (network_kwargs, only(Role.ADMINISTRATEUR, status=405)),
}
