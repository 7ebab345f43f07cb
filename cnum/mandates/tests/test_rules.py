import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.mandates import services
from cnum.mandates.domains import Domain, Duration
from cnum.mandates.models import Authorisation, JournalEntry, Kind, Mandate
from cnum.mandates.tests.factories import habilitated_structure, make_usager, validated_aidant
from cnum.mandates.verification import verify_journal

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    return habilitated_structure()


@pytest.fixture
def aidant(structure):
    user = validated_aidant(structure)
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    return user


@pytest.fixture
def usager(structure, aidant):
    return make_usager(structure, aidant)


def create(aidant, usager, domains=("papiers",), duration=Duration.SIX_MONTHS):
    return services.create_mandate(
        aidant=aidant, usager=usager, domains=list(domains), duration_days=duration, consent=True
    )


def test_ten_domains_with_french_labels():
    assert len(Domain.values) == 10
    assert Domain("argent").label == "Argent – Impôts – Consommation"
    assert Domain("etranger").label == "Étranger – Europe"


@pytest.mark.parametrize("days", [1, 31, 182, 365])
def test_durations(aidant, usager, days):
    mandate = create(aidant, usager, duration=days)
    assert mandate.expires_at - mandate.created_at == datetime.timedelta(days=days)
    assert mandate.is_active


@pytest.mark.parametrize("days", [0, 2, 30, 366])
def test_other_durations_refused(aidant, usager, days):
    with pytest.raises(services.MandateRefused):
        create(aidant, usager, duration=days)
    assert not Mandate.objects.exists()


def test_unknown_or_no_domain_or_no_consent_refused(aidant, usager):
    with pytest.raises(services.MandateRefused):
        create(aidant, usager, domains=["impots"])
    with pytest.raises(services.MandateRefused):
        create(aidant, usager, domains=[])
    with pytest.raises(services.MandateRefused, match="consentement"):
        services.create_mandate(
            aidant=aidant, usager=usager, domains=["papiers"], duration_days=31, consent=False
        )


def test_domain_not_allowed_for_structure_refused(aidant, usager, structure):
    structure.habilitation.domains = ["papiers"]
    structure.habilitation.save()
    with pytest.raises(services.MandateRefused, match="habilitée"):
        create(aidant, usager, domains=["social"])


def test_new_mandate_replaces_same_domain_authorisations(aidant, usager):
    first = create(aidant, usager, domains=["papiers", "social"])
    second = create(aidant, usager, domains=["social", "logement"])
    first.refresh_from_db()
    statuses = {a.domain: a.revoked_at is None for a in first.authorisations.all()}
    assert statuses == {"papiers": True, "social": False}
    assert first.is_active  # still holds papiers
    active = Authorisation.objects.active().filter(mandate__usager=usager)
    assert sorted(a.domain for a in active) == ["logement", "papiers", "social"]
    assert active.get(domain="social").mandate == second
    third = create(aidant, usager, domains=["papiers"])
    first.refresh_from_db()
    assert first.revoked_at is not None  # nothing left: the whole mandate is revoked
    assert third.is_active
    assert verify_journal().ok


def test_replacement_only_within_the_structure(aidant, usager):
    other = habilitated_structure()
    other_aidant = validated_aidant(other)
    TOTPDevice.objects.create(user=other_aidant, name="Application", confirmed=True)
    other_usager = make_usager(other, other_aidant)
    mine = create(aidant, usager)
    create(other_aidant, other_usager)
    mine.refresh_from_db()
    assert mine.is_active and not mine.authorisations.filter(revoked_at__isnull=False).exists()


def test_expiry(aidant, usager):
    mandate = create(aidant, usager, duration=1)
    later = timezone.now() + datetime.timedelta(days=1, seconds=1)
    assert Mandate.objects.active(later).count() == 0
    assert list(Mandate.objects.expired(later)) == [mandate]
    assert Authorisation.objects.active(later).count() == 0


def test_revoke_one_authorisation_then_the_rest(aidant, usager):
    mandate = create(aidant, usager, domains=["papiers", "social"])
    papiers = mandate.authorisations.get(domain="papiers")
    services.revoke_authorisation(papiers, aidant=aidant)
    mandate.refresh_from_db()
    assert mandate.is_active
    with pytest.raises(services.MandateRefused):
        services.revoke_authorisation(papiers, aidant=aidant)
    services.revoke_mandate(mandate, aidant=aidant)
    mandate.refresh_from_db()
    assert mandate.status == "revoque"
    assert not mandate.authorisations.filter(revoked_at__isnull=True).exists()
    with pytest.raises(services.MandateRefused):
        services.revoke_mandate(mandate, aidant=aidant)
    kinds = list(
        JournalEntry.objects.filter(mandate_id_ref=mandate.pk).values_list("kind", flat=True)
    )
    assert kinds == [
        Kind.MANDATE_CREATED,
        Kind.AUTHORISATION_REVOKED,
        Kind.AUTHORISATION_REVOKED,
        Kind.MANDATE_REVOKED,
    ]


def test_renewal(aidant, usager):
    mandate = create(aidant, usager, domains=["papiers", "famille"], duration=31)
    new = services.renew_mandate(mandate, aidant=aidant, duration_days=365, consent=True)
    mandate.refresh_from_db()
    assert new.renewed_from == mandate and new.duration_days == 365
    assert sorted(a.domain for a in new.authorisations.all()) == ["famille", "papiers"]
    assert mandate.status == "revoque"
    assert JournalEntry.objects.filter(kind=Kind.MANDATE_RENEWED, mandate_id_ref=new.pk).exists()


@pytest.mark.parametrize("case", ["not_validated", "no_totp", "not_accepted", "inactive"])
def test_only_validated_aidants_with_totp_of_accepted_structure(structure, case):
    user = validated_aidant(structure, validated=case != "not_validated")
    if case != "no_totp":
        TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    if case == "not_accepted":
        structure.habilitation.status = "demandee"
        structure.habilitation.save()
    if case == "inactive":
        user.memberships.update(is_active=False)
    usager = make_usager(structure, user)
    with pytest.raises(PermissionDenied):
        create(user, usager)
    with pytest.raises(PermissionDenied):
        services.establish_identity_manually(
            aidant=user,
            organisation=structure,
            document_checked=True,
            given_names="A",
            family_name="B",
            birth_date="1960-01-01",
            birth_place="Lyon",
        )


def test_manual_identity_requires_document_check_and_is_journaled(aidant, structure):
    with pytest.raises(services.MandateRefused):
        services.establish_identity_manually(
            aidant=aidant,
            organisation=structure,
            document_checked=False,
            given_names="A",
            family_name="B",
            birth_date="1960-01-01",
            birth_place="Lyon",
        )
    usager = services.establish_identity_manually(
        aidant=aidant,
        organisation=structure,
        document_checked=True,
        given_names="A",
        family_name="B",
        birth_date="1960-01-01",
        birth_place="Lyon",
    )
    entry = JournalEntry.objects.get(kind=Kind.IDENTITY_ESTABLISHED)
    assert entry.usager_id_ref == usager.pk
    assert entry.data == {"methode": "verification_manuelle"}


def test_database_refuses_unknown_domain_and_duration(aidant, usager):
    from django.db import IntegrityError, transaction

    mandate = create(aidant, usager)
    with pytest.raises(IntegrityError), transaction.atomic():
        Authorisation.objects.create(mandate=mandate, domain="impots")
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.filter(pk=mandate.pk).update(duration_days=2)
