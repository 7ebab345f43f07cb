"""Candidate use cases: apply, activate, edit, CV, Pix, export, delete, retention."""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts import services as accounts_services
from cnum.accounts.roles import Role
from cnum.candidates import cv
from cnum.candidates.models import CandidateArchive, CandidateProfile
from cnum.candidates.signals import profile_changed, profile_deleted
from cnum.core import encryption

PARIS = ZoneInfo("Europe/Paris")
CV_RETENTION_MONTHS = 6
CONFIRMATION_TEMPLATE = "candidates/emails/confirm"
PROFILE_FIELDS = [
    "phone",
    "commune",
    "is_job_seeker",
    "is_employed",
    "is_in_training",
    "has_diploma",
    "diploma_name",
    "has_mediation_experience",
    "availability_date",
    "max_distance_km",
    "motivation",
    "is_former_conseiller",
]
PIX_FIELDS = ["pix_level", "pix_score_1", "pix_score_2", "pix_score_3"]


def today():
    return timezone.now().astimezone(PARIS).date()


def _touch(profile, changed_fields):
    profile.last_activity_at = timezone.now()
    profile.save(update_fields=[*changed_fields, "last_activity_at", "updated_at"])
    if changed_fields:
        profile_changed.send(
            sender=CandidateProfile, profile=profile, changed_fields=frozenset(changed_fields)
        )


# Application and activation


def apply(*, email, password, first_name, last_name, profile_data):
    """A new account (unconfirmed) and its profile (inactive until the link is followed); None
    when the address has an account, whose owner is e-mailed instead (nothing is revealed)."""
    user = accounts_services.register_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        on_create=lambda user: CandidateProfile.objects.create(user=user, **profile_data),
        confirmation_template=CONFIRMATION_TEMPLATE,
    )
    return user.candidate_profile if user else None


def add_profile(user, profile_data):
    """An existing (logged-in, hence confirmed) account becomes a candidate at once."""
    with transaction.atomic():
        profile = CandidateProfile.objects.create(user=user, **profile_data)
        activate(profile)
    return profile


def send_confirmation_email(user):
    accounts_services.send_confirmation_email(user, CONFIRMATION_TEMPLATE)


@transaction.atomic
def activate(profile):
    if profile.activated_at is not None:
        return
    profile.activated_at = timezone.now()
    grants.grant(profile.user, Role.CANDIDAT)
    _touch(profile, ["activated_at"])


def profile_of_link(uidb64, token):
    """The profile a confirmation link names (nothing changes), or None if the link is invalid
    or expired."""
    user = accounts_services.email_link_user(uidb64, token)
    if user is None:
        return None
    return CandidateProfile.objects.filter(user=user).select_related("user").first()


def confirm(uidb64, token):
    """The activated profile the link confirms, or None if the link is invalid or expired."""
    profile = profile_of_link(uidb64, token)
    if profile is None:
        return None
    user = profile.user
    with transaction.atomic():
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email_confirmed_at"])
        activate(profile)
    return profile


# Candidate space


@transaction.atomic
def update_profile(profile, data):
    changed = [field for field in PROFILE_FIELDS if getattr(profile, field) != data[field]]
    for field in changed:
        setattr(profile, field, data[field])
    _touch(profile, changed)
    return changed


@transaction.atomic
def set_availability(profile, available):
    changed = [] if profile.is_available == available else ["is_available"]
    profile.is_available = available
    _touch(profile, changed)


@transaction.atomic
def update_pix(profile, data):
    for field in PIX_FIELDS:
        setattr(profile, field, data.get(field))
    # Pix results do not change eligibility: no signal.
    _touch(profile, PIX_FIELDS)
    return profile


def store_cv(profile, data):
    """Check and store a CV (ciphertext only), replacing the previous one."""
    cv.check_pdf(data)
    old = profile.cv_file.name if profile.cv_file else None
    profile.cv_file.save("cv.bin", ContentFile(encryption.encrypt(data)), save=False)
    profile.cv_uploaded_at = timezone.now()
    _touch(profile, ["cv_file", "cv_uploaded_at"])
    if old:
        profile.cv_file.storage.delete(old)


def read_cv(profile):
    with profile.cv_file.open("rb") as file:
        return encryption.decrypt(file.read())


def delete_cv(profile):
    if profile.cv_file:
        name = profile.cv_file.name
        profile.cv_file = ""
        profile.cv_uploaded_at = None
        profile.save(update_fields=["cv_file", "cv_uploaded_at", "updated_at"])
        transaction.on_commit(lambda: profile.cv_file.storage.delete(name))


def months_ago(day, months):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate_day in range(day.day, 0, -1):  # 31 August minus 6 months: 28/29 February
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def purge_expired_cvs(now=None):
    """Delete CVs uploaded more than six months ago; returns how many."""
    now = now or timezone.now()
    local = now.astimezone(PARIS)
    cutoff_day = months_ago(local.date(), CV_RETENTION_MONTHS)
    cutoff = datetime.datetime.combine(cutoff_day, local.timetz())
    count = 0
    expired = CandidateProfile.objects.filter(cv_uploaded_at__lte=cutoff).exclude(cv_file="")
    for profile in expired.iterator():
        with transaction.atomic():
            delete_cv(profile)
        count += 1
    return count


# More of a candidate's personal data, exported by the apps that build on candidates: each a
# function(profile) -> {key: data}, registered at start-up (matching: contact requests, reveals).
EXPORT_PARTS = []


def export_data(profile):
    """Everything the platform holds about the candidate (the CV itself is downloaded apart)."""
    user, commune = profile.user, profile.commune
    return {
        "compte": {
            "adresse_electronique": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "inscrit_le": user.date_joined.isoformat(),
            "adresse_confirmee_le": (
                user.email_confirmed_at.isoformat() if user.email_confirmed_at else None
            ),
        },
        "profil": {
            "telephone": profile.phone,
            "commune": {
                "code_insee": commune.code_insee,
                "nom": commune.nom,
                "departement": commune.departement_id,
                "region": commune.departement.region_id,
            },
            "situations": [str(s) for s in profile.situations],
            "nom_diplome": profile.diploma_name or None,
            "date_disponibilite": profile.availability_date.isoformat(),
            "disponible": profile.is_available,
            "distance_max_km": profile.max_distance_km,
            "motivation": profile.motivation,
            "ancien_conseiller": profile.is_former_conseiller,
            "pix": {
                "niveau": profile.pix_level,
                "competence_1": profile.pix_score_1,
                "competence_2": profile.pix_score_2,
                "competence_3": profile.pix_score_3,
            },
            "cv_depose_le": profile.cv_uploaded_at.isoformat() if profile.cv_uploaded_at else None,
            "cree_le": profile.created_at.isoformat(),
            "modifie_le": profile.updated_at.isoformat(),
            "active_le": profile.activated_at.isoformat() if profile.activated_at else None,
        },
        **{key: value for part in EXPORT_PARTS for key, value in part(profile).items()},
    }


@transaction.atomic
def delete_candidate(profile):
    """Keep an anonymised archive, then remove the CV, the profile and — unless the person
    holds another role — the account. Returns True when the account itself was deleted."""
    profile_deleted.send(sender=CandidateProfile, profile=profile)
    CandidateArchive.objects.create(
        departement_id=profile.commune.departement_id,
        is_job_seeker=profile.is_job_seeker,
        is_employed=profile.is_employed,
        is_in_training=profile.is_in_training,
        has_diploma=profile.has_diploma,
        has_mediation_experience=profile.has_mediation_experience,
        pix_level=profile.pix_level,
        max_distance_km=profile.max_distance_km,
        was_former_conseiller=profile.is_former_conseiller,
        profile_created_on=profile.created_at.astimezone(PARIS).date(),
        archived_on=today(),
    )
    delete_cv(profile)
    user = profile.user
    other_roles = user.memberships.exclude(role=Role.CANDIDAT).exists()
    if other_roles:
        user.memberships.filter(role=Role.CANDIDAT).delete()
        profile.delete()
        return False
    user.delete()
    return True
