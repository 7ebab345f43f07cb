import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.mandates import retention, services
from cnum.mandates.models import JournalEntry, Mandate, RetentionPolicy, Usager
from cnum.mandates.tests.factories import habilitated_structure, make_usager, validated_aidant
from cnum.mandates.verification import verify_journal

pytestmark = pytest.mark.django_db


@pytest.fixture
def aidant():
    structure = habilitated_structure()
    user = validated_aidant(structure, email="aidant@exemple.fr")
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    return user


def mandate_for(aidant, days=182, **usager):
    structure = aidant.memberships.get().organisation
    return services.create_mandate(
        aidant=aidant,
        usager=make_usager(structure, aidant, **usager),
        domains=["papiers"],
        duration_days=days,
        consent=True,
    )


def test_reminder_30_days_before_expiry_sent_once(
    aidant, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    soon = mandate_for(aidant)
    later = mandate_for(aidant)
    in_29_days = timezone.now() + datetime.timedelta(days=29)
    Mandate.objects.filter(pk=soon.pk).update(expires_at=in_29_days)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.send_expiry_reminders() == 1
        assert retention.send_expiry_reminders() == 0
    run_tasks()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["aidant@exemple.fr"]
    assert f"Mandat n° {soon.pk}" in mailoutbox[0].subject
    assert f"/aidants-connect/mandats/{soon.pk}/" in mailoutbox[0].body
    later.refresh_from_db()
    assert later.reminder_sent_at is None


def test_purge_by_retention_policy_keeps_the_journal(aidant, capsys):
    now = timezone.now()
    old = mandate_for(aidant, family_name="Ancien")
    recent = mandate_for(aidant, family_name="Récent")
    services.revoke_mandate(recent, aidant=aidant)
    Mandate.objects.filter(pk=old.pk).update(
        created_at=now - datetime.timedelta(days=900), expires_at=now - datetime.timedelta(days=800)
    )
    policy = RetentionPolicy.current()
    policy.days_after_end = 730
    policy.save()
    call_command("purge_mandates")
    assert "1 mandat(s) à supprimer" in capsys.readouterr().out
    assert Mandate.objects.filter(pk=old.pk).exists()
    call_command("purge_mandates", "--apply")
    assert not Mandate.objects.filter(pk=old.pk).exists()
    assert not Usager.objects.filter(family_name="Ancien").exists()
    assert Mandate.objects.filter(pk=recent.pk).exists()
    assert JournalEntry.objects.filter(mandate_id_ref=old.pk).exists()
    assert verify_journal().ok


def test_retention_is_bounded_to_ten_years_in_french(client):
    from html import unescape

    from django.urls import reverse

    from cnum.accounts.roles import Role
    from cnum.accounts.testing import login, make_user

    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("mandates:retention")
    for days in ("99999999999999", "3651"):
        response = client.post(url, {"days_after_end": days})
        assert response.status_code == 200
        page = unescape(response.content.decode())
        assert "au plus dix ans (3650 jours)" in page
        assert RetentionPolicy.current().days_after_end == 5 * 365
    client.post(url, {"days_after_end": "3650"})
    assert RetentionPolicy.current().days_after_end == 3650


def test_database_refuses_a_retention_beyond_ten_years():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    policy = RetentionPolicy.current()
    policy.days_after_end = 3651
    with pytest.raises(ValidationError):
        policy.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionPolicy.objects.filter(pk=policy.pk).update(days_after_end=4000)


def test_purge_survives_an_out_of_bounds_retention(aidant, caplog):
    now = timezone.now()
    ancient = mandate_for(aidant, family_name="Ancien")
    kept = mandate_for(aidant, family_name="Gardé")
    Mandate.objects.filter(pk=ancient.pk).update(
        created_at=now - datetime.timedelta(days=4100),
        expires_at=now - datetime.timedelta(days=4000),
    )
    Mandate.objects.filter(pk=kept.pk).update(
        created_at=now - datetime.timedelta(days=2100),
        expires_at=now - datetime.timedelta(days=2000),
    )
    # A value that could only come from before the bound (or a hand-edited database).
    broken = RetentionPolicy(pk=1, days_after_end=99999999999999)
    with caplog.at_level("ERROR", logger="cnum.mandates.retention"):
        assert retention.purge_ended_mandates(now, policy=broken) == 1
    assert list(Mandate.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "out of bounds" in caplog.text
