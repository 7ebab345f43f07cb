"""Which départements a user may export: all for the administration, their own for a préfet."""

from cnum.accounts.roles import Role
from cnum.territories.models import Departement

EXPORT_ROLES = (Role.ADMINISTRATEUR, Role.PREFET)


def departements_in_scope(user):
    if user.has_role(Role.ADMINISTRATEUR):
        return Departement.objects.all()
    codes, regions = set(), set()
    for departement, region in user.memberships.filter(
        is_active=True, role=Role.PREFET
    ).values_list("organisation__departement", "organisation__region"):
        if departement:
            codes.add(departement)
        elif region:
            regions.add(region)
    return Departement.objects.filter(code__in=codes) | Departement.objects.filter(
        region__in=regions
    )
