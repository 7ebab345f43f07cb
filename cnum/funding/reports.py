"""Read models: envelope dashboard (by région and département), cost report, accounting export."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from cnum.funding.enums import EnvelopePurpose
from cnum.funding.ledger import Balance
from cnum.funding.models import Envelope, FundedConseiller, LedgerEntry, StructureBalance
from cnum.territories.models import Departement

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Line:
    label: str
    committed: int = 0
    paid: int = 0
    children: list = field(default_factory=list)

    @property
    def unpaid(self):
        return self.committed - self.paid

    def add(self, balance):
        self.committed += balance.committed
        self.paid += balance.paid


@dataclass
class Dashboard:
    envelopes: list
    selected: Envelope | None
    regions: list
    # Envelopes whose cached totals differ from the sum of their rows (should stay empty).
    mismatches: list


def dashboard(envelope_id=None):
    """Three queries whatever the number of rows: envelopes, one grouped sum, départements.

    `mismatches`: envelopes whose cached totals differ from the sum of their structures' cached
    balances (a cheap cross-check; the full check against the rows is ledger.verify)."""
    envelopes = list(Envelope.objects.all())
    default = next((e for e in envelopes if e.purpose == EnvelopePurpose.CONSEILLERS), None)
    selected = next((e for e in envelopes if e.pk == envelope_id), default)
    # From the per-structure cache (one row per structure and envelope, checked by verify).
    grouped = (
        StructureBalance.objects.values("envelope_id", "structure__departement_id")
        .annotate(committed=Sum("committed_cents"), paid=Sum("paid_cents"))
        .order_by()
    )
    totals = defaultdict(lambda: Line(""))
    by_departement = {}
    for row in grouped:
        balance = Balance(row["committed"], row["paid"])
        totals[row["envelope_id"]].add(balance)
        if selected and row["envelope_id"] == selected.pk:
            by_departement[row["structure__departement_id"]] = balance
    mismatches = [
        e
        for e in envelopes
        if (e.committed_cents, e.paid_cents) != (totals[e.pk].committed, totals[e.pk].paid)
    ]
    regions = {}
    departements = Departement.objects.filter(code__in=[c for c in by_departement if c])
    for dep in departements.select_related("region").order_by("region__nom", "code"):
        name = dep.region.nom if dep.region_id else "Collectivités d'outre-mer"
        region = regions.setdefault(dep.region_id, Line(name))
        line = Line(f"{dep.code} — {dep.nom}")
        line.add(by_departement[dep.code])
        region.add(by_departement[dep.code])
        region.children.append(line)
    return Dashboard(envelopes, selected, list(regions.values()), mismatches)


# Cost per conseiller


def cost_rows():
    return (
        FundedConseiller.objects.select_related(
            "conseiller", "structure", "structure__departement", "grid_version"
        )
        .annotate(
            state_cents=F("grid_version__training_cents")
            + F("grid_version__equipment_cents")
            + F("grid_version__certification_cents"),
            total_cents=F("subsidy_cents") + F("state_cents"),
            target_cents=F("grid_version__target_cents"),
        )
        .annotate(
            gap_cents=F("target_cents") - F("total_cents"),
            excess_cents=F("total_cents") - F("target_cents"),
        )
        .order_by("structure__organisation_ptr__name", "started_on", "pk")
    )


def cost_totals():
    totals = FundedConseiller.objects.aggregate(
        subsidy=Coalesce(Sum("subsidy_cents"), 0),
        training=Coalesce(Sum("grid_version__training_cents"), 0),
        equipment=Coalesce(Sum("grid_version__equipment_cents"), 0),
        certification=Coalesce(Sum("grid_version__certification_cents"), 0),
        target=Coalesce(Sum("grid_version__target_cents"), 0),
    )
    count = FundedConseiller.objects.count()
    total = sum(totals[k] for k in ("subsidy", "training", "equipment", "certification"))
    totals.update(count=count, total=total, average=total // count if count else 0)
    return totals


# Accounting export

HEADER = [
    "numero",
    "date",
    "enveloppe",
    "mouvement",
    "montant_euros",
    "montant_centimes",
    "structure",
    "siret",
    "departement",
    "objet",
    "motif",
    "auteur",
]


def export_entries(start, end):
    """Rows of [start, end] (whole days, Paris time), oldest first, streamed from the database."""
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=PARIS)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, PARIS)
    return (
        LedgerEntry.objects.filter(at__gte=since, at__lt=until)
        .select_related("envelope", "structure", "author", "content_type")
        .order_by("at", "pk")
    )


def _cells(entry):
    euros = f"{entry.amount_cents // 100},{entry.amount_cents % 100:02d}"
    subject = f"{entry.content_type.model} {entry.object_id}" if entry.content_type_id else ""
    return [
        entry.pk,
        entry.at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S"),
        entry.envelope.code,
        entry.get_kind_display(),
        euros,
        entry.amount_cents,
        entry.structure.name,
        entry.structure.siret,
        entry.structure.departement_id or "",
        subject,
        entry.reason,
        entry.author.email if entry.author_id else "plateforme",
    ]


def export_rows(entries):
    """Cells of each ledger row, streamed from the database (cnum.exports.writers writes them)."""
    for entry in entries.iterator(chunk_size=2000):
        yield _cells(entry)
