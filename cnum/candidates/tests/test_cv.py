import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.candidates import services
from cnum.candidates.cv import CV_MAX_BYTES
from cnum.candidates.policies import can_download_cv
from cnum.candidates.tasks import purge_expired_cvs
from cnum.candidates.testing import SMALL_PDF, make_profile

pytestmark = pytest.mark.django_db
UPLOAD = reverse("candidates:cv_upload")


def upload(client, content, name="cv.pdf", content_type="application/pdf"):
    return client.post(UPLOAD, {"cv": SimpleUploadedFile(name, content, content_type)})


@pytest.fixture
def candidate(client):
    profile = make_profile()
    login(client, profile.user)
    return profile


def test_pdf_is_stored_encrypted_and_downloaded_as_attachment(client, candidate, settings):
    response = upload(client, SMALL_PDF, name="Mon CV.PDF")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.has_cv and candidate.cv_uploaded_at is not None
    on_disk = (settings.MEDIA_ROOT / candidate.cv_file.name).read_bytes()
    assert on_disk != SMALL_PDF and b"%PDF" not in on_disk and b"Catalog" not in on_disk
    assert "Mon CV" not in candidate.cv_file.name

    response = client.get(reverse("candidates:cv_download", kwargs={"pk": candidate.pk}))
    assert response.status_code == 200
    assert response.content == SMALL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_replacing_a_cv_removes_the_previous_file(client, candidate, settings):
    upload(client, SMALL_PDF)
    candidate.refresh_from_db()
    first = settings.MEDIA_ROOT / candidate.cv_file.name
    upload(client, SMALL_PDF.replace(b"595", b"600"))
    candidate.refresh_from_db()
    assert not first.exists()
    assert services.read_cv(candidate).count(b"600") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a pdf at all", "n'est pas un PDF"),
        (b"<html><script>alert(1)</script></html>", "n'est pas un PDF"),
        (b"%PDF-1.4\ntruncated", "illisible ou endommagé"),
    ],
)
def test_non_pdf_with_a_pdf_name_is_refused(client, candidate, content, message):
    response = upload(client, content, name="cv.pdf")
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    candidate.refresh_from_db()
    assert not candidate.has_cv


def test_file_over_5_mb_is_refused(client, candidate):
    big = SMALL_PDF[:-6] + b"0" * (CV_MAX_BYTES + 1) + b"%%EOF\n"
    response = upload(client, big)
    assert response.status_code == 400
    assert "dépasse 5 Mo" in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.has_cv


def test_empty_upload_is_explained(client, candidate):
    response = client.post(UPLOAD, {})
    assert response.status_code == 400
    assert "Choisissez un fichier PDF." in response.content.decode()


def test_only_owner_and_administration_download(client, candidate):
    services.store_cv(candidate, SMALL_PDF)
    url = reverse("candidates:cv_download", kwargs={"pk": candidate.pk})
    other_candidate = make_profile().user
    prefet = make_user(Role.PREFET)  # Rhône: sees the candidate, not their CV
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    for user in (other_candidate, prefet, manager):
        client.logout()
        login(client, user)
        assert client.get(url).status_code == 404
        assert not can_download_cv(user, candidate)
    client.logout()
    admin = make_user(
        Role.ADMINISTRATEUR, organisation=make_organisation(OrganisationKind.ADMINISTRATION)
    )
    login(client, admin)
    assert client.get(url).content == SMALL_PDF
    assert can_download_cv(admin, candidate)


def test_candidate_deletes_their_cv(
    client, candidate, settings, django_capture_on_commit_callbacks
):
    services.store_cv(candidate, SMALL_PDF)
    path = settings.MEDIA_ROOT / candidate.cv_file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("candidates:cv_delete")).status_code == 200
        candidate.refresh_from_db()
        assert candidate.has_cv  # the one-click button only shows the confirmation page
        response = client.post(reverse("candidates:cv_delete"), {"confirm": "1"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert not candidate.has_cv and not path.exists()


def travel(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_cvs_are_purged_six_months_after_upload(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    start = datetime.datetime(2026, 2, 27, 10, 0, tzinfo=datetime.UTC)
    travel(monkeypatch, start)
    old, recent = make_profile(), make_profile()
    services.store_cv(old, SMALL_PDF)
    travel(monkeypatch, start + datetime.timedelta(days=30))
    services.store_cv(recent, SMALL_PDF)
    old_path = settings.MEDIA_ROOT / old.cv_file.name

    # One day short of six months: nothing goes.
    travel(monkeypatch, datetime.datetime(2026, 8, 26, 10, 0, tzinfo=datetime.UTC))
    assert services.purge_expired_cvs() == 0

    travel(monkeypatch, datetime.datetime(2026, 8, 27, 10, 0, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_cvs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.has_cv and old.cv_uploaded_at is None and not old_path.exists()
    assert recent.has_cv


def test_purge_task_runs_in_the_worker(monkeypatch, run_tasks):
    profile = make_profile()
    services.store_cv(profile, SMALL_PDF)
    travel(monkeypatch, timezone.now() + datetime.timedelta(days=200))
    purge_expired_cvs.enqueue()
    run_tasks()
    profile.refresh_from_db()
    assert not profile.has_cv


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 8, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 3, 15), datetime.date(2025, 9, 15)),
        (datetime.date(2028, 8, 30), datetime.date(2028, 2, 29)),
    ],
)
def test_months_ago(day, expected):
    assert services.months_ago(day, 6) == expected
