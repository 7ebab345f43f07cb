"""Helpers for tests: validated structures with posts granted, a validated convention, PDFs."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.funding import services
from cnum.funding.models import KitType
from cnum.structures import services as structure_services
from cnum.structures.enums import CommitteeOpinion
from cnum.structures.models import CommitteeSession
from cnum.structures.testing import make_structure

_sessions = itertools.count(500)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name="convention.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def grant_posts(structure, posts, admin=None):
    """A real committee decision (through structures.services): the ledger follows it."""
    session = CommitteeSession.objects.create(
        number=next(_sessions), date=datetime.date(2026, 3, 1)
    )
    return structure_services.record_decision(
        structure,
        admin or make_user(Role.ADMINISTRATEUR),
        session=session,
        opinion=CommitteeOpinion.POSITIF,
        posts_granted=posts,
    )


def funded_structure(*, posts=2, manager=None, departement="69", **fields):
    manager = manager or make_user()
    structure = make_structure(departement=departement, manager=manager, **fields)
    grant_posts(structure, posts)
    structure.refresh_from_db()
    return structure, manager


def validated_convention(structure, manager, operator=None):
    operator = operator or make_user(Role.OPERATEUR_FINANCIER)
    dossier = services.start_convention(structure, manager)
    services.add_document(dossier, manager, pdf_upload())
    services.submit_dossier(dossier, manager)
    services.examine_dossier(dossier, operator, "valider")
    return operator


def make_kit_type(name="Kit espace numérique", cents=150_000):
    return KitType.objects.create(
        name=name,
        contents="3 ordinateurs portables, 2 tablettes, 1 imprimante",
        unit_cost_cents=cents,
    )
