"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only, public
from cnum.accounts.roles import Role


def service_kwargs():
    from cnum.partners.testing import make_service

    return {"pk": make_service()[0].pk}


# Without its parameters the authorization request is refused (400) once the aidant has a
# fresh second factor; the matrix's aidant has not typed one yet: 302 to re-verification.
ROWS = {
    "partners:discovery": ({}, public()),
    "partners:jwks": ({}, public()),
    "partners:authorize": ({}, only(Role.AIDANT, status=302)),
    "partners:token": ({}, public(405)),  # POST only, for clients authenticating themselves
    "partners:userinfo": ({}, public(401)),  # a bearer token or nothing
    "partners:service_list": ({}, only(Role.ADMINISTRATEUR)),
    "partners:service_detail": (service_kwargs, only(Role.ADMINISTRATEUR)),
    "partners:service_edit": (service_kwargs, only(Role.ADMINISTRATEUR)),
    "partners:service_secret": (service_kwargs, only(Role.ADMINISTRATEUR, status=405)),
}
