"""Demo structures (seed_demo): the demo manager's real structure and a dozen others.

The accounts seeder creates « Association Lyon Numérique (démo) » as a plain Organisation with
the demo manager, coordinator, conseiller and aidant in it. Rather than a second organisation,
we give that very row its Structure part (multi-table inheritance: one child row, same pk), so
every demo membership now points to a real structure. Idempotent: keyed by SIRET.
"""

import datetime

from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.structures.enums import Audience, CommitteeOpinion, PrefetOpinionValue, Status
from cnum.structures.enums import StructureType as T
from cnum.structures.models import (
    CallForInterest,
    CommitteeDecision,
    CommitteeSession,
    PrefetOpinion,
    Structure,
)
from cnum.structures.testing import luhn_complete
from cnum.territories.models import Commune

S = Status
# name, type, commune INSEE, status, posts wanted, ZRR, QPV, France Services
DEMO_STRUCTURES = [
    ("Mairie de Villeurbanne (démo)", T.COMMUNE, "69266", S.VALIDATION_COSELEC, 3, 0, 1, 1),
    ("Métropole de Lyon (démo)", T.EPCI, "69123", S.CREEE, 10, 0, 1, 0),
    (
        "Centre social de Vénissieux (démo)",
        T.PRIVATE,
        "69259",
        S.EXAMEN_COMPLEMENTAIRE_COSELEC,
        2,
        0,
        1,
        0,
    ),
    ("Ville de Paris (démo)", T.COMMUNE, "75056", S.VALIDATION_COSELEC, 8, 0, 1, 1),
    ("Emmaüs Connect Paris (démo)", T.PRIVATE, "75056", S.CREEE, 4, 0, 0, 0),
    (
        "Département des Bouches-du-Rhône (démo)",
        T.DEPARTEMENT,
        "13055",
        S.REFUS_COSELEC,
        6,
        0,
        0,
        0,
    ),
    ("Association Marseille Connectée (démo)", T.PRIVATE, "13055", S.ABANDON, 1, 0, 1, 0),
    ("Ville de Lille (démo)", T.COMMUNE, "59350", S.ANNULEE, 2, 0, 0, 0),
    ("GIP Bretagne numérique (démo)", T.GIP, "35238", S.CREEE, 2, 1, 0, 1),
    ("Ville de Basse-Terre (démo)", T.COMMUNE, "97105", S.VALIDATION_COSELEC, 2, 0, 1, 1),
    ("Région Guadeloupe (démo)", T.REGION, "97105", S.CREEE, 3, 0, 0, 0),
    (
        "Ville de Saint-Denis de La Réunion (démo)",
        T.COMMUNE,
        "97411",
        S.VALIDATION_COSELEC,
        4,
        0,
        1,
        1,
    ),
    ("Mairie du Port (démo)", T.COMMUNE, "97407", S.EXAMEN_COMPLEMENTAIRE_COSELEC, 2, 0, 1, 0),
]
DECISION = {
    S.VALIDATION_COSELEC: CommitteeOpinion.POSITIF,
    S.REFUS_COSELEC: CommitteeOpinion.NEGATIF,
    S.EXAMEN_COMPLEMENTAIRE_COSELEC: CommitteeOpinion.EXAMEN_COMPLEMENTAIRE,
}


def demo_siret(index):
    return luhn_complete(f"{900000000 + index:09d}0001")


def _fields(commune, index, **extra):
    return {
        "address": f"{index + 1} place de la République",
        "commune": commune,
        "contact_first_name": "Claude",
        "contact_last_name": "Démo",
        "contact_role": "Responsable de la médiation numérique",
        "contact_email": f"contact{index}@structures.demo.conseiller-numerique.fr",
        "contact_phone": "0102030405",
        "mission_start": timezone.localdate() + datetime.timedelta(days=30),
        "motivation": "Accompagner les habitants éloignés du numérique.",
        "commitments_accepted": True,
        "confirmed_at": timezone.now(),
        **extra,
    }


def seed_demo_manager_structure(organisation):
    """Add the Structure part to the accounts seeder's organisation (same row, same pk)."""
    existing = Structure.objects.filter(pk=organisation.pk).first()
    if existing:
        return existing
    structure = Structure(
        organisation_ptr=organisation,
        kind=organisation.kind,
        name=organisation.name,
        departement_id=organisation.departement_id,
        region_id=organisation.region_id,
        created_at=organisation.created_at,
        type=T.PRIVATE,
        siret=demo_siret(0),
        status=S.VALIDATION_COSELEC,
        posts_wanted=3,
        qpv=True,
        **_fields(Commune.objects.get(code_insee="69123"), 0),
    )
    structure.save_base(raw=True)  # the parent row exists: insert the child row only
    return structure


def seed(context):
    now = timezone.now()
    call, _ = CallForInterest.objects.get_or_create(
        name="Appel à manifestation d'intérêt 2026 (démo)",
        defaults={
            "audience": Audience.BOTH,
            "opens_at": now - datetime.timedelta(days=1),
            "closes_at": now + datetime.timedelta(days=90),
            "text": "Les collectivités et les associations peuvent demander des conseillers.",
        },
    )
    if call.closes_at <= now:
        call.closes_at = now + datetime.timedelta(days=90)
        call.save(update_fields=["closes_at"])
    sessions = [
        CommitteeSession.objects.get_or_create(number=n, defaults={"date": date})[0]
        for n, date in ((1, datetime.date(2026, 1, 15)), (2, datetime.date(2026, 3, 12)))
    ]
    admin = context["users"][Role.ADMINISTRATEUR]
    prefet = context["users"][Role.PREFET]
    own = seed_demo_manager_structure(context["organisations"]["structure"])
    context["organisations"]["structure"] = own
    structures = {"demo": own}
    for index, (name, kind, insee, status, posts, zrr, qpv, fs) in enumerate(DEMO_STRUCTURES, 1):
        structure, _ = Structure.objects.get_or_create(
            siret=demo_siret(index),
            defaults={
                "name": name,
                "type": kind,
                "status": status,
                "posts_wanted": posts,
                "zrr": bool(zrr),
                "qpv": bool(qpv),
                "france_services": bool(fs),
                "call": call,
                **_fields(Commune.objects.get(code_insee=insee), index),
            },
        )
        structures[name] = structure
    for structure in structures.values():
        opinion = DECISION.get(structure.status)
        if opinion and not structure.decisions.exists():
            CommitteeDecision.objects.create(
                structure=structure,
                session=sessions[structure.pk % 2],
                opinion=opinion,
                posts_granted=structure.posts_wanted if opinion == CommitteeOpinion.POSITIF else 0,
                priority=structure.qpv,
                observations="Décision de démonstration.",
                decided_by=admin,
            )
        if structure.departement_id == "69" and not structure.opinions.exists():
            PrefetOpinion.objects.create(
                structure=structure,
                opinion=PrefetOpinionValue.FAVORABLE,
                comment="Territoire prioritaire, besoins avérés.",
                author=prefet,
            )
    context["structures"] = structures
