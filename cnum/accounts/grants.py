"""Granting, changing and withdrawing roles: the one place that writes memberships.

Every grant, change of scope and removal is written to the account's log (AccountLog) with
who did it, when, and the membership before and after. `actor=None` means the platform itself
(a validated recruitment makes a conseiller, say).
"""

from django.db import transaction

from cnum.accounts.models import AccountEvent, AccountLog, Membership, Organisation
from cnum.accounts.roles import OrganisationKind

NATIONAL_NAMES = {
    OrganisationKind.ADMINISTRATION: "Administration nationale",
    OrganisationKind.OPERATEUR_FINANCIER: "Opérateur de financement",
}


def territory_label(organisation):
    """Where a membership applies, in words: a département, a région, or the whole country."""
    if organisation is None:
        return "—"
    if organisation.kind == OrganisationKind.RESEAU:
        return f"Réseau {organisation.name}"
    if organisation.departement_id:
        departement = organisation.departement
        return f"{departement.nom} ({departement.code})"
    if organisation.region_id:
        return f"Région {organisation.region.nom}"
    return "National"


def snapshot(membership):
    """The membership as the log keeps it (names too: they may change later)."""
    organisation = membership.organisation
    return {
        "role": membership.role,
        "organisation": organisation.pk if organisation else None,
        "organisation_name": organisation.name if organisation else "",
        "territoire": territory_label(organisation),
        "actif": membership.is_active,
    }


def log(user, event, *, actor=None, role="", before=None, after=None, reason=""):
    return AccountLog.objects.create(
        user=user,
        actor=actor,
        event=event,
        role=role,
        before=before,
        after=after,
        reason=reason,
    )


def _forget_roles(user):
    user.__dict__.pop("_roles_cache", None)


def grant(user, role, organisation=None, *, actor=None, reason=""):
    """Give `user` the role in `organisation` (reactivating it if it was withdrawn)."""
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update(of=("self",)).get_or_create(
            user=user, role=role, organisation=organisation
        )
        if created:
            log(
                user,
                AccountEvent.GRANTED,
                actor=actor,
                role=role,
                after=snapshot(membership),
                reason=reason,
            )
        elif not membership.is_active:
            before = snapshot(membership)
            membership.is_active = True
            membership.save(update_fields=["is_active"])
            log(
                user,
                AccountEvent.GRANTED,
                actor=actor,
                role=role,
                before=before,
                after=snapshot(membership),
                reason=reason,
            )
    _forget_roles(user)
    return membership


def revoke(membership, *, actor=None, reason=""):
    """Withdraw a role (kept, inactive, so that its history stays readable)."""
    if not membership.is_active:
        return membership
    before = snapshot(membership)
    membership.is_active = False
    return _save_logged(membership, "is_active", before, AccountEvent.REVOKED, actor, reason)


def revoke_role(user, role, organisation, *, actor=None, reason=""):
    """Withdraw `role` in `organisation` from `user` if they hold it."""
    membership = Membership.objects.filter(
        user=user, role=role, organisation=organisation, is_active=True
    ).first()
    return revoke(membership, actor=actor, reason=reason) if membership else None


def change_scope(membership, organisation, *, actor, reason=""):
    """Move a role to another organisation of the same kind (a préfet to another territory)."""
    if organisation.pk == membership.organisation_id:
        return membership
    before = snapshot(membership)
    membership.organisation = organisation
    return _save_logged(membership, "organisation", before, AccountEvent.CHANGED, actor, reason)


def _save_logged(membership, field, before, event, actor, reason):
    """Save one changed field of a membership and log it, before and after, in one transaction."""
    with transaction.atomic():
        membership.save(update_fields=[field])
        log(
            membership.user,
            event,
            actor=actor,
            role=membership.role,
            before=before,
            after=snapshot(membership),
            reason=reason,
        )
    _forget_roles(membership.user)
    return membership


def grant_many(grants, *, actor=None):
    """New memberships in bulk, (user, role, organisation) each, logged (demo data, imports).

    Only for roles the users do not hold yet: existing ones would break the unique constraints.
    """
    memberships = Membership.objects.bulk_create(
        Membership(user=user, role=role, organisation=organisation)
        for user, role, organisation in grants
    )
    AccountLog.objects.bulk_create(
        AccountLog(
            user=m.user, actor=actor, event=AccountEvent.GRANTED, role=m.role, after=snapshot(m)
        )
        for m in memberships
    )
    return memberships


# Organisations the administration's grants point to


def prefecture_for(*, departement=None, region=None):
    """The préfecture covering a département, or a whole région (created on first use)."""
    if departement is not None:
        organisation = (
            Organisation.objects.filter(kind=OrganisationKind.PREFECTURE, departement=departement)
            .order_by("pk")
            .first()
        )
        return organisation or Organisation.objects.create(
            kind=OrganisationKind.PREFECTURE,
            name=f"Préfecture — {departement.nom} ({departement.code})",
            departement=departement,
            region_id=departement.region_id,
        )
    organisation = (
        Organisation.objects.filter(
            kind=OrganisationKind.PREFECTURE, departement__isnull=True, region=region
        )
        .order_by("pk")
        .first()
    )
    return organisation or Organisation.objects.create(
        kind=OrganisationKind.PREFECTURE, name=f"Préfecture de région — {region.nom}", region=region
    )


def hub_for(region):
    """The hub organisation of a région (created on first use): a hub covering several régions
    holds one role per région (docs/domaine.md#hubs-et-reseaux)."""
    organisation = (
        Organisation.objects.filter(
            kind=OrganisationKind.HUB, departement__isnull=True, region=region
        )
        .order_by("pk")
        .first()
    )
    return organisation or Organisation.objects.create(
        kind=OrganisationKind.HUB, name=f"Hub territorial — {region.nom}", region=region
    )


def national_organisation(kind):
    """The national body of `kind` (administration, funding operator), created on first use."""
    organisation = Organisation.objects.filter(kind=kind).order_by("pk").first()
    return organisation or Organisation.objects.create(kind=kind, name=NATIONAL_NAMES[kind])
