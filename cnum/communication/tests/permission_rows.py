"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import authenticated, only, public
from cnum.accounts.roles import Role

ADMIN = Role.ADMINISTRATEUR
MISSING = {"pk": 999999}


def draft_kwargs():
    from cnum.communication.testing import make_mailing

    return {"pk": make_mailing().pk}


def resource_kwargs():
    """A document for conseillers only: everyone else is told it does not exist."""
    from cnum.communication.testing import make_resource

    return {"slug": make_resource(roles=[Role.CONSEILLER]).slug}


def version_kwargs():
    from cnum.communication.testing import make_resource

    return {"pk": make_resource(roles=[Role.CONSEILLER]).latest().pk}


CONSEILLERS_ONLY = {**authenticated(404), Role.CONSEILLER: 200, ADMIN: 200}

ROWS = {
    "communication:mailing_list": ({}, only(ADMIN)),
    "communication:mailing_create": ({}, only(ADMIN)),
    "communication:mailing_detail": (draft_kwargs, only(ADMIN)),
    "communication:mailing_edit": (draft_kwargs, only(ADMIN)),
    # A GET only shows the confirmation page with the recipient count; its POST sends.
    "communication:mailing_send": (draft_kwargs, only(ADMIN)),
    # The signed link is the credential: a bad one answers a French error page.
    "communication:unsubscribe": ({"token": "lien-invalide"}, public()),
    "communication:preferences": ({}, authenticated()),
    "communication:announcement_list": ({}, only(ADMIN)),
    "communication:announcement_create": ({}, only(ADMIN)),
    "communication:announcement_edit": (MISSING, only(ADMIN, status=404)),
    "communication:announcement_dismiss": (MISSING, authenticated(405)),
    "communication:resources": ({}, authenticated()),
    "communication:resource_admin": ({}, only(ADMIN)),
    "communication:resource_create": ({}, only(ADMIN)),
    "communication:resource_manage": (MISSING, only(ADMIN, status=404)),
    "communication:resource_download": (resource_kwargs, CONSEILLERS_ONLY),
    "communication:version_download": (version_kwargs, CONSEILLERS_ONLY),
    "communication:faq": ({}, public()),
    "communication:faq_admin": ({}, only(ADMIN)),
    "communication:faq_create": ({}, only(ADMIN)),
    "communication:faq_edit": (MISSING, only(ADMIN, status=404)),
}
