"""The managed list of national networks (« grands réseaux »): the one place that writes it.

The administration creates, renames, deactivates and reactivates networks; a structure picks
one in its application (docs/domaine.md#hubs-et-reseaux). A deactivated network is no longer
offered but keeps its structures and the roles held in it.
"""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from cnum.accounts.roles import Role
from cnum.structures.models import Network

NAME_MAX_LENGTH = 100


class NetworkError(Exception):
    """A change refused, with the French sentence saying why."""


def _checked_name(name, network=None):
    name = " ".join(name.split())
    slug = slugify(name)
    if not slug:
        raise NetworkError("Indiquez le nom du réseau (des lettres ou des chiffres).")
    if len(name) > NAME_MAX_LENGTH:
        raise NetworkError(f"Le nom du réseau ne dépasse pas {NAME_MAX_LENGTH} caractères.")
    others = Network.objects.exclude(pk=network.pk if network else None)
    if others.filter(slug=slug).exists() or others.filter(name__iexact=name).exists():
        raise NetworkError(f"Un grand réseau porte déjà ce nom (« {name} »).")
    return name, slug


def _require_administration(actor):
    if actor is not None and not actor.has_role(Role.ADMINISTRATEUR):
        raise NetworkError("Seule l'administration nationale gère la liste des grands réseaux.")


def create_network(name, *, actor):
    _require_administration(actor)
    name, slug = _checked_name(name)
    try:
        with transaction.atomic():
            return Network.objects.create(name=name, slug=slug)
    except IntegrityError as error:  # the same name created meanwhile
        raise NetworkError(f"Un grand réseau porte déjà ce nom (« {name} »).") from error


def rename_network(network, name, *, actor):
    _require_administration(actor)
    name, slug = _checked_name(name, network)
    network.name, network.slug = name, slug
    try:
        with transaction.atomic():
            network.save(update_fields=["name", "slug"])
    except IntegrityError as error:
        raise NetworkError(f"Un grand réseau porte déjà ce nom (« {name} »).") from error
    return network


def set_active(network, active, *, actor):
    """Deactivate (no longer offered to applications and grants) or reactivate a network."""
    _require_administration(actor)
    network.active = active
    network.save(update_fields=["active"])
    return network


def network_named(name):
    """The network whose name matches `name` whatever the case (created when missing): what
    imports and demo data use to turn a declared name into a row of the list."""
    name = " ".join(name.split())
    if not slugify(name):
        return None
    found = Network.objects.filter(name__iexact=name).first()
    found = found or Network.objects.filter(slug=slugify(name)).first()
    return found or Network.objects.create(name=name, slug=slugify(name))
