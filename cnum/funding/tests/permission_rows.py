"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import authenticated, only
from cnum.accounts.roles import Role

OPERATOR, ADMIN, MANAGER = (
    Role.OPERATEUR_FINANCIER,
    Role.ADMINISTRATEUR,
    Role.GESTIONNAIRE_STRUCTURE,
)
MISSING = {"pk": 999999}
MISSING_PAYMENT = {"request_pk": 999999}


def structure_kwargs():
    from cnum.structures.testing import make_structure

    return {"pk": make_structure(departement="69").pk}


# Actions answer 405 to a GET whoever asks (anonymous visitors go to the login page first).
POST_ONLY = {
    "funding:convention_start": {"pk": 1},
    "funding:renewal_start": {"pk": 1},
    "funding:dossier_new": {"pk": 1},
    "funding:document_upload": {"pk": 1},
    "funding:dossier_submit": {"pk": 1},
    "funding:payment_request": {"pk": 1},
    "funding:document_delete": {"document_pk": 1},
    "funding:kit_received": {"kit_pk": 1},
    "funding:payment_record": {"pk": 1},
    "funding:kit_delivery": {"pk": 1},
    "funding:recovery": {"pk": 1},
}

ROWS = {
    **{name: (kwargs, authenticated(405)) for name, kwargs in POST_ONLY.items()},
    "funding:space": ({}, only(MANAGER)),
    # Someone else's structure: a manager gets 404, never its figures.
    "funding:structure": (structure_kwargs, only(MANAGER, status=404)),
    "funding:kit_request": (structure_kwargs, only(MANAGER, status=404)),
    # Cancelling a request opens its confirmation page, for the structure's managers only.
    "funding:payment_cancel": (MISSING_PAYMENT, only(MANAGER, status=404)),
    "funding:kit_cancel": ({"kit_pk": 999999}, only(MANAGER, status=404)),
    # Funding documents: the national roles see any structure's; a manager only their own.
    "funding:convention_pdf": (structure_kwargs, {**only(OPERATOR, ADMIN), MANAGER: 404}),
    "funding:payment_notice_pdf": (MISSING_PAYMENT, only(OPERATOR, ADMIN, MANAGER, status=404)),
    "funding:document_download": ({"document_pk": 999999}, authenticated(404)),
    "funding:queue": ({}, only(OPERATOR)),
    "funding:dossier": (MISSING, only(OPERATOR, status=404)),
    "funding:payment": (MISSING, only(OPERATOR, status=404)),
    "funding:kit": (MISSING, only(OPERATOR, status=404)),
    "funding:structure_ledger": (structure_kwargs, only(OPERATOR, ADMIN)),
    "funding:dashboard": ({}, only(OPERATOR, ADMIN)),
    "funding:export": ({}, only(OPERATOR, ADMIN)),
    "funding:cost_report": ({}, only(OPERATOR, ADMIN)),
    "funding:grid": ({}, only(OPERATOR, ADMIN)),
    "funding:envelopes": ({}, only(ADMIN)),
    "funding:kit_types": ({}, only(ADMIN)),
    "funding:kit_type_edit": (MISSING, only(ADMIN, status=404)),
}
