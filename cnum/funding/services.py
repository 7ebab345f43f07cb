"""Funding use cases: conventions and their dossiers, payment requests, kits, recoveries.

Statuses move only through apply_transition; money moves only through cnum.funding.ledger.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cnum.accounts.roles import Role
from cnum.funding import documents, ledger
from cnum.funding.enums import EDITABLE_DOSSIER, OPEN_PAYMENT, DossierPhase
from cnum.funding.enums import ConventionStatus as C
from cnum.funding.enums import DossierStatus as D
from cnum.funding.enums import KitStatus as K
from cnum.funding.enums import PaymentStatus as P
from cnum.funding.ledger import FundingError
from cnum.funding.models import Convention, Document, Dossier, KitRequest, PaymentRequest
from cnum.structures.enums import Status
from cnum.structures.transitions import manages
from cnum.workflow.engine import apply_transition

VALIDATED = (C.CONVENTIONNEMENT_VALIDE, C.RECONVENTIONNEMENT_INITIE, C.RECONVENTIONNEMENT_VALIDE)


def _require_manager(actor, structure):
    if not manages(actor, structure):
        raise PermissionDenied


def _require_operator(actor):
    if not actor.has_role(Role.OPERATEUR_FINANCIER):
        raise PermissionDenied


# Conventions and dossiers


def convention_of(structure):
    return Convention.objects.get_or_create(structure=structure)[0]


def current_dossier(convention):
    return convention.dossiers.order_by("-created_at", "-pk").first()


def start_convention(structure, actor):
    _require_manager(actor, structure)
    if structure.status != Status.VALIDATION_COSELEC:
        raise FundingError("Seule une structure validée par le comité peut conventionner.")
    convention = convention_of(structure)
    with transaction.atomic():
        apply_transition(convention, C.CONVENTIONNEMENT_EN_COURS, actor)
        return Dossier.objects.create(convention=convention, phase=DossierPhase.INITIAL)


def start_renewal(structure, actor):
    _require_manager(actor, structure)
    convention = convention_of(structure)
    with transaction.atomic():
        apply_transition(convention, C.RECONVENTIONNEMENT_INITIE, actor)
        return Dossier.objects.create(convention=convention, phase=DossierPhase.RENEWAL)


def new_dossier(structure, actor):
    """After a refusal, the structure may put together a new dossier for the same phase."""
    _require_manager(actor, structure)
    convention = convention_of(structure)
    phases = {
        C.CONVENTIONNEMENT_EN_COURS: DossierPhase.INITIAL,
        C.RECONVENTIONNEMENT_INITIE: DossierPhase.RENEWAL,
    }
    latest = current_dossier(convention)
    if convention.status not in phases or (latest and latest.status != D.REFUSE):
        raise FundingError("Un dossier est déjà ouvert pour cette convention.")
    try:
        with transaction.atomic():
            return Dossier.objects.create(convention=convention, phase=phases[convention.status])
    except IntegrityError as error:
        raise FundingError("Un dossier est déjà ouvert pour cette convention.") from error


def add_document(dossier, actor, uploaded):
    structure = dossier.convention.structure
    _require_manager(actor, structure)
    if dossier.status not in EDITABLE_DOSSIER:
        raise FundingError("Ce dossier est en cours d'examen : il ne se modifie plus.")
    data = documents.read_upload(uploaded)
    file, digest = documents.content(data)
    return Document.objects.create(
        dossier=dossier,
        file=file,
        original_name=documents.display_name(getattr(uploaded, "name", "")),
        size=len(data),
        sha256=digest,
        uploaded_by=actor,
    )


def remove_document(document, actor):
    _require_manager(actor, document.dossier.convention.structure)
    if document.dossier.status not in EDITABLE_DOSSIER:
        raise FundingError("Ce dossier est en cours d'examen : il ne se modifie plus.")
    name = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def submit_dossier(dossier, actor):
    if not dossier.documents.exists():
        raise FundingError("Ajoutez au moins une pièce (la convention signée) avant de déposer.")
    return apply_transition(dossier, D.DEPOSE, actor)


EXAMINATION = {"valider": D.VALIDE, "completer": D.A_COMPLETER, "refuser": D.REFUSE}


def examine_dossier(dossier, actor, decision, message=""):
    to = EXAMINATION.get(decision)
    if to is None:
        raise FundingError("Choisissez une décision.")
    if to != D.VALIDE and not message.strip():
        raise FundingError("Expliquez à la structure ce qu'elle doit compléter ou pourquoi.")
    return apply_transition(dossier, to, actor, message.strip())


# Payment schedule and requests


@dataclass
class Instalment:
    rank: int
    label: str
    planned_cents: int
    due_on: datetime.date | None
    request: PaymentRequest | None

    @property
    def paid(self):
        return self.request is not None and self.request.status == P.VERSEE


def schedule(structure, convention=None):
    """Each instalment of the grid in force at validation: amount, due date, its request."""
    convention = convention or convention_of(structure)
    version = ledger.grid_on(convention.validated_on)
    committed = ledger.structure_balance(structure).committed
    rules = list(version.instalments.all())
    requests = {}
    for request in structure.payment_requests.exclude(status__in=[P.REFUSEE, P.ANNULEE]):
        requests[request.rank] = request
    rows, planned_total = [], 0
    for index, rule in enumerate(rules):
        last = index == len(rules) - 1
        planned = committed - planned_total if last else committed * rule.share_bp // 10000
        planned_total += planned
        due_on = None
        if convention.validated_on:
            due_on = add_months(convention.validated_on, rule.months_after)
        rows.append(Instalment(rule.rank, rule.label, planned, due_on, requests.get(rule.rank)))
    return rows


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in range(day.day, 0, -1):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_instalment(structure, today):
    """The instalment the structure may ask for now, or a FundingError saying why not."""
    convention = convention_of(structure)
    if convention.status not in VALIDATED:
        raise FundingError("Le premier versement se demande après la validation du dossier.")
    for row in schedule(structure, convention):
        if row.paid:
            continue
        if row.request is not None:
            raise FundingError("Une demande de versement est déjà en cours d'examen.")
        if row.due_on > today:
            raise FundingError(
                f"« {row.label} » pourra être demandé à partir du {row.due_on:%d/%m/%Y}."
            )
        return row
    raise FundingError("Toutes les échéances ont été versées.")


def request_payment(structure, actor, today):
    _require_manager(actor, structure)
    row = next_instalment(structure, today)
    unpaid = ledger.structure_balance(structure).unpaid
    amount = min(row.planned_cents, unpaid)
    if amount <= 0:
        raise FundingError("Il ne reste rien à verser sur ce qui est engagé pour la structure.")
    try:
        with transaction.atomic():
            return PaymentRequest.objects.create(
                structure=structure,
                rank=row.rank,
                label=row.label,
                amount_cents=amount,
                requested_by=actor,
            )
    except IntegrityError as error:
        raise FundingError("Une demande de versement est déjà en cours d'examen.") from error


def decide_payment(request, actor, approve, comment=""):
    if not approve and not comment.strip():
        raise FundingError("Indiquez le motif du refus.")
    return apply_transition(request, P.APPROUVEE if approve else P.REFUSEE, actor, comment)


def record_payment(request, actor, paid_on, reference):
    """The transfer was made: the ledger row and the status move in one transaction."""
    _require_operator(actor)
    if not reference.strip():
        raise FundingError("Indiquez la référence du virement.")
    with transaction.atomic():
        locked = PaymentRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if locked.status != P.APPROUVEE:
            raise FundingError("Cette demande n'est pas (ou plus) en attente de paiement.")
        locked.paid_on, locked.reference = paid_on, reference.strip()[:100]
        locked.save(update_fields=["paid_on", "reference"])
        ledger.pay(
            locked.structure,
            locked.amount_cents,
            author=actor,
            reason=f"{locked.label} — virement {locked.reference} du {paid_on:%d/%m/%Y}",
            subject=locked,
        )
        return apply_transition(locked, P.VERSEE, actor, f"Virement {locked.reference}")


def record_recovery(structure, actor, amount_cents, reason):
    _require_operator(actor)
    return ledger.recover(structure, amount_cents, author=actor, reason=reason)


# Kits


def request_kit(structure, actor, *, kit_type, quantity, place_name, commune, justification):
    _require_manager(actor, structure)
    if structure.status != Status.VALIDATION_COSELEC:
        raise FundingError("Seule une structure validée par le comité peut demander un kit.")
    if not kit_type.is_active:
        raise FundingError("Ce kit n'est plus proposé.")
    return KitRequest.objects.create(
        structure=structure,
        kit_type=kit_type,
        quantity=quantity,
        place_name=place_name,
        commune=commune,
        justification=justification,
        cost_cents=kit_type.unit_cost_cents * quantity,
        requested_by=actor,
    )


def decide_kit(kit_request, actor, grant, reason=""):
    if not grant and not reason.strip():
        raise FundingError("Indiquez le motif du refus.")
    return apply_transition(kit_request, K.ACCORDEE if grant else K.REFUSEE, actor, reason.strip())


def advance_delivery(kit_request, actor):
    to = {K.ACCORDEE: K.EXPEDIEE, K.EXPEDIEE: K.LIVREE}.get(kit_request.status)
    if to is None:
        raise FundingError("Ce kit n'est pas en cours de livraison.")
    return apply_transition(kit_request, to, actor)


def confirm_delivery(kit_request, actor):
    return apply_transition(kit_request, K.LIVREE, actor, "Réception confirmée")


def cancel(obj, actor):
    """The structure withdraws a payment or kit request still waiting for examination."""
    to = P.ANNULEE if isinstance(obj, PaymentRequest) else K.ANNULEE
    return apply_transition(obj, to, actor, "Annulée par la structure")


def open_requests(structure):
    return structure.payment_requests.filter(status__in=OPEN_PAYMENT)
