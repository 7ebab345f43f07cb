"""Demo funding data (seed_demo): commitments of the validated demo structures, conventions in
every status, payment requests, the kit catalogue and kit requests. Idempotent: a structure that
already has a convention is left as it is.
"""

import datetime

from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.funding import documents, ledger, reference
from cnum.funding.enums import ConventionStatus as C
from cnum.funding.enums import DossierPhase, EntryKind, EnvelopePurpose
from cnum.funding.enums import DossierStatus as D
from cnum.funding.enums import KitStatus as K
from cnum.funding.enums import PaymentStatus as P
from cnum.funding.models import (
    Convention,
    Document,
    Dossier,
    KitRequest,
    KitType,
    LedgerEntry,
    PaymentRequest,
)
from cnum.structures.enums import Status

DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
KIT_TYPES = [
    (
        "Kit espace numérique",
        "3 ordinateurs portables, 2 tablettes, 1 imprimante, 1 borne wifi",
        450_000,
    ),
    (
        "Kit itinérant",
        "2 ordinateurs portables, 2 tablettes, 1 routeur 4G, valise de transport",
        280_000,
    ),
    (
        "Kit accessibilité",
        "Clavier gros caractères, loupe numérique, casque, logiciel de lecture",
        190_000,
    ),
]
# Demo structure → (convention status, dossier status or None, payment status or None)
PLAN = {
    "demo": (C.CONVENTIONNEMENT_VALIDE, D.VALIDE, None),
    "Mairie de Villeurbanne (démo)": (C.CONVENTIONNEMENT_EN_COURS, D.DEPOSE, None),
    "Ville de Paris (démo)": (C.CONVENTIONNEMENT_VALIDE, D.VALIDE, P.DEMANDEE),
    "Ville de Basse-Terre (démo)": (C.RECONVENTIONNEMENT_VALIDE, D.VALIDE, P.VERSEE),
    "Ville de Saint-Denis de La Réunion (démo)": (
        C.RECONVENTIONNEMENT_INITIE,
        D.A_COMPLETER,
        P.VERSEE,
    ),
    "Métropole de Lyon (démo)": (C.NON_INTERESSE, None, None),
}


def _commit_posts(structure, admin):
    """The demo decisions were written directly: commit what a real decision would have."""
    if structure.status != Status.VALIDATION_COSELEC:
        return
    if LedgerEntry.objects.filter(structure=structure, kind=EntryKind.COMMITMENT).exists():
        return
    per_post = ledger.post_amount(structure, ledger.grid_on())
    ledger.commit(
        ledger.open_envelope(EnvelopePurpose.CONSEILLERS),
        structure,
        structure.current_posts() * per_post,
        author=admin,
        reason=f"Décision de démonstration : {structure.current_posts()} poste(s)",
        subject=structure.decisions.first(),
    )


def _dossier(convention, status, manager):
    renewal = convention.status in (C.RECONVENTIONNEMENT_INITIE, C.RECONVENTIONNEMENT_VALIDE)
    dossier = Dossier.objects.create(
        convention=convention,
        phase=DossierPhase.RENEWAL if renewal else DossierPhase.INITIAL,
        status=status,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
        operator_message="Merci de joindre la délibération du conseil municipal."
        if status == D.A_COMPLETER
        else "",
    )
    file, digest = documents.content(DEMO_PDF)
    Document.objects.create(
        dossier=dossier,
        file=file,
        original_name="convention-signee.pdf",
        size=len(DEMO_PDF),
        sha256=digest,
        uploaded_by=manager,
    )


def _payment(structure, status, requester, operator):
    row = PaymentRequest.objects.create(
        structure=structure,
        rank=1,
        label="Premier versement",
        amount_cents=ledger.structure_balance(structure).committed // 2,
        requested_by=requester,
        status=status,
        paid_on=timezone.localdate() if status == P.VERSEE else None,
        reference="VIR-DEMO-0001" if status == P.VERSEE else "",
    )
    if status == P.VERSEE:
        ledger.pay(
            structure,
            row.amount_cents,
            author=operator,
            reason="Premier versement (démo)",
            subject=row,
        )


def _kits(structures, manager, kit_types):
    demo = structures["demo"]
    if KitRequest.objects.filter(structure=demo).exists():
        return
    for structure, kit_type, status in (
        (demo, kit_types[0], K.DEMANDEE),
        (structures["Ville de Paris (démo)"], kit_types[1], K.DEMANDEE),
        (structures["Ville de Basse-Terre (démo)"], kit_types[2], K.ACCORDEE),
    ):
        kit = KitRequest.objects.create(
            structure=structure,
            kit_type=kit_type,
            quantity=1,
            place_name="Médiathèque centrale",
            commune=structure.commune,
            justification="Ouvrir un espace de médiation numérique en accès libre.",
            cost_cents=kit_type.unit_cost_cents,
            requested_by=manager,
        )
        if status == K.ACCORDEE:
            KitRequest.objects.filter(pk=kit.pk).update(status=status)
            ledger.charge_kit(kit, None)


def seed(context):
    reference.ensure()
    admin = context["users"][Role.ADMINISTRATEUR]
    operator = context["users"][Role.OPERATEUR_FINANCIER]
    manager = context["users"][Role.GESTIONNAIRE_STRUCTURE]
    structures = context["structures"]
    kit_types = [
        KitType.objects.get_or_create(name=n, defaults={"contents": c, "unit_cost_cents": cents})[0]
        for n, c, cents in KIT_TYPES
    ]
    for structure in structures.values():
        _commit_posts(structure, admin)
    for key, (status, dossier_status, payment_status) in PLAN.items():
        structure = structures[key]
        if Convention.objects.filter(structure=structure).exists():
            continue
        validated = status not in (C.NON_INTERESSE, C.CONVENTIONNEMENT_EN_COURS)
        convention = Convention.objects.create(
            structure=structure,
            status=status,
            validated_on=timezone.localdate() - datetime.timedelta(days=400) if validated else None,
        )
        if dossier_status:
            _dossier(convention, dossier_status, manager)
        if payment_status:
            _payment(structure, payment_status, manager, operator)
    _kits(structures, manager, kit_types)
