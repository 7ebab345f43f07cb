"""Referrals from sending to outcome: the signed link, consent, PDF pieces, reminders and
expiry on a given clock, anonymisation (docs/orientations.md)."""

import datetime
import html
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.activity.testing import make_conseiller
from cnum.candidates.testing import SMALL_PDF
from cnum.places.testing import make_place
from cnum.referrals import attachments, lifecycle, retention, services
from cnum.referrals.enums import Status
from cnum.referrals.models import Referral, ReferralReveal
from cnum.referrals.testing import make_referral
from cnum.referrals.transitions import RECEIVER_LINK
from cnum.workflow.engine import PLATFORM
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def text(response):
    return html.unescape(response.content.decode())


def link_of(message):
    return re.search(r"https?://\S+/orientations/reponse/\S+/", message.body).group(0)


def path_of(url):
    return url[url.index("/orientations/") :]


@pytest.fixture
def sent(send_emails, mailoutbox):
    with send_emails():
        referral = make_referral()
    return referral


def test_the_receiver_opens_the_mailed_link_and_accepts(client, sent, send_emails, mailoutbox):
    (mail,) = mailoutbox
    assert mail.to == ["accueil@lieu.fr"] and "30 jours" in mail.body
    assert "Sacha Lefebvre" not in mail.body  # personal data only behind the link
    page = client.get(path_of(link_of(mail)))
    assert "Sacha Lefebvre" in text(page) and "06 12 34 56 78" in text(page)
    assert ReferralReveal.objects.filter(referral=sent, via_link=True).exists()
    with send_emails():
        response = client.post(path_of(link_of(mail)), {"answer": "acceptee"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTEE and sent.ended_at is not None
    outcome = mailoutbox[-1]
    assert outcome.to == [sent.conseiller.email] and "acceptée" in outcome.subject
    labels = [log.label for log in TransitionLog.objects.for_object(sent)]
    assert labels[-1] == "Acceptée par le destinataire"
    # The link stays readable but answers no more.
    assert "n'attend plus de réponse" in text(client.get(path_of(link_of(mail))))


def test_a_refusal_needs_a_reason_and_the_conseiller_gets_it(client, sent, send_emails, mailoutbox):
    url = path_of(link_of(mailoutbox[0]))
    response = client.post(url, {"answer": "refusee"})
    assert "Indiquez le motif du refus" in text(response)
    assert Referral.objects.get().status == Status.ENVOYEE
    with send_emails():
        client.post(url, {"answer": "refusee", "reason": "hors_territoire"})
    assert Referral.objects.get().status == Status.REFUSEE
    assert "n'habite pas notre territoire" in mailoutbox[-1].body


def test_a_tampered_or_expired_link_changes_nothing(client, sent, mailoutbox):
    url = path_of(link_of(mailoutbox[0]))
    tampered = url.replace("/reponse/", "/reponse/x")
    response = client.post(tampered, {"answer": "acceptee"})
    assert response.status_code == 200 and "Ce lien n'est pas valide" in text(response)
    with override_settings(REFERRAL_EXPIRY_DAYS=-1):
        response = client.post(url, {"answer": "acceptee"})
    assert "Ce lien a expiré" in text(response) and "Rien n'a été modifié" in text(response)
    assert Referral.objects.get().status == Status.ENVOYEE


def test_resend_replaces_the_link(client, sent, send_emails, mailoutbox):
    old = path_of(link_of(mailoutbox[0]))
    with send_emails():
        services.resend(sent, sent.conseiller)
    assert "remplacé par un envoi plus récent" in text(client.get(old))
    assert "Sacha Lefebvre" in text(client.get(path_of(link_of(mailoutbox[-1]))))


def test_contact_details_need_consent(client):
    conseiller = make_conseiller()
    with pytest.raises(services.ReferralError, match="Sans l'accord de la personne"):
        make_referral(conseiller, consent=False)
    login(client, conseiller)
    place = make_place()
    response = client.post(
        reverse("referrals:create"),
        {
            "destinataire": f"lieu-{place.pk}",
            "receiver_kind": "aide_sociale",
            "themes": ["email"],
            "contact_name": "Sacha Lefebvre",
        },
    )
    assert response.status_code == 200
    assert "Sans l'accord de la personne, ses coordonnées ne peuvent pas" in text(response)
    assert not Referral.objects.exists()


def test_pieces_are_pdf_by_content_capped_and_encrypted():
    with pytest.raises(attachments.InvalidAttachment, match="n'est pas un PDF"):
        attachments.check_pdf("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with pytest.raises(attachments.InvalidAttachment, match="dépasse 5 Mo"):
        attachments.check_pdf("gros.pdf", SMALL_PDF + b"0" * attachments.MAX_BYTES)
    referral = make_referral(files=[("bilan.pdf", SMALL_PDF)])
    piece = referral.attachments.get()
    with piece.file.open("rb") as stored:
        assert b"%PDF" not in stored.read()
    assert attachments.read(piece) == SMALL_PDF


def test_one_reminder_at_ten_days_then_expiry_at_thirty(sent, send_emails, mailoutbox):
    start = sent.sent_at
    with send_emails():
        assert lifecycle.run_daily(start + 9 * DAY) == (0, 0)
        assert lifecycle.run_daily(start + 10 * DAY) == (0, 1)
        assert lifecycle.run_daily(start + 11 * DAY) == (0, 0)  # one reminder only
    assert [m.subject for m in mailoutbox[1:]] == ["Rappel : une orientation attend votre réponse"]
    with send_emails():
        assert lifecycle.run_daily(start + 29 * DAY) == (0, 0)
        assert lifecycle.run_daily(start + 30 * DAY) == (1, 0)
        assert lifecycle.run_daily(start + 31 * DAY) == (0, 0)
    sent.refresh_from_db()
    assert sent.status == Status.EXPIREE
    assert mailoutbox[-1].to == [sent.conseiller.email] and "expiré" in mailoutbox[-1].subject
    # Resent: waiting again, a new delay, a new reminder to come.
    services.resend(sent, sent.conseiller)
    sent.refresh_from_db()
    assert (sent.status, sent.reminded_at, sent.ended_at) == (Status.ENVOYEE, None, None)


def test_only_the_workflow_moves_it_and_only_the_right_actor(sent):
    other = make_user(Role.CONSEILLER)
    with pytest.raises(PermissionDenied):
        services.close(sent, other)
    with pytest.raises(PermissionDenied):
        services.answer(sent, other, Status.ACCEPTEE)
    with pytest.raises(PermissionDenied):
        services.answer(sent, PLATFORM, Status.ACCEPTEE)
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    manager.memberships.update(organisation=sent.receiving_structure)
    services.answer(sent, manager, Status.DEJA_PRISE_EN_CHARGE)
    assert Referral.objects.get().status == Status.DEJA_PRISE_EN_CHARGE


def test_personal_data_is_erased_a_year_after_the_end(sent, django_capture_on_commit_callbacks):
    piece = attachments.store(sent, "bilan.pdf", SMALL_PDF)
    services.answer(sent, RECEIVER_LINK, Status.ACCEPTEE)
    sent.refresh_from_db()
    assert retention.anonymise_due(sent.ended_at + 364 * DAY) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.anonymise_due(sent.ended_at + 366 * DAY) == 1
    sent.refresh_from_db()
    assert (sent.contact_name, sent.contact_phone, sent.already_done) == ("", "", "")
    assert sent.anonymised_at is not None and not sent.attachments.exists()
    assert not piece.file.storage.exists(piece.file.name)
    assert sent.status == Status.ACCEPTEE  # still counted
    assert retention.anonymise_due(timezone.now() + 800 * DAY) == 0
