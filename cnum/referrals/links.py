"""The signed link of the receiver's mail (docs/orientations.md#lien): no account needed.

The token signs the referral's id and its current `link_key`; it lasts REFERRAL_EXPIRY_DAYS.
A resend draws a new key, so only the latest link opens the referral.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cnum.referrals.enums import Status

SALT = "cnum.referrals.answer"


class BadLink(Exception):
    """Expired, tampered with, or replaced by a newer link: the message says which."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def expiry_days():
    return getattr(settings, "REFERRAL_EXPIRY_DAYS", 30)


def make_token(referral):
    return signing.dumps({"r": referral.pk, "k": referral.link_key}, salt=SALT, compress=True)


def url(referral):
    path = reverse("referrals:answer", kwargs={"token": make_token(referral)})
    return f"{settings.SITE_URL}{path}"


def read_token(token, queryset):
    """The referral of a valid token among `queryset`; BadLink otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=expiry_days() * 24 * 3600)
    except signing.SignatureExpired as error:
        raise BadLink(
            "Ce lien a expiré : il était valable "
            f"{expiry_days()} jours. Le conseiller peut vous renvoyer l'orientation."
        ) from error
    except signing.BadSignature as error:
        raise BadLink("Ce lien n'est pas valide : vérifiez qu'il est complet.") from error
    if not isinstance(data, dict):
        raise BadLink("Ce lien n'est pas valide : vérifiez qu'il est complet.")
    referral = queryset.filter(pk=data.get("r")).first()
    if referral is None or referral.link_key != data.get("k"):
        raise BadLink(
            "Ce lien a été remplacé par un envoi plus récent : utilisez le dernier courriel reçu."
        )
    if referral.status == Status.CLOSE:
        raise BadLink("Le conseiller a clos cette orientation : elle n'attend plus de réponse.")
    return referral
