from types import SimpleNamespace

import pytest
from django.urls import reverse

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.communication import mailings
from cnum.communication.models import (
    Delivery,
    DeliveryOutcome,
    Mailing,
    MailingKind,
    MailingStatus,
)
from cnum.communication.testing import make_admin, make_mailing
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def prefet(departement=None, region=None):
    organisation = make_organisation(
        OrganisationKind.PREFECTURE, departement=departement, region=region
    )
    return make_user(Role.PREFET, organisation=organisation)


def send(client, admin, mailing, send_emails):
    with send_emails():
        return client.post(
            reverse("communication:mailing_send", args=[mailing.pk]), {"confirm": "1"}
        )


def test_a_mailing_to_the_prefets_of_one_region_reaches_exactly_them(
    client, send_emails, mailoutbox
):
    regional = prefet(region="84")  # Auvergne-Rhône-Alpes
    rhone = prefet(departement="69")
    prefet(departement="75")  # Île-de-France: outside
    make_user(Role.CONSEILLER)  # in the Rhône, but not a préfet
    admin = login(client, make_admin())
    mailing = make_mailing(roles=[Role.PREFET], regions=["84"], created_by=admin)

    send(client, admin, mailing, send_emails)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([regional.email, rhone.email])
    assert all(m.subject == mailing.subject for m in mailoutbox)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.ENVOYE
    assert set(mailing.deliveries.values_list("outcome", flat=True)) == {DeliveryOutcome.SENT}
    page = client.get(reverse("communication:mailing_detail", args=[mailing.pk]))
    assert "envoyés : 2" in page.content.decode()


def test_the_preview_shows_the_mail_and_the_exact_recipient_count(client):
    prefet(departement="69")
    prefet(departement="69")
    prefet(departement="13")
    login(client, make_admin())
    mailing = make_mailing(roles=[Role.PREFET], departements=["69"], body="Réunion le 12 mars.")

    page = client.get(reverse("communication:mailing_detail", args=[mailing.pk])).content.decode()

    assert "2 destinataires" in page
    assert "Réunion le 12 mars." in page
    assert "Pour ne plus recevoir les messages d&#x27;information" in page


def test_writing_a_mailing_then_sending_it_only_once(client, send_emails, mailoutbox):
    target = prefet(departement="69")
    admin = login(client, make_admin())
    response = client.post(
        reverse("communication:mailing_create"),
        {
            "subject": "Comité de juin",
            "body": "Bonjour,\nle comité se tient le 3 juin.",
            "kind": MailingKind.OBLIGATOIRE,
            "roles": [Role.PREFET],
            "departements": ["69"],
        },
    )
    mailing = Mailing.objects.get(subject="Comité de juin")
    assert response.url == reverse("communication:mailing_detail", args=[mailing.pk])

    send(client, admin, mailing, send_emails)
    second = send(client, admin, mailing, send_emails)

    assert [m.to for m in mailoutbox] == [[target.email]]
    assert "ne se désabonne" not in mailoutbox[0].body
    assert "Ce message obligatoire" in mailoutbox[0].body
    assert "déjà été envoyé" in client.get(second.url).content.decode()


def test_a_form_error_is_in_french_and_keeps_what_was_typed(client):
    login(client, make_admin())
    response = client.post(
        reverse("communication:mailing_create"),
        {"subject": "Sans rôle", "body": "Texte conservé", "kind": MailingKind.INFORMATION},
    )
    page = response.content.decode()
    assert "Choisissez au moins un rôle." in page
    assert "Texte conservé" in page


def test_no_recipient_means_no_send(client, send_emails, mailoutbox):
    admin = login(client, make_admin())
    mailing = make_mailing(roles=[Role.PREFET], departements=["971"], created_by=admin)
    response = send(client, admin, mailing, send_emails)
    assert "Aucun destinataire" in client.get(response.url).content.decode()
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.BROUILLON and not mailoutbox


def test_nothing_is_sent_twice_when_the_worker_restarts_mid_batch(
    monkeypatch, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    monkeypatch.setattr(mailings, "BATCH_SIZE", 2)
    users = [prefet(departement="69") for _ in range(5)]
    mailing = make_mailing(roles=[Role.PREFET], departements=["69"])
    with django_capture_on_commit_callbacks(execute=True):
        mailings.start(mailing, mailing.created_by)  # queues the first batch
    # A first worker claims a batch, sends one mail and dies before the second.
    claimed = mailings._claim(mailing.pk)
    first = Delivery.objects.select_related("user").get(pk=claimed[0])
    mailings._send_one(mailing, first)

    run_tasks()  # the restarted worker runs the queued batch, which queues the next ones
    mailings.send_batch.call(mailing.pk)  # and a stray retry of the task
    mailings.resume_sending()
    run_tasks()

    sent_to = [m.to[0] for m in mailoutbox]
    assert len(sent_to) == len(set(sent_to)) == 4
    lost = Delivery.objects.get(pk=claimed[1])
    assert lost.outcome == DeliveryOutcome.SENDING and lost.email not in sent_to
    assert set(sent_to) == {u.email for u in users} - {lost.email}
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.ENVOYE


def test_a_refused_address_is_recorded_and_the_others_still_go(
    monkeypatch, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    good, bad = prefet(departement="69"), prefet(departement="69")
    real_call = mailings.send_email.call

    def smtp(subject, body, to, headers=None):
        if to == [bad.email]:
            raise OSError("550 boîte inconnue")
        return real_call(subject, body, to, headers=headers)

    monkeypatch.setattr(mailings, "send_email", SimpleNamespace(call=smtp))
    mailing = make_mailing(roles=[Role.PREFET], departements=["69"])
    with django_capture_on_commit_callbacks(execute=True):
        mailings.start(mailing, mailing.created_by)
    run_tasks()

    assert [m.to for m in mailoutbox] == [[good.email]]
    failed = Delivery.objects.get(user=bad)
    assert failed.outcome == DeliveryOutcome.FAILED and "550" in failed.error


def test_unsubscribing_stops_information_but_not_obligatory_mailings(
    client, send_emails, mailoutbox
):
    user = prefet(departement="69")
    admin = make_admin()
    login(client, admin)
    send(client, admin, make_mailing(roles=[Role.PREFET], created_by=admin), send_emails)
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/communication/desabonnement/" in line)
    assert mailoutbox[0].extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link[link.index("/communication/") :]

    client.logout()
    assert "Me désabonner" in client.get(path).content.decode()
    assert "ne recevra plus" in client.post(path).content.decode()
    assert user.communication_preference.unsubscribed_at is not None

    login(client, admin)
    mailoutbox.clear()
    information = make_mailing(roles=[Role.PREFET], created_by=admin)
    other = prefet(departement="13")
    send(client, admin, information, send_emails)
    assert [m.to for m in mailoutbox] == [[other.email]]
    mailoutbox.clear()
    obligatory = make_mailing(roles=[Role.PREFET], kind=MailingKind.OBLIGATOIRE, created_by=admin)
    send(client, admin, obligatory, send_emails)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([user.email, other.email])


def test_a_forged_unsubscribe_link_changes_nothing(client):
    user = prefet(departement="69")
    token = mailings.unsubscribe_token(user)[:-2] + "xx"
    page = client.post(reverse("communication:unsubscribe", args=[token])).content.decode()
    assert "n'est pas valable" in page
    assert not hasattr(user, "communication_preference") or (
        user.communication_preference.unsubscribed_at is None
    )


def test_preferences_page_resubscribes(client):
    user = login(client, make_user(Role.CONSEILLER))
    client.post(reverse("communication:preferences"), {"information": "0"})
    user.refresh_from_db()
    assert user.communication_preference.unsubscribed_at is not None
    client.post(reverse("communication:preferences"), {"information": "1"})
    user.communication_preference.refresh_from_db()
    assert user.communication_preference.unsubscribed_at is None


def test_targeting_by_network_and_by_coordinator_team():
    from cnum.stats.models import Coordination
    from cnum.structures.models import Network

    la_poste = Network.objects.create(name="La Poste", slug="la-poste")
    emmaus = Network.objects.create(name="Emmaüs Connect", slug="emmaus-connect")
    poste = make_structure(departement="69", network=la_poste)
    other = make_structure(departement="69", network=emmaus)
    in_network = make_user(Role.CONSEILLER, organisation=poste)
    make_user(Role.CONSEILLER, organisation=other)
    mailing = make_mailing(roles=[Role.CONSEILLER])
    mailing.networks.set([la_poste])
    assert list(mailings.targeting.recipients(mailing)) == [in_network]

    coordinator = make_user(Role.COORDINATEUR, organisation=poste)
    teammate = make_user(Role.CONSEILLER, organisation=other)
    Coordination.objects.create(coordinator=coordinator, conseiller=teammate)
    team = make_mailing(roles=[Role.CONSEILLER], team_coordinator=coordinator)
    assert list(mailings.targeting.recipients(team)) == [teammate]


def test_national_roles_are_left_out_of_a_territorial_target():
    national = make_organisation(OrganisationKind.ADMINISTRATION, departement=None)
    admin = make_user(Role.ADMINISTRATEUR, organisation=national)
    everywhere = make_mailing(roles=[Role.ADMINISTRATEUR], created_by=admin)
    assert admin in mailings.targeting.recipients(everywhere)
    local = make_mailing(roles=[Role.ADMINISTRATEUR], departements=["69"], created_by=admin)
    assert admin not in mailings.targeting.recipients(local)
