"""Demo Aidants Connect (seed_demo): the demo structure habilitated, the demo aidant validated
with their TOTP device, and usagers with active, expired and revoked mandates.

Everything goes through the real use cases, so the journal is a valid chain afterwards.
Idempotent: each step checks what exists. Needs the accounts seeder (and, when present, the
structures seeder, whose Mairie de Villeurbanne becomes the aidant's second structure).
"""

import datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import grants
from cnum.accounts.demo import DEMO_TOTP_KEY
from cnum.accounts.models import Organisation
from cnum.accounts.roles import OrganisationKind, Role
from cnum.mandates import aidant_training as training
from cnum.mandates import habilitation as rules
from cnum.mandates import services
from cnum.mandates.domains import Domain
from cnum.mandates.models import (
    AidantProfile,
    AidantTrainingRegistration,
    AidantTrainingSession,
    Habilitation,
    HabilitationStatus,
    Usager,
)

DEMO_SIRET = "90000000000017"  # for an organisation without a structure record (demo only)
SECOND_STRUCTURE = "Mairie de Villeurbanne (démo)"
DEMO_TRAINING_ORGANISATION = "Formation Aidants Connect (démo)"
# given names, family name, birth date, birth place, domains, days, signed days ago, revoked
DEMO_USAGERS = [
    ("Dominique", "Lefèvre", "1950-04-02", "Lyon", ["papiers", "social"], 365, 10, False),
    ("Yasmina", "Benali", "1987-11-23", "Vénissieux", ["logement", "argent"], 182, 3, False),
    ("Jean-Pierre", "Morel", "1944-06-30", "Villeurbanne", ["transports"], 31, 45, False),
    ("Mireille", "Garnier", "1962-01-15", "Bron", ["famille", "travail"], 182, 20, True),
]


def _habilitate(organisation, *, referent, admin):
    habilitation = Habilitation.objects.filter(organisation=organisation).first()
    if habilitation is None:
        habilitation = rules.request_habilitation(
            organisation=organisation,
            referent=referent,
            siret=getattr(organisation, "siret", "") or DEMO_SIRET,
            structure_type="association",
            aidants_to_train="Démo Aidant habilité, aidant@demo.conseiller-numerique.fr",
            domains=Domain.values,
        )
    if habilitation.status != HabilitationStatus.ACCEPTEE:
        rules.decide(habilitation, action="accepter", actor=admin, message="Habilitation (démo).")
    return habilitation


def _validate_aidant(user, organisation, *, admin, referent=False):
    membership = grants.grant(user, Role.AIDANT, organisation, actor=admin)
    profile, _ = AidantProfile.objects.get_or_create(
        membership=membership, defaults={"is_referent": referent}
    )
    if not profile.is_trained:
        rules.record_training(
            profile, actor=admin, training_date=timezone.localdate(), pix_validated=True
        )
    if not profile.is_validated:
        rules.validate_aidant(profile, actor=admin)
    if not profile.attended_training:
        _attend_demo_training(profile, admin=admin)
    return profile


def _attend_demo_training(profile, *, admin):
    """The demo aidant attended a past session of the demo training organisation, as
    recorded by the administration: habilitated like a real trained aidant."""
    organisation, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.ORGANISME_FORMATION,
        name=DEMO_TRAINING_ORGANISATION,
    )
    start = timezone.localdate() - datetime.timedelta(days=30)
    session = AidantTrainingSession.objects.filter(organisation=organisation).first()
    if session is None:
        session = AidantTrainingSession.objects.create(
            organisation=organisation,
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            place="Lyon (démo)",
            seats=12,
            created_by=admin,
        )
    registration, _ = AidantTrainingRegistration.objects.get_or_create(
        session=session, aidant_profile=profile, defaults={"registered_by": admin}
    )
    training.record_attendance(registration, actor=admin)


def _usagers(organisation, aidant):
    now = timezone.now()
    for given, family, born, place, domains, days, ago, revoked in DEMO_USAGERS:
        if Usager.objects.filter(organisation=organisation, family_name=family).exists():
            continue
        usager = services.establish_identity_manually(
            aidant=aidant,
            organisation=organisation,
            document_checked=True,
            given_names=given,
            family_name=family,
            birth_date=datetime.date.fromisoformat(born),
            birth_place=place,
        )
        mandate = services.create_mandate(
            aidant=aidant,
            usager=usager,
            domains=domains,
            duration_days=days,
            consent=True,
            signed_at=now - datetime.timedelta(days=ago),
        )
        if revoked:
            services.revoke_mandate(mandate, aidant=aidant)


def seed(context):
    organisations, users = context["organisations"], context["users"]
    admin, aidant = users[Role.ADMINISTRATEUR], users[Role.AIDANT]
    manager = users[Role.GESTIONNAIRE_STRUCTURE]
    TOTPDevice.objects.get_or_create(
        user=aidant, name="Démo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    structures = [organisations["structure"]]
    second = context.get("structures", {}).get(SECOND_STRUCTURE)
    if second is not None:
        structures.append(second)
    for structure in structures:
        _habilitate(structure, referent=manager, admin=admin)
        _validate_aidant(aidant, structure, admin=admin, referent=structure is structures[0])
    _usagers(structures[0], aidant)
    context["mandates"] = {"structures": structures}
