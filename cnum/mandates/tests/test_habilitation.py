import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import Membership, Organisation
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.mandates.models import AidantProfile, Habilitation, JournalEntry, Kind
from cnum.mandates.policies import can_create_mandates
from cnum.mandates.tests.factories import attend_training, habilitated_structure, validated_aidant

pytestmark = pytest.mark.django_db

REQUEST = {
    "siret": "12345678901234",
    "structure_type": "association",
    "aidants_to_train": "Camille Martin, camille@exemple.fr",
    "domains": ["papiers", "social"],
    "commitments": "on",
}


@pytest.fixture
def structure():
    return make_organisation(OrganisationKind.STRUCTURE)


@pytest.fixture
def manager(structure):
    return make_user(Role.GESTIONNAIRE_STRUCTURE, organisation=structure)


def test_request_then_changes_then_acceptance(client, structure, manager):
    login(client, manager)
    response = client.post(
        reverse("mandates:habilitation_request"), {**REQUEST, "siret": "1234", "commitments": ""}
    )
    page = unescape(response.content.decode())
    assert "Le SIRET compte exactement 14 chiffres." in page
    assert "Les engagements doivent être acceptés." in page
    response = client.post(reverse("mandates:habilitation_request"), REQUEST)
    habilitation = Habilitation.objects.get()
    assert response.url == reverse("mandates:habilitation_detail", args=[habilitation.pk])
    assert habilitation.referent == manager and habilitation.status == "demandee"
    # A second request is not possible while the first is pending.
    assert client.get(reverse("mandates:habilitation_request")).status_code == 302

    admin = make_user(Role.ADMINISTRATEUR)
    login(client, admin)
    detail = reverse("mandates:habilitation_detail", args=[habilitation.pk])
    client.post(
        detail,
        {"decision-action": "demander_modifications", "decision-message": "Précisez les aidants."},
    )
    habilitation.refresh_from_db()
    assert habilitation.status == "modifications_demandees"

    login(client, manager)
    assert "Précisez les aidants." in unescape(client.get(detail).content.decode())
    client.post(
        reverse("mandates:habilitation_request"),
        {**REQUEST, "aidants_to_train": "Camille Martin, Alex Durand"},
    )
    habilitation.refresh_from_db()
    assert habilitation.status == "demandee" and "Alex" in habilitation.aidants_to_train
    # The structure cannot decide for itself: 403 and nothing changes.
    response = client.post(detail, {"decision-action": "accepter", "decision-message": "ok"})
    assert response.status_code == 403
    habilitation.refresh_from_db()
    assert habilitation.status == "demandee"

    login(client, admin)
    client.post(detail, {"decision-action": "accepter", "decision-message": "Bienvenue."})
    habilitation.refresh_from_db()
    assert habilitation.status == "acceptee"
    response = client.post(detail, {"decision-action": "refuser", "decision-message": "non"})
    assert "pas possible dans l'état actuel" in unescape(response.content.decode())
    actions = [e.data["action"] for e in JournalEntry.objects.filter(kind=Kind.HABILITATION)]
    assert actions == ["demande", "demander_modifications", "demande", "accepter"]


def test_other_structures_habilitation_is_404(client):
    habilitated = habilitated_structure()
    other_manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    login(client, other_manager)
    url = reverse("mandates:habilitation_detail", args=[habilitated.habilitation.pk])
    assert client.get(url).status_code == 404


def test_referent_adds_aidant_admin_trains_and_validates(client):
    structure = habilitated_structure()
    manager = structure.habilitation.referent
    login(client, manager)
    client.post(
        reverse("mandates:aidants"),
        {"first_name": "Alex", "last_name": "Durand", "email": "Alex@Exemple.fr"},
    )
    profile = AidantProfile.objects.get(membership__user__email="alex@exemple.fr")
    aidant = profile.membership.user
    assert profile.membership.organisation == structure
    assert not can_create_mandates(aidant, structure)

    admin = make_user(Role.ADMINISTRATEUR)
    login(client, admin)
    client.post(reverse("mandates:aidant_validate", args=[profile.pk]))
    profile.refresh_from_db()
    assert not profile.is_validated  # not trained yet
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.post(
        reverse("mandates:aidant_training", args=[profile.pk]),
        {"training_date": tomorrow.isoformat(), "pix_validated": "on"},
    )
    profile.refresh_from_db()
    assert profile.training_date is None
    client.post(
        reverse("mandates:aidant_training", args=[profile.pk]),
        {"training_date": timezone.localdate().isoformat(), "pix_validated": "on"},
    )
    client.post(reverse("mandates:aidant_validate", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.is_validated
    assert not can_create_mandates(aidant, structure)  # no TOTP device yet
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    assert not can_create_mandates(aidant, structure)  # no attendance at a training session
    attend_training(profile, actor=admin)
    assert can_create_mandates(aidant, structure)

    login(client, manager)
    client.post(reverse("mandates:aidant_deactivate", args=[profile.pk]), {"confirm": "1"})
    assert not Membership.objects.get(pk=profile.membership_id).is_active
    assert not can_create_mandates(aidant, structure)


def test_referent_aidant_manages_and_picks_domains(client):
    structure = habilitated_structure()
    referent = validated_aidant(structure, referent=True)
    login(client, referent)
    client.post(reverse("mandates:aidants"), {"domains": ["papiers", "logement"]})
    structure.habilitation.refresh_from_db()
    assert structure.habilitation.domains == ["logement", "papiers"]
    response = client.post(reverse("mandates:aidants"), {"domains": ["pirate"]})
    assert "Ce domaine n'est pas proposé." in unescape(response.content.decode())


def test_plain_aidant_or_other_manager_cannot_manage(client):
    structure = habilitated_structure()
    aidant = validated_aidant(structure)
    profile = AidantProfile.objects.get(membership__user=aidant)
    login(client, validated_aidant(structure))
    assert client.get(reverse("mandates:aidants")).status_code == 403
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    assert client.post(reverse("mandates:aidant_deactivate", args=[profile.pk])).status_code == 404
    assert Membership.objects.get(user=aidant, role=Role.AIDANT).is_active
    login(client, structure.habilitation.referent)
    assert client.post(reverse("mandates:aidant_validate", args=[profile.pk])).status_code == 403


def test_aidant_login_is_journaled(client):
    from cnum.accounts.testing import PASSWORD

    structure = habilitated_structure()
    aidant = validated_aidant(structure)
    client.post(reverse("accounts:login"), {"username": aidant.email, "password": PASSWORD})
    entry = JournalEntry.objects.get(kind=Kind.LOGIN)
    assert entry.actor == aidant and entry.organisation_id == structure.pk
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    device.refresh_from_db()
    device.throttle_reset()
    client.post(reverse("accounts:two_factor_verify"), {"code": f"{totp(device.bin_key):06d}"})
    checks = JournalEntry.objects.filter(kind=Kind.TOTP_CHECK, actor=aidant)
    assert [e.data["succes"] for e in checks] == [False, True]


def _habilitation_acts():
    return [
        (e.data["action"], e.data.get("domaines"))
        for e in JournalEntry.objects.filter(kind=Kind.HABILITATION)
    ]


def _mandate_in(structure, aidant, domain):
    from cnum.mandates.services import create_mandate
    from cnum.mandates.tests.factories import make_usager

    structure = Organisation.objects.get(pk=structure.pk)  # as a new request sees it
    return create_mandate(
        aidant=aidant,
        usager=make_usager(structure, aidant),
        domains=[domain],
        duration_days=31,
        consent=True,
    )


@pytest.fixture
def accepted():
    """An accepted structure for two domains, its manager and a validated aidant."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    structure = habilitated_structure(domains=["papiers", "social"])
    aidant = validated_aidant(structure)
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    return structure, structure.habilitation.referent, aidant


def test_added_domain_waits_for_the_administration_accepted_ones_stay_usable(client, accepted):
    from cnum.mandates.services import MandateRefused

    structure, manager, aidant = accepted
    login(client, manager)
    response = client.post(
        reverse("mandates:aidants"), {"domains": ["papiers", "social", "logement"]}, follow=True
    )
    assert "transmis à l'administration" in unescape(response.content.decode())
    habilitation = Habilitation.objects.get()
    assert habilitation.status == "extension_demandee"
    assert habilitation.domains == ["papiers", "social"]
    assert habilitation.pending_domains == ["logement"]
    # Nothing new is usable before the decision; what was accepted still is.
    with pytest.raises(MandateRefused):
        _mandate_in(structure, aidant, "logement")
    assert can_create_mandates(aidant, structure)
    _mandate_in(structure, aidant, "papiers")
    page = unescape(client.get(reverse("mandates:aidants")).content.decode())
    assert "En attente de l'administration : Logement." in page

    admin = make_user(Role.ADMINISTRATEUR)
    login(client, admin)
    detail = reverse("mandates:habilitation_detail", args=[habilitation.pk])
    assert "Nouveaux domaines en examen" in unescape(client.get(detail).content.decode())
    client.post(detail, {"decision-action": "accepter_extension", "decision-message": "Accordé."})
    habilitation.refresh_from_db()
    assert habilitation.status == "acceptee" and habilitation.pending_domains == []
    assert habilitation.domains == ["logement", "papiers", "social"]
    _mandate_in(structure, aidant, "logement")
    assert _habilitation_acts() == [
        ("demande_extension", ["logement"]),
        ("accepter_extension", ["logement"]),
    ]


def test_refused_extension_leaves_the_accepted_domains(client, accepted):
    structure, manager, _aidant = accepted
    login(client, manager)
    client.post(reverse("mandates:aidants"), {"domains": ["papiers", "social", "justice"]})
    habilitation = Habilitation.objects.get()
    login(client, make_user(Role.ADMINISTRATEUR))
    detail = reverse("mandates:habilitation_detail", args=[habilitation.pk])
    client.post(detail, {"decision-action": "refuser_extension", "decision-message": "Non."})
    habilitation.refresh_from_db()
    assert habilitation.status == "acceptee"
    assert (habilitation.domains, habilitation.pending_domains) == (["papiers", "social"], [])
    # The manager cannot accept their own extension: 403, nothing changes.
    login(client, manager)
    client.post(reverse("mandates:aidants"), {"domains": ["papiers", "social", "justice"]})
    response = client.post(
        detail, {"decision-action": "accepter_extension", "decision-message": "ok"}
    )
    assert response.status_code == 403
    habilitation.refresh_from_db()
    assert habilitation.status == "extension_demandee" and "justice" not in habilitation.domains


def test_removed_domain_goes_at_once_and_is_journaled(client, accepted):
    from cnum.mandates.services import MandateRefused

    structure, manager, aidant = accepted
    login(client, manager)
    client.post(reverse("mandates:aidants"), {"domains": ["papiers"]})
    habilitation = Habilitation.objects.get()
    assert habilitation.status == "acceptee" and habilitation.domains == ["papiers"]
    with pytest.raises(MandateRefused):
        _mandate_in(structure, aidant, "social")
    assert _habilitation_acts() == [("retrait_domaines", ["social"])]
