"""Helpers for tests: a referral sent by a conseiller to a place of the directory."""

from cnum.activity.testing import make_conseiller
from cnum.places.testing import make_place
from cnum.referrals import services


def make_referral(conseiller=None, *, place=None, themes=("email",), files=(), **values):
    conseiller = conseiller or make_conseiller()
    place = place or make_place(courriels=["accueil@lieu.fr"])
    fields = {
        "receiver_kind": "mediation_numerique",
        "already_done": "Création de l'adresse électronique",
        "consent": True,
        "contact_name": "Sacha Lefebvre",
        "contact_phone": "06 12 34 56 78",
        **values,
    }
    return services.send_referral(
        conseiller, place=place, values=fields, themes=list(themes), files=list(files)
    )
