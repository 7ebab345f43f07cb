"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only, public
from cnum.accounts.roles import Role


def referral_kwargs():
    from cnum.referrals.testing import make_referral

    return {"pk": make_referral().pk}


def attachment_kwargs():
    from cnum.candidates.testing import SMALL_PDF
    from cnum.referrals.testing import make_referral

    referral = make_referral(files=[("bilan.pdf", SMALL_PDF)])
    return {"pk": referral.pk, "attachment_pk": referral.attachments.get().pk}


def token_kwargs():
    from cnum.referrals.links import make_token
    from cnum.referrals.testing import make_referral

    return {"token": make_token(make_referral())}


def token_attachment_kwargs():
    from cnum.candidates.testing import SMALL_PDF
    from cnum.referrals.links import make_token
    from cnum.referrals.testing import make_referral

    referral = make_referral(files=[("bilan.pdf", SMALL_PDF)])
    return {"token": make_token(referral), "attachment_pk": referral.attachments.get().pk}


ROWS = {
    "referrals:mine": ({}, only(Role.CONSEILLER)),
    "referrals:create": ({}, only(Role.CONSEILLER)),
    # Someone else's referral: a 404, never its data.
    "referrals:detail": (referral_kwargs, only(Role.CONSEILLER, status=404)),
    "referrals:close": (referral_kwargs, only(Role.CONSEILLER, status=404)),
    "referrals:resend": (referral_kwargs, only(Role.CONSEILLER, status=404)),
    "referrals:attachment": (
        attachment_kwargs,
        only(Role.CONSEILLER, Role.GESTIONNAIRE_STRUCTURE, status=404),
    ),
    "referrals:received": ({}, only(Role.GESTIONNAIRE_STRUCTURE)),
    # A referral to another structure: a 404 for a manager.
    "referrals:received_detail": (referral_kwargs, only(Role.GESTIONNAIRE_STRUCTURE, status=404)),
    # The signed link needs no account: whoever holds it sees the referral.
    "referrals:answer": (token_kwargs, public()),
    "referrals:answer_attachment": (token_attachment_kwargs, public()),
}
