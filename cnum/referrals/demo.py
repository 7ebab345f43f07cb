"""Demo referrals (seed_demo): two referrals of the demo conseiller, one accepted, one waiting
for its answer. Idempotent: only seeded when the conseiller has none."""

from cnum.accounts.roles import Role
from cnum.activity.directory import public_places
from cnum.referrals import services
from cnum.referrals.enums import Status
from cnum.referrals.models import Referral
from cnum.referrals.transitions import RECEIVER_LINK

DEMO = [
    (["aide_aux_demarches_administratives"], "Dossier de retraite commencé en ligne.", True),
    (["sante"], "Compte Ameli créé ; la personne souhaite un suivi régulier.", False),
]


def seed(context):
    conseiller = context.get("users", {}).get(Role.CONSEILLER)
    if conseiller is None or Referral.objects.filter(conseiller=conseiller).exists():
        return
    place = public_places().exclude(conseiller_links__conseiller=conseiller).order_by("pk").first()
    if place is None:
        return
    for themes, done, accepted in DEMO:
        referral = services.send_referral(
            conseiller,
            place=place,
            values={
                "receiver_kind": "mediation_numerique",
                "already_done": done,
                "consent": True,
                "contact_name": "Dominique Exemple",
                "contact_phone": "04 72 00 00 00",
            },
            themes=themes,
        )
        if accepted:
            services.answer(referral, RECEIVER_LINK, Status.ACCEPTEE)
