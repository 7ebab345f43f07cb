"""Aidants Connect in the public statistics (docs/aidants-connect.md#chiffres): habilitated
structures and aidants, mandates created, active and revoked, authorisations by domain, uses
by partner services, for every territory. cnum.stats.public turns them into its cells, so the
same statistical secrecy applies: a mandate or a use is about one usager, and the aidants
behind a figure count as the conseillers do (distinct people do not add up: counted per zone).

A structure is placed by its organisation's département; one without département counts for
France only.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.mandates.domains import Domain
from cnum.mandates.models import (
    AidantProfile,
    Authorisation,
    Habilitation,
    JournalEntry,
    Kind,
)
from cnum.mandates.models.habilitation import USABLE_STATUSES


@dataclass(frozen=True)
class AidantsIndicator:
    code: str
    label: str
    counts: str = "beneficiaires"  # as cnum.stats.public: beneficiaires, conseillers, rien


INDICATORS = (
    AidantsIndicator("ac_structures_habilitees", "Structures habilitées Aidants Connect", "rien"),
    AidantsIndicator("ac_aidants_habilites", "Aidants habilités", "conseillers"),
    AidantsIndicator("ac_mandats_crees", "Mandats créés"),
    AidantsIndicator("ac_mandats_actifs", "Mandats actifs"),
    AidantsIndicator("ac_mandats_revoques", "Mandats révoqués"),
    AidantsIndicator("ac_utilisations", "Utilisations de mandats par les services partenaires"),
)
DOMAIN_PREFIX = "ac_domaine"
DOMAIN_CODES = {f"{DOMAIN_PREFIX}_{value}": (value, label) for value, label in Domain.choices}
CODES = (*(i.code for i in INDICATORS), *DOMAIN_CODES)
# Figures about people, under secrecy (structures are public bodies: always published).
PROTECTED_CODES = tuple(c for c in CODES if c != "ac_structures_habilitees")


class _Tally:
    """Per zone and code: the count, and the usagers and aidants behind it."""

    def __init__(self, region_of, france_key, region_level, departement_level):
        self.region_of, self.france = region_of, france_key
        self.levels = (region_level, departement_level)
        self.values = defaultdict(lambda: defaultdict(int))
        self.usagers = defaultdict(lambda: defaultdict(set))
        self.aidants = defaultdict(lambda: defaultdict(set))
        self.unplaced = defaultdict(int)

    def add(self, departement, code, usager=None, aidant=None):
        zones = [self.france]
        if departement:
            region_level, departement_level = self.levels
            zones += [
                (departement_level, departement),
                (region_level, self.region_of.get(departement)),
            ]
        else:
            self.unplaced[code] += 1
        for zone in zones:
            self.values[zone][code] += 1
            if usager is not None:
                self.usagers[zone][code].add(usager)
            if aidant is not None:
                self.aidants[zone][code].add(aidant)

    def counts(self):
        return {
            zone: {
                code: (n, len(self.usagers[zone][code]), len(self.aidants[zone][code]))
                for code, n in codes.items()
            }
            for zone, codes in self.values.items()
        }


def territory_counts(region_of, france_key, region_level, departement_level):
    """({zone key: {code: (value, usagers, aidants)}}, {code: count in no département}).
    `region_of`: {département code: région code}."""
    tally = _Tally(region_of, france_key, region_level, departement_level)
    habilitated = Habilitation.objects.filter(status__in=USABLE_STATUSES)
    for departement in habilitated.values_list("organisation__departement_id", flat=True):
        tally.add(departement, "ac_structures_habilitees")
    aidants = AidantProfile.objects.filter(
        membership__role=Role.AIDANT,
        membership__is_active=True,
        membership__organisation__habilitation__status__in=USABLE_STATUSES,
        validated_at__isnull=False,
        attendance_recorded_at__isnull=False,
    ).values_list("membership__organisation__departement_id", "membership__user_id")
    for departement, user in aidants:
        tally.add(departement, "ac_aidants_habilites", aidant=user)
    _mandates(tally)
    _uses(tally)
    return tally.counts(), tally.unplaced


def _mandates(tally):
    """Mandates and their domains in one pass over the authorisations (every mandate has at
    least one): a mandate is counted at its first authorisation."""
    now = timezone.now()
    rows = Authorisation.objects.order_by("mandate_id").values_list(
        "mandate_id",
        "mandate__organisation__departement_id",
        "domain",
        "mandate__usager_id",
        "mandate__created_by_id",
        "mandate__revoked_at",
        "mandate__expires_at",
    )
    last = None
    for mandate, departement, domain, usager, aidant, revoked_at, expires_at in rows.iterator(
        chunk_size=5000
    ):
        tally.add(departement, f"{DOMAIN_PREFIX}_{domain}", usager, aidant)
        if mandate == last:
            continue
        last = mandate
        tally.add(departement, "ac_mandats_crees", usager, aidant)
        if revoked_at is not None:
            tally.add(departement, "ac_mandats_revoques", usager, aidant)
        elif expires_at > now:
            tally.add(departement, "ac_mandats_actifs", usager, aidant)


def _uses(tally):
    """Uses recorded in the journal (which outlives purged mandates)."""
    uses = JournalEntry.objects.filter(kind=Kind.AUTHORISATION_USED).values_list(
        "organisation__departement_id", "usager_id_ref", "actor_id"
    )
    for departement, usager, aidant in uses.iterator(chunk_size=5000):
        tally.add(departement, "ac_utilisations", usager, aidant)
