"""Referrals in the public statistics (docs/orientations.md#statistiques): sent, accepted,
refused and expired referrals of each territory. cnum.stats.public turns them into its cells,
so the same statistical secrecy applies (a referral is one person; the conseillers behind a
figure are counted per territory, as distinct conseillers do not add up)."""

from collections import defaultdict
from dataclasses import dataclass

from cnum.referrals.enums import Status
from cnum.referrals.figures import counts_by_territory


@dataclass(frozen=True)
class ReferralIndicator:
    code: str
    label: str
    counts: str = "beneficiaires"


INDICATORS = (
    ReferralIndicator("orientations_envoyees", "Orientations envoyées"),
    ReferralIndicator("orientations_acceptees", "Orientations acceptées"),
    ReferralIndicator("orientations_refusees", "Orientations refusées"),
    ReferralIndicator("orientations_expirees", "Orientations expirées sans réponse"),
)
CODES = tuple(indicator.code for indicator in INDICATORS)
_BY_STATUS = {
    Status.ACCEPTEE: "orientations_acceptees",
    Status.REFUSEE: "orientations_refusees",
    Status.EXPIREE: "orientations_expirees",
}


def territory_counts(region_of, france_key, region_level, departement_level):
    """({zone key: {code: (referrals, conseillers)}}, {code: referrals in no département}).
    `region_of`: {département code: région code}."""
    values = defaultdict(lambda: defaultdict(int))
    conseillers = defaultdict(lambda: defaultdict(set))
    unplaced = defaultdict(int)
    for (departement, conseiller, status), n in counts_by_territory().items():
        codes = [c for c in ("orientations_envoyees", _BY_STATUS.get(status)) if c]
        zones = [france_key]
        if departement:
            zones += [(departement_level, departement), (region_level, region_of.get(departement))]
        else:
            for code in codes:
                unplaced[code] += n
        for zone in zones:
            for code in codes:
                values[zone][code] += n
                conseillers[zone][code].add(conseiller)
    counts = {
        zone: {code: (values[zone][code], len(conseillers[zone][code])) for code in values[zone]}
        for zone in values
    }
    return counts, unplaced
