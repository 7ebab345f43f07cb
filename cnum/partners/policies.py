"""Which authorisations an aidant may lend to a partner service, and when a delegation holds."""

from django.utils import timezone

from cnum.mandates.models import Authorisation
from cnum.mandates.policies import aidant_memberships, can_create_mandates


def offered_authorisations(user, structure_id, domains, now=None):
    """Active authorisations of the aidant's current structure for `domains`.

    Only the structure the aidant acts for in this session: never another one of theirs, never
    someone else's. Any id outside this queryset is a 404.
    """
    if structure_id is None or not domains:
        return Authorisation.objects.none()
    return (
        Authorisation.objects.active(now)
        .filter(
            mandate__organisation_id=structure_id,
            mandate__organisation_id__in=aidant_memberships(user).values("organisation_id"),
            domain__in=list(domains),
        )
        .select_related("mandate__usager")
        .order_by("mandate__usager__family_name", "mandate__usager__given_names", "domain", "pk")
    )


def delegation_holds(delegation, now=None):
    """A token works only while its authorisation is active, its aidant still an aidant of the
    mandate's structure, and the service still enabled."""
    now = now or timezone.now()
    authorisation = delegation.authorisation
    mandate = authorisation.mandate
    return (
        delegation.service.is_active
        and authorisation.revoked_at is None
        and mandate.revoked_at is None
        and mandate.expires_at > now
        and can_create_mandates(delegation.aidant, mandate.organisation)
    )
