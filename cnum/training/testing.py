"""Test helpers: training organisations, sessions, conseillers and their enrolments."""

import datetime
import itertools

from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.structures.testing import COMMUNES, luhn_complete, make_structure
from cnum.territories.models import Commune
from cnum.training.enums import SessionFormat
from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession

_sequence = itertools.count(1)


def make_training_siret():
    return luhn_complete(f"{next(_sequence) + 700000000:09d}0001")


def make_organisation(*, commune=None, departement="69", member=None, capacity=30, **fields):
    """A habilitated training organisation in `commune` (INSEE code), with `member` if given."""
    commune = Commune.objects.get(code_insee=commune or COMMUNES[departement])
    n = next(_sequence)
    values = {
        "name": f"Organisme de formation {n}",
        "siret": make_training_siret(),
        "address": "2 rue de la Formation",
        "contact_name": "Dominique Leroy",
        "contact_email": f"contact{n}@formation.fr",
        "contact_phone": "0102030405",
        **fields,
    }
    organisation = TrainingOrganisation.objects.create(commune=commune, capacity=capacity, **values)
    if member is not None:
        grants.grant(member, Role.ORGANISME_FORMATION, organisation)
    return organisation


def make_session(organisation, *, starts_in=14, days=120, capacity=12, commune=None, **fields):
    start = timezone.localdate() + datetime.timedelta(days=starts_in)
    remote = fields.get("format") == SessionFormat.DISTANCIEL
    values = {
        "name": f"Session {next(_sequence)}",
        "format": SessionFormat.PRESENTIEL,
        "address": "2 rue de la Formation",
        "commune": None
        if remote
        else (Commune.objects.get(code_insee=commune) if commune else organisation.commune),
        **fields,
    }
    return TrainingSession.objects.create(
        organisation=organisation,
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        capacity=capacity,
        **values,
    )


def make_conseiller(structure=None, **fields):
    """A user holding an active conseiller role in `structure` (a new one in the Rhône if none)."""
    structure = structure or make_structure(departement="69")
    user = make_user(**fields)
    grants.grant(user, Role.CONSEILLER, structure)
    return user


def make_enrolment(session=None, conseiller=None, **fields):
    session = session or make_session(make_organisation())
    conseiller = conseiller or make_conseiller()
    structure = conseiller.memberships.get(role=Role.CONSEILLER).organisation.structure
    return Enrolment.objects.create(
        conseiller=conseiller,
        structure=structure,
        organisation=session.organisation,
        session=session,
        **fields,
    )
