"""Demo training data (seed_demo): the demo organisation's real training part, other
organisations near the demo structures, sessions, and enrolments of existing conseillers.

The accounts seeder creates « Rhône Formation Numérique (démo) » as a plain Organisation with
the demo organisme_formation account in it; we give that very row its TrainingOrganisation part
(multi-table inheritance: same pk). Idempotent (keyed by SIRET and session name); works when no
conseiller exists yet.
"""

import datetime

from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.structures.models import Structure
from cnum.structures.testing import luhn_complete
from cnum.territories.models import Commune
from cnum.training.enums import (
    CertificationResult,
    CertificationType,
    EnrolmentStatus,
    SessionFormat,
)
from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession

# name, commune INSEE, capacity
OTHER_ORGANISATIONS = [
    ("Villeurbanne Compétences Numériques (démo)", "69266", 30),
    ("Paris Médiation Formation (démo)", "75056", 60),
    ("Provence Inclusion Numérique (démo)", "13055", 40),
    ("Réunion Formation Numérique (démo)", "97411", 24),
]
# name suffix, start offset (days from today), length (days), format, capacity
SESSIONS = [
    ("automne", -200, 120, SessionFormat.PRESENTIEL, 12),
    ("hiver", -60, 120, SessionFormat.HYBRIDE, 12),
    ("printemps", 20, 120, SessionFormat.PRESENTIEL, 12),
    ("à distance", 45, 125, SessionFormat.DISTANCIEL, 20),
]
MAX_DEMO_ENROLMENTS = 60


def demo_siret(index):
    return luhn_complete(f"{800000000 + index:09d}0001")


def _organisation_fields(commune, index, capacity):
    return {
        "address": f"{index + 10} avenue de la Formation",
        "commune": commune,
        "contact_name": "Dominique Démo",
        "contact_email": f"contact{index}@formation.demo.conseiller-numerique.fr",
        "contact_phone": "0102030405",
        "capacity": capacity,
    }


def seed_demo_organisation(organisation):
    """Add the TrainingOrganisation part to the accounts seeder's organisation (same row)."""
    existing = TrainingOrganisation.objects.filter(pk=organisation.pk).first()
    if existing:
        return existing
    commune = Commune.objects.get(code_insee="69123")
    training = TrainingOrganisation(
        organisation_ptr=organisation,
        kind=organisation.kind,
        name=organisation.name,
        departement_id=commune.departement_id,
        region_id=commune.departement.region_id,
        created_at=organisation.created_at,
        siret=demo_siret(0),
        **_organisation_fields(commune, 0, 36),
    )
    training.save_base(raw=True)  # the parent row exists: insert the child row only
    return training


def seed_sessions(organisation):
    today = timezone.localdate()
    sessions = {}
    for suffix, offset, days, session_format, capacity in SESSIONS:
        start = today + datetime.timedelta(days=offset)
        remote = session_format == SessionFormat.DISTANCIEL
        sessions[suffix], _ = TrainingSession.objects.get_or_create(
            organisation=organisation,
            name=f"Formation initiale — {suffix}",
            defaults={
                "start_date": start,
                "end_date": start + datetime.timedelta(days=days),
                "format": session_format,
                "address": "" if remote else organisation.address,
                "commune": None if remote else organisation.commune,
                "capacity": capacity,
            },
        )
    return sessions


def seed_enrolments(sessions):
    """Existing conseillers without training: one in three finished, one in three in training."""
    memberships = (
        Membership.objects.filter(role=Role.CONSEILLER, is_active=True)
        .filter(organisation__in=Structure.objects.all())
        .order_by("pk")[:MAX_DEMO_ENROLMENTS]
    )
    trained = set(Enrolment.objects.values_list("conseiller_id", flat=True))
    for index, membership in enumerate(memberships):
        if index % 3 == 0 or membership.user_id in trained:
            continue  # one in three left « formation à programmer »
        finished = index % 3 == 2
        session = sessions["automne" if finished else "hiver"]
        extra = {}
        if finished:
            extra = {
                "ended_on": session.end_date,
                "certification_type": CertificationType.CCP1,
                "certification_result": CertificationResult.ADMIS,
                "certified_on": session.end_date - datetime.timedelta(days=7),
            }
        Enrolment.objects.create(
            conseiller_id=membership.user_id,
            structure_id=membership.organisation_id,
            organisation=session.organisation,
            session=session,
            status=EnrolmentStatus.TERMINEE if finished else EnrolmentStatus.EN_COURS,
            started_on=session.start_date,
            pix_level=1 + index % 3,
            attendance_percent=100 if finished else 90,
            progress_percent=100 if finished else 50,
            **extra,
        )


def seed(context):
    organisations = context.setdefault("organisations", {})
    own = seed_demo_organisation(organisations["formation"])
    organisations["formation"] = own
    trainings = {"demo": own}
    for index, (name, insee, capacity) in enumerate(OTHER_ORGANISATIONS, 1):
        trainings[name], _ = TrainingOrganisation.objects.get_or_create(
            siret=demo_siret(index),
            defaults={
                "name": name,
                **_organisation_fields(Commune.objects.get(code_insee=insee), index, capacity),
            },
        )
    sessions = {key: seed_sessions(org) for key, org in trainings.items()}
    seed_enrolments(sessions["demo"])
    context["training_organisations"] = trainings
