"""Demo rows of the communication app: a banner, a convention model, a few FAQ entries
(development only, idempotent)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.communication.models import Announcement, FaqEntry, Resource
from cnum.communication.resources import add_version

DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

FAQ = [
    ("Qu'est-ce qu'un conseiller numérique ?",
     "Un professionnel qui accompagne les habitants dans leurs usages du numérique.", [], True),
    ("Comment saisir un accompagnement ?",
     "Depuis « Saisir une activité » : quelques champs suffisent.", [Role.CONSEILLER], False),
    ("Quelles pièces pour le conventionnement ?",
     "La convention signée et la délibération : leurs modèles sont dans le centre de ressources.",
     [Role.GESTIONNAIRE_STRUCTURE], False),
]  # fmt: skip


def seed(context):
    admin = context["users"][Role.ADMINISTRATEUR]
    now = timezone.now()
    Announcement.objects.get_or_create(
        title="Bienvenue sur la plateforme de démonstration",
        defaults={
            "body": "Les données sont fictives ; les courriels restent sur la console.",
            "roles": list(Role.values),
            "starts_at": now - datetime.timedelta(days=1),
            "ends_at": now + datetime.timedelta(days=365),
            "created_by": admin,
        },
    )
    resource, created = Resource.objects.get_or_create(
        slug="modele-convention",
        defaults={
            "title": "Modèle de convention de subvention",
            "category": "convention",
            "roles": [Role.GESTIONNAIRE_STRUCTURE, Role.PREFET],
        },
    )
    if created:
        add_version(resource, SimpleUploadedFile("convention.pdf", DEMO_PDF), admin)
    for position, (question, answer, roles, public) in enumerate(FAQ):
        FaqEntry.objects.get_or_create(
            question=question,
            defaults={"answer": answer, "roles": roles, "is_public": public, "position": position},
        )
