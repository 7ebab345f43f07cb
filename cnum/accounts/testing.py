"""Helpers for tests across apps: users holding a role, logged in as a real session would be."""

import itertools

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import grants
from cnum.accounts.models import Organisation, User
from cnum.accounts.roles import ROLE_ORGANISATION_KIND, OrganisationKind, Role
from cnum.territories.models import Departement

PASSWORD = "Un-mot-de-passe-solide-2026"
_sequence = itertools.count(1)


def make_organisation(kind, *, departement="69", region=None, name=None):
    """An organisation located in (or, for a préfecture, covering) a département or a région."""
    dep = Departement.objects.get(code=departement) if departement else None
    return Organisation.objects.create(
        kind=kind,
        name=name or f"{OrganisationKind(kind).label} {next(_sequence)}",
        departement=dep,
        region_id=region or (dep.region_id if dep else None),
    )


def make_user(role=None, *, organisation=None, email=None, password=PASSWORD, **fields):
    """A confirmed user holding `role` (in a new organisation of the right kind if none given)."""
    n = next(_sequence)
    fields.setdefault("first_name", "Camille")
    fields.setdefault("last_name", f"Martin{n}")
    fields.setdefault("email_confirmed_at", timezone.now())
    user = User.objects.create_user(email or f"utilisateur{n}@exemple.fr", password, **fields)
    if role:
        kind = ROLE_ORGANISATION_KIND[Role(role)]
        if kind and organisation is None:
            organisation = make_organisation(kind)
        grants.grant(user, role, organisation)
    return user


def login(client, user):
    """Log `user` in with a verified second factor when they need one (role or own choice).

    Users whose role requires 2FA get a confirmed TOTP device if they have none.
    """
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user.requires_2fa:
        device = TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return user
