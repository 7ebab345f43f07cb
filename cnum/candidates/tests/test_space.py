import datetime
import json

import pytest
from django.urls import reverse

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, login
from cnum.candidates import services
from cnum.candidates.models import CandidateArchive, CandidateProfile
from cnum.candidates.signals import profile_changed, profile_deleted
from cnum.candidates.testing import SMALL_PDF, make_profile

from .test_forms import profile_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(client):
    profile = make_profile(pix_level=2)
    login(client, profile.user)
    return profile


@pytest.fixture
def signals():
    received = []

    def on_change(profile, changed_fields, **kwargs):
        received.append((profile.pk, changed_fields))

    profile_changed.connect(on_change)
    yield received
    profile_changed.disconnect(on_change)


def test_space_shows_the_profile(client, candidate):
    page = client.get(reverse("candidates:space")).content.decode()
    assert "Ma candidature" in page and "Lyon" in page and "Niveau 2" in page


def test_change_of_zone_and_distance_is_saved_and_signalled(client, candidate, signals):
    response = client.post(
        reverse("candidates:edit"),
        profile_data(commune="Bastia (2B)", max_distance_km="100", situations=["en_emploi"]),
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.commune.departement_id == "2B" and candidate.max_distance_km == 100
    assert candidate.is_employed and not candidate.is_job_seeker
    assert candidate.last_activity_at is not None
    [(pk, fields)] = signals
    assert pk == candidate.pk
    assert {"commune", "max_distance_km", "is_employed", "is_job_seeker"} <= fields


def test_edit_rules_apply_and_nothing_changes_on_error(client, candidate, signals):
    past = (services.today() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("candidates:edit"), profile_data(availability_date=past, max_distance_km="30")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne peut pas être passée" in page and "distances proposées" in page
    candidate.refresh_from_db()
    assert candidate.max_distance_km == 20 and signals == []


def test_edit_form_offers_today_when_the_stored_date_has_passed(client, candidate):
    CandidateProfile.objects.filter(pk=candidate.pk).update(
        availability_date=datetime.date(2020, 1, 1)
    )
    response = client.get(reverse("candidates:edit"))
    assert response.context["form"].initial["availability_date"] == services.today()


def test_availability_toggle(client, candidate, signals):
    client.post(reverse("candidates:availability"), {"available": "0"})
    candidate.refresh_from_db()
    assert not candidate.is_available
    assert signals == [(candidate.pk, frozenset({"is_available"}))]
    client.post(reverse("candidates:availability"), {"available": "1"})
    candidate.refresh_from_db()
    assert candidate.is_available
    response = client.post(reverse("candidates:availability"), {"available": "peut-être"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.is_available


def test_pix_results(client, candidate):
    response = client.post(
        reverse("candidates:pix"),
        {"pix_level": "3", "pix_score_1": "80", "pix_score_2": "", "pix_score_3": "100"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.pix_level, candidate.pix_score_1, candidate.pix_score_2) == (3, 80, None)
    response = client.post(reverse("candidates:pix"), {"pix_level": "4", "pix_score_1": "101"})
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.pix_level == 3 and candidate.pix_score_1 == 80


def test_data_export(client, candidate):
    services.store_cv(candidate, SMALL_PDF)
    response = client.get(reverse("candidates:export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["compte"]["adresse_electronique"] == candidate.user.email
    assert data["profil"]["commune"] == {
        "code_insee": "69123",
        "nom": "Lyon",
        "departement": "69",
        "region": "84",
    }
    assert data["profil"]["situations"] == ["demandeur_emploi"]
    assert data["profil"]["pix"]["niveau"] == 2
    assert data["profil"]["cv_depose_le"] is not None


def test_delete_account_keeps_only_an_anonymised_archive(
    client, candidate, settings, django_capture_on_commit_callbacks
):
    services.store_cv(candidate, SMALL_PDF)
    cv_path = settings.MEDIA_ROOT / candidate.cv_file.name
    deleted = []
    profile_deleted.connect(receiver := lambda profile, **kw: deleted.append(profile.pk))
    response = client.post(reverse("candidates:delete"), {"password": "mauvais"})
    assert response.status_code == 200 and "Mot de passe incorrect." in response.content.decode()
    assert CandidateProfile.objects.filter(pk=candidate.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("candidates:delete"), {"password": PASSWORD})
    profile_deleted.disconnect(receiver)
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert deleted == [candidate.pk]
    assert not User.objects.filter(pk=candidate.user_id).exists()
    assert not CandidateProfile.objects.exists() and not cv_path.exists()
    archive = CandidateArchive.objects.get()
    assert archive.departement_id == "69" and archive.is_job_seeker and archive.pix_level == 2
    stored = " ".join(str(v) for v in archive.__dict__.values())
    assert candidate.user.email not in stored and candidate.phone not in stored
    # Logged out.
    assert client.get(reverse("candidates:space")).status_code == 302


def test_delete_keeps_the_account_of_someone_holding_another_role(client, candidate):
    from cnum.accounts.roles import OrganisationKind
    from cnum.accounts.testing import make_organisation

    Membership.objects.create(
        user=candidate.user,
        role=Role.CONSEILLER,
        organisation=make_organisation(OrganisationKind.STRUCTURE),
    )
    client.post(reverse("candidates:delete"), {"password": PASSWORD})
    assert User.objects.filter(pk=candidate.user_id).exists()
    assert not CandidateProfile.objects.exists()
    assert list(candidate.user.memberships.values_list("role", flat=True)) == [Role.CONSEILLER]
    assert CandidateArchive.objects.count() == 1


def test_a_candidate_only_ever_acts_on_their_own_profile(client, candidate):
    other = make_profile()
    client.post(reverse("candidates:availability"), {"available": "0", "pk": other.pk})
    other.refresh_from_db()
    assert other.is_available
