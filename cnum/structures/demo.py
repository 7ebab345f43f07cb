"""Demo structures (seed_demo): the demo manager's real structure, a dozen named ones and ~135
generated ones over mainland, Corsica and overseas départements, in every status, with préfet
opinions (one demo préfet per département) and committee decisions over four sessions.

The accounts seeder creates « Association Lyon Numérique (démo) » as a plain Organisation with
the demo manager, coordinator, conseiller and aidant in it. Rather than a second organisation,
we give that very row its Structure part (multi-table inheritance: one child row, same pk), so
every demo membership now points to a real structure. Idempotent: keyed by SIRET.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import grants
from cnum.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_KEY, MissingReferenceData
from cnum.accounts.models import Organisation, User
from cnum.accounts.roles import OrganisationKind, Role
from cnum.structures.coordinators import request_at_application
from cnum.structures.enums import Audience, CommitteeOpinion, PrefetOpinionValue, Status
from cnum.structures.enums import StructureType as T
from cnum.structures.models import (
    CallForInterest,
    CommitteeDecision,
    CommitteeSession,
    Network,
    PrefetOpinion,
    Structure,
)
from cnum.structures.networks import network_named
from cnum.structures.testing import luhn_complete
from cnum.territories.models import Commune, Departement

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


def seed_demo_network(organisation):
    """Make the accounts seeder's « La Poste » organisation a Network (same row, same pk): the
    demo Grand réseau account holds its role there, and generated structures join it."""
    existing = Network.objects.filter(pk=organisation.pk).first()
    if existing:
        return existing
    network = Network(
        organisation_ptr=organisation,
        kind=organisation.kind,
        name=organisation.name,
        created_at=organisation.created_at,
        slug="la-poste",
    )
    network.save_base(raw=True)  # the parent row exists: insert the child row only
    return network


SESSIONS = [
    (1, datetime.date(2026, 1, 15)),
    (2, datetime.date(2026, 3, 12)),
    (3, datetime.date(2026, 6, 4)),
    (4, datetime.date(2026, 9, 17)),
]
GENERATED_COUNT = 135
GENERATED_OFFSET = 100  # SIRET index of the first generated structure
GENERATED_DEPARTEMENTS = ["69", "75", "13", "59", "33", "2A", "971", "974"]
# Status of generated structures: most are validated, so the recruitment screens have content.
STATUS_WEIGHTS = [
    (S.VALIDATION_COSELEC, 55),
    (S.CREEE, 14),
    (S.EXAMEN_COMPLEMENTAIRE_COSELEC, 9),
    (S.REFUS_COSELEC, 9),
    (S.ABANDON, 5),
    (S.ANNULEE, 4),
    (S.DOUBLON, 4),
]
KINDS = [
    (T.COMMUNE, "Mairie de {}"),
    (T.EPCI, "Communauté de communes de {}"),
    (T.PRIVATE, "Association Numérique pour tous — {}"),
    (T.PRIVATE, "Centre social de {}"),
    (T.COLLECTIVITE, "Collectivité de {}"),
    (T.GIP, "GIP Inclusion numérique de {}"),
]
NETWORKS = ["", "", "", "La Poste", "Croix-Rouge française", "Emmaüs Connect"]
OPINION_COMMENTS = [
    "Territoire prioritaire, besoins avérés.",
    "Structure déjà active dans l'accompagnement au numérique.",
    "Projet cohérent avec le schéma départemental d'inclusion numérique.",
    "Besoins réels mais capacité d'encadrement à confirmer.",
]


def seed_sessions():
    return [
        CommitteeSession.objects.get_or_create(number=n, defaults={"date": date})[0]
        for n, date in SESSIONS
    ]


def seed_call():
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
    return call


def demo_password_hash(context):
    """The demo password hashed once per seed (hashing is deliberately slow)."""
    if "demo_password_hash" not in context:
        context["demo_password_hash"] = make_password(DEMO_PASSWORD)
    return context["demo_password_hash"]


def seed_prefets(context):
    """One demo préfet per département of the generated structures (Rhône: the accounts one)."""
    prefets = {"69": context["users"][Role.PREFET]}
    wanted = {code: f"prefet-{code.lower()}@{DEMO_DOMAIN}" for code in GENERATED_DEPARTEMENTS}
    wanted.pop("69")
    existing = {u.email: u for u in User.objects.filter(email__in=wanted.values())}
    for code, email in wanted.items():
        user = existing.get(email)
        if user is None:
            departement = Departement.objects.filter(code=code).first()
            if departement is None:
                raise MissingReferenceData(code)
            organisation = Organisation.objects.create(
                kind=OrganisationKind.PREFECTURE,
                name=f"Préfecture — {departement.nom} (démo)",
                departement=departement,
                region_id=departement.region_id,
            )
            user = User.objects.create(
                email=email,
                password=demo_password_hash(context),
                first_name="Démo",
                last_name=f"Préfet {departement.nom}",
                email_confirmed_at=timezone.now(),
            )
            grants.grant(user, Role.PREFET, organisation)
            TOTPDevice.objects.create(user=user, name="Démo", key=DEMO_TOTP_KEY, confirmed=True)
        prefets[code] = user
    return prefets


def _top_communes(code, count=15):
    communes = list(
        Commune.objects.filter(departement_id=code, type=Commune.Type.COMMUNE).order_by(
            "-population", "code_insee"
        )[:count]
    )
    if not communes:
        raise MissingReferenceData(code)
    return communes


def _generated_structure(index, rng, communes, call, networks):
    departement = GENERATED_DEPARTEMENTS[index % len(GENERATED_DEPARTEMENTS)]
    commune = rng.choice(communes[departement])
    kind, pattern = rng.choice(KINDS)
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    status = rng.choices(statuses, weights)[0]
    structure = Structure(
        kind=OrganisationKind.STRUCTURE,
        name=f"{pattern.format(commune.nom)} (démo {index})",
        departement_id=commune.departement_id,
        region_id=commune.region_id,
        type=kind,
        siret=demo_siret(index),
        status=status,
        posts_wanted=rng.choice([1, 1, 2, 2, 3, 4, 6]),
        zrr=rng.random() < 0.2,
        qpv=rng.random() < 0.4,
        france_services=rng.random() < 0.3,
        aidants_connect=rng.random() < 0.2,
        network=networks.get(rng.choice(NETWORKS)),
        call=call,
        **_fields(commune, index),
    )
    structure.mission_start += datetime.timedelta(days=rng.randrange(-60, 90))
    return structure


def seed_generated_structures(call, password):
    """~135 structures, created once (keyed by SIRET); returns them all."""
    indexes = range(GENERATED_OFFSET, GENERATED_OFFSET + GENERATED_COUNT)
    sirets = {demo_siret(i): i for i in indexes}
    existing = set(Structure.objects.filter(siret__in=sirets).values_list("siret", flat=True))
    missing = [i for s, i in sirets.items() if s not in existing]
    if missing:
        communes = {code: _top_communes(code) for code in GENERATED_DEPARTEMENTS}
        networks = {name: network_named(name) for name in NETWORKS if name}
        structures = [
            _generated_structure(i, random.Random(i), communes, call, networks)  # noqa: S311
            for i in missing
        ]
        # Multi-table inheritance: bulk-insert the Organisation rows, then each child row.
        parents = Organisation.objects.bulk_create(
            Organisation(
                kind=s.kind, name=s.name, departement_id=s.departement_id, region_id=s.region_id
            )
            for s in structures
        )
        originals = {}
        for structure, parent in zip(structures, parents, strict=True):
            structure.organisation_ptr_id = structure.id = parent.pk
            structure.created_at = parent.created_at
            if structure.status == S.DOUBLON:
                original = originals.get(structure.departement_id)
                if original is None:
                    structure.status = S.CREEE
                else:
                    structure.duplicate_of_id = original
            elif structure.status == S.VALIDATION_COSELEC:
                originals.setdefault(structure.departement_id, parent.pk)
            structure.save_base(raw=True, force_insert=True)
        seed_managers(structures, password)
    return list(Structure.objects.filter(siret__in=sirets).order_by("pk"))


def seed_managers(structures, password):
    """Each generated structure's contact becomes its manager (demo password, no 2FA)."""
    emails = {s.pk: f"gestionnaire-{s.siret[:9]}@{DEMO_DOMAIN}" for s in structures}
    User.objects.bulk_create(
        User(
            email=emails[s.pk],
            password=password,
            first_name=s.contact_first_name,
            last_name=f"{s.contact_last_name} {s.siret[6:9]}",
            email_confirmed_at=timezone.now(),
        )
        for s in structures
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    grants.grant_many((users[emails[s.pk]], Role.GESTIONNAIRE_STRUCTURE, s) for s in structures)


def _decision_for(structure, sessions, admin, rng, generated):
    if structure.status == S.DOUBLON or (
        structure.status in (S.CREEE, S.ANNULEE) and rng.random() < 0.8
    ):
        return []
    opinion = DECISION.get(structure.status) or rng.choice(
        [CommitteeOpinion.POSITIF, CommitteeOpinion.EXAMEN_COMPLEMENTAIRE]
    )
    if structure.status == S.CREEE:
        return []
    session = sessions[structure.pk % len(sessions)]
    decisions = []
    if opinion == CommitteeOpinion.POSITIF and structure.pk % 4 == 0 and session.number > 1:
        # Examined once more before being validated: two decisions, the latest counts.
        decisions.append(
            CommitteeDecision(
                structure=structure,
                session=sessions[0],
                opinion=CommitteeOpinion.EXAMEN_COMPLEMENTAIRE,
                observations="Pièces complémentaires demandées.",
                decided_by=admin,
            )
        )
    # The committee sometimes grants one post fewer than asked (generated structures only).
    cut = generated and structure.posts_wanted > 1 and rng.random() < 0.3
    granted = structure.posts_wanted - 1 if cut else structure.posts_wanted
    decisions.append(
        CommitteeDecision(
            structure=structure,
            session=session,
            opinion=opinion,
            posts_granted=granted if opinion == CommitteeOpinion.POSITIF else 0,
            priority=structure.qpv or structure.zrr,
            observations="Décision de démonstration.",
            decided_by=admin,
        )
    )
    return decisions


def seed_decisions_and_opinions(structures, sessions, admin, prefets, generated=()):
    decided = set(
        CommitteeDecision.objects.filter(structure__in=structures).values_list(
            "structure_id", flat=True
        )
    )
    opined = set(
        PrefetOpinion.objects.filter(structure__in=structures).values_list(
            "structure_id", flat=True
        )
    )
    decisions, opinions = [], []
    for structure in structures:
        rng = random.Random(structure.siret)  # noqa: S311 — demo data
        if structure.pk not in decided:
            decisions += _decision_for(structure, sessions, admin, rng, structure.pk in generated)
        author = prefets.get(structure.departement_id)
        # Most files carry the préfet's opinion; some new ones still wait for it.
        wants_opinion = structure.status != S.CREEE or rng.random() < 0.4
        if author and structure.pk not in opined and wants_opinion:
            favourable = structure.status != S.REFUS_COSELEC or rng.random() < 0.3
            opinions.append(
                PrefetOpinion(
                    structure=structure,
                    opinion=PrefetOpinionValue.FAVORABLE
                    if favourable
                    else PrefetOpinionValue.DEFAVORABLE,
                    comment=rng.choice(OPINION_COMMENTS),
                    author=author,
                )
            )
    CommitteeDecision.objects.bulk_create(decisions)
    PrefetOpinion.objects.bulk_create(opinions)


def seed_coordinator_requests(structures, count=3):
    """A few files awaiting the committee ask for a coordinator post
    (docs/domaine.md#coordinateurs). Not the demo manager's own structure: its request is left to
    be made by hand."""
    awaiting = [s for s in structures if s.status in (S.CREEE, S.EXAMEN_COMPLEMENTAIRE_COSELEC)]
    for structure in awaiting[:count]:
        if not structure.coordinator_requests.exists():
            request_at_application(
                structure, "TEMPS_PARTIEL", "Animer les conseillers du département."
            )


def seed(context):
    call = seed_call()
    sessions = seed_sessions()
    admin = context["users"][Role.ADMINISTRATEUR]
    prefets = seed_prefets(context)
    own = seed_demo_manager_structure(context["organisations"]["structure"])
    context["organisations"]["reseau"] = seed_demo_network(context["organisations"]["reseau"])
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
    unmanaged = [
        s
        for s in Structure.objects.filter(pk__in=[s.pk for s in structures.values()])
        .exclude(memberships__role=Role.GESTIONNAIRE_STRUCTURE)
        .order_by("pk")
    ]
    if unmanaged:
        seed_managers(unmanaged, demo_password_hash(context))
    generated = seed_generated_structures(call, demo_password_hash(context))
    seed_decisions_and_opinions(
        [*structures.values(), *generated],
        sessions,
        admin,
        prefets,
        generated={s.pk for s in generated},
    )
    seed_coordinator_requests([s for name, s in structures.items() if name != "demo"])
    context["structures"] = structures
    context["generated_structures"] = generated
    context["prefets"] = prefets
