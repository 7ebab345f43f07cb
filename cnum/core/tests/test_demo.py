"""The demo that `make run` loads, seeded once for this module: what each app shows its demo
accounts, and a second `seed_demo` that changes no table.

Seeding takes seconds; each app's checks used to seed again. Here the module seeds once inside a
transaction rolled back at its end, and each test runs in a savepoint of it, so a test's writes
never reach the next one.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_KEY
from cnum.accounts.management.commands.seed_demo import DEMO_ACCOUNTS
from cnum.accounts.models import Membership, User
from cnum.accounts.roles import ROLES_REQUIRING_2FA, Role

pytestmark = pytest.mark.django_db


def table_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def snapshot():
    return {
        "counts": table_counts(),
        "passwords": dict(User.objects.values_list("email", "password")),
        "candidates": list(
            apps.get_model("candidates", "CandidateProfile")
            .objects.order_by("pk")
            .values_list("pk", "commune")
        ),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The output of the first `seed_demo`, and the database before and after a second one."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        before = snapshot()
        call_command("seed_demo", stdout=io.StringIO())
        yield {"output": output.getvalue(), "before": before, "after": snapshot()}
        transaction.set_rollback(True)


def user(name):
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def demo_structure():
    from cnum.structures.models import Structure

    return Structure.objects.managed_by(user("structure")).get()


# --- Idempotent ------------------------------------------------------------------------------


def test_a_second_seed_changes_no_table(seeded):
    changed = {
        label: (count, seeded["after"]["counts"][label])
        for label, count in seeded["before"]["counts"].items()
        if seeded["after"]["counts"][label] != count
    }
    assert not changed, f"seed_demo n'est pas idempotent : {changed}"
    assert seeded["after"]["passwords"] == seeded["before"]["passwords"]
    assert seeded["after"]["candidates"] == seeded["before"]["candidates"]


# --- Accounts --------------------------------------------------------------------------------


def test_one_confirmed_account_per_role(seeded):
    assert DEMO_PASSWORD in seeded["output"]
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role)
    for account in DEMO_ACCOUNTS:
        account_user = User.objects.get(email=account.email)
        assert account_user.check_password(DEMO_PASSWORD)
        assert account_user.email_confirmed_at is not None
        assert account_user.roles == {account.role}
        has_device = TOTPDevice.objects.filter(user=account_user, confirmed=True, key=DEMO_TOTP_KEY)
        assert has_device.exists() == (account.role in ROLES_REQUIRING_2FA)


def test_demo_organisations_have_their_territory(seeded):
    prefecture = user("prefet").memberships.get().organisation
    assert prefecture.departement_id == "69" and prefecture.region_id == "84"
    assert user("structure").memberships.get().organisation.departement_id == "69"


def test_demo_secret_is_the_documented_one_and_logs_in(seeded, client):
    assert DEMO_TOTP_KEY == "48656c6c6f21deadbeef"  # base32 JBSWY3DPEHPK3PXP
    email = f"admin@{DEMO_DOMAIN}"
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
    )
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    code = f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("api_tokens:list")).status_code == 200


# --- Structures and the committee ------------------------------------------------------------


def test_the_demo_manager_has_a_real_structure_among_every_status(seeded):
    from cnum.structures.enums import Status
    from cnum.structures.models import CallForInterest, CommitteeSession, PrefetOpinion, Structure
    from cnum.structures.services import open_call_for

    own = demo_structure()
    assert own.status == Status.VALIDATION_COSELEC and own.current_posts() == 3
    assert own.departement_id == "69"
    departements = set(Structure.objects.values_list("departement_id", flat=True))
    assert {"69", "75", "13", "59", "33", "2A", "971", "974"} <= departements
    assert set(Structure.objects.values_list("status", flat=True)) == set(Status)
    assert Structure.objects.count() >= 140
    duplicate = Structure.objects.filter(status=Status.DOUBLON).first()
    assert duplicate.duplicate_of.departement_id == duplicate.departement_id
    # Every generated structure has a manager; the Rhône préfet sees the Rhône's files.
    assert not Structure.objects.filter(memberships__isnull=True).exists()
    visible = Structure.objects.visible_to(user("prefet"))
    assert visible.count() >= 10 and set(visible.values_list("departement", flat=True)) == {"69"}
    assert PrefetOpinion.objects.filter(structure__in=visible).exists()
    assert CommitteeSession.objects.count() == 4
    assert open_call_for("PRIVATE") is not None
    assert CallForInterest.objects.count() == 1


# --- Candidates, matching, recruitment, allocation -------------------------------------------


def test_candidates_across_the_country(seeded):
    from cnum.candidates.demo import GENERATED_COUNT
    from cnum.candidates.models import CandidateProfile

    demo = CandidateProfile.objects.get(user__email=f"candidat@{DEMO_DOMAIN}")
    assert demo.commune.nom == "Lyon" and demo.activated_at is not None
    assert CandidateProfile.objects.count() == GENERATED_COUNT + 1
    departements = set(CandidateProfile.objects.values_list("commune__departement", flat=True))
    assert {"69", "2A", "971", "974"} <= departements and len(departements) >= 8
    assert len(set(CandidateProfile.objects.values_list("max_distance_km", flat=True))) >= 5
    assert CandidateProfile.objects.filter(is_available=False).exists()


def test_the_demo_manager_has_matches_to_sort(seeded):
    from cnum.matching import services
    from cnum.matching.enums import ContactStatus
    from cnum.matching.enums import MatchStatus as S
    from cnum.matching.models import CandidateNote, ContactRequest, Match

    own, candidate = demo_structure(), user("candidat")
    # Later seeders (recruitment) move some of these matches on: only what stays is checked.
    assert Match.objects.get(structure=own, candidate__user=candidate).status == S.INTERESSEE
    assert Match.objects.filter(structure=own, status=S.NON_INTERESSEE).exists()
    assert CandidateNote.objects.filter(structure=own).count() == 1
    # Pre-selections stay within each candidate's own zone; farther, a contact request.
    for match in Match.objects.filter(status=S.INTERESSEE).select_related("structure__commune"):
        assert services.may_preselect(match.structure, match.candidate)
    request = ContactRequest.objects.get(candidate__user=candidate)
    assert request.status == ContactStatus.EN_ATTENTE


def test_every_stage_of_recruitment_and_an_allocation(seeded):
    from cnum.allocation import services
    from cnum.allocation.models import AllocationRun
    from cnum.matching.enums import MatchStatus
    from cnum.matching.models import Match
    from cnum.recruitment.models import Contract, Rupture
    from cnum.structures.models import Structure

    assert set(Match.objects.values_list("status", flat=True)) == set(MatchStatus)
    assert Contract.objects.count() >= 50
    assert Rupture.objects.exists()
    conseillers = Membership.objects.filter(role=Role.CONSEILLER, is_active=True)
    assert conseillers.count() >= 40
    for structure in Structure.objects.filter(matches__isnull=False).distinct():
        assert structure.filled_posts() <= structure.current_posts()  # quota never exceeded
    # The demo manager has a vacant post, candidates sorted, and suggestions to look at.
    own = demo_structure()
    assert own.vacant_posts() >= 1
    assert own.matches.filter(status=MatchStatus.INTERESSEE).exists()
    assert services.suggestions_for(own)
    # The demo candidate is still a candidate (pre-selected by the demo manager only).
    candidate = user("candidat").candidate_profile
    assert candidate.is_available
    assert set(candidate.matches.values_list("structure", flat=True)) <= {own.pk}
    run = AllocationRun.objects.get()
    assert run.is_finished and run.posts_vacant >= 20


# --- Training and the network ----------------------------------------------------------------


def test_the_demo_training_organisation_trains_the_demo_conseiller(seeded):
    from cnum.training.models import Enrolment, TrainingOrganisation

    own = TrainingOrganisation.objects.visible_to(user("formation")).get()
    assert own.departement_id == "69" and own.sessions.count() == 4
    assert Enrolment.objects.filter(conseiller=user("conseiller")).count() <= 1


def test_demo_hub_and_network_have_structures_to_follow(seeded):
    from cnum.networks.lists import structures_in_scope

    hub, network = user("hub"), user("reseau")
    assert hub.memberships.get().organisation.region_id == "84"
    assert structures_in_scope(hub).filter(departement_id="69").exists()
    members = structures_in_scope(network)
    assert members.exists()
    assert set(members.values_list("network__name", flat=True)) == {"La Poste"}
