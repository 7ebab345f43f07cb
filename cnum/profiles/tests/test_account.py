import re
from html import unescape

import pytest
from django.urls import reverse

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, login, make_user
from cnum.profiles import services
from cnum.profiles.models import ContactDetails, EmailChange

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


ACCOUNT = reverse("profiles:account")
CHANGE = reverse("profiles:email_change")


def link_in(message):
    return re.search(
        r"https://cnum\.exemple\.fr(/mon-compte/adresse/confirmer/\S+/)", message.body
    )[1]


def test_everyone_edits_name_phone_and_professional_contact(client):
    user = login(client, make_user(Role.PREFET, first_name="Cam", last_name="Martin"))
    response = client.post(
        ACCOUNT,
        {
            "first_name": "Camille",
            "last_name": "Martin-Roux",
            "phone": "06 12 34 56 78",
            "job_title": "Sous-préfète à la relance",
            "work_phone": "04 72 00 00 00",
        },
        follow=True,
    )
    assert "Vos informations sont enregistrées." in text(response)
    user.refresh_from_db()
    assert user.get_full_name() == "Camille Martin-Roux"
    details = ContactDetails.objects.get(user=user)
    assert (details.phone, details.job_title, details.work_phone) == (
        "0612345678",
        "Sous-préfète à la relance",
        "0472000000",
    )


def test_a_bad_phone_is_explained_and_nothing_is_lost(client):
    user = login(client, make_user(first_name="Alix"))
    response = client.post(
        ACCOUNT, {"first_name": "Alex", "last_name": "Durand", "phone": "12", "job_title": "Maire"}
    )
    html = text(response)
    assert "Saisissez un numéro de téléphone français valide" in html
    assert 'value="Maire"' in html and 'value="Alex"' in html
    user.refresh_from_db()
    assert user.first_name == "Alix"


def test_email_change_applies_only_once_the_new_address_confirms(client, send_emails, mailoutbox):
    user = login(client, make_user(Role.CONSEILLER, email="ancienne@exemple.fr"))
    with send_emails():
        response = client.post(CHANGE, {"email": "Nouvelle@Exemple.fr"})
    assert response.url == reverse("profiles:email_change_sent")
    user.refresh_from_db()
    assert user.email == "ancienne@exemple.fr"
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {"nouvelle@exemple.fr", "ancienne@exemple.fr"}
    assert "nouvelle@exemple.fr" in by_address["ancienne@exemple.fr"].body
    link = link_in(by_address["nouvelle@exemple.fr"])

    client.logout()
    page = client.get(link)  # a mail scanner opening the link changes nothing
    assert "Confirmer ma nouvelle adresse" in text(page)
    user.refresh_from_db()
    assert user.email == "ancienne@exemple.fr"
    mailoutbox.clear()
    with send_emails():
        client.post(link)
    user.refresh_from_db()
    assert user.email == "nouvelle@exemple.fr" and user.email_confirmed_at
    assert [m.to for m in mailoutbox] == [["ancienne@exemple.fr"]]
    assert "désormais nouvelle@exemple.fr" in mailoutbox[0].body
    logged = client.post(
        reverse("accounts:login"), {"username": "nouvelle@exemple.fr", "password": PASSWORD}
    )
    assert logged.status_code == 302

    # Single use: the same link again explains and changes nothing.
    again = client.post(link)
    assert "Lien invalide ou expiré" in text(again)


def test_the_link_expires(client, settings):
    user = make_user(email="avant@exemple.fr")
    change = services.request_email_change(user, "apres@exemple.fr")
    token = services.email_change_token(change)
    settings.EMAIL_CHANGE_LINK_HOURS = 0
    response = client.post(reverse("profiles:email_confirm", args=[token]))
    assert "Lien invalide ou expiré" in text(response)
    user.refresh_from_db()
    assert user.email == "avant@exemple.fr"


def test_a_newer_request_replaces_the_older_link(client):
    user = make_user(email="avant@exemple.fr")
    first = services.request_email_change(user, "premiere@exemple.fr")
    services.request_email_change(user, "seconde@exemple.fr")
    response = client.post(
        reverse("profiles:email_confirm", args=[services.email_change_token(first)])
    )
    assert "Lien invalide ou expiré" in text(response)
    user.refresh_from_db()
    assert user.email == "avant@exemple.fr"


def test_an_address_with_an_account_gets_a_notice_not_a_link(client, send_emails, mailoutbox):
    make_user(email="prise@exemple.fr")
    login(client, make_user(email="moi@exemple.fr"))
    with send_emails():
        response = client.post(CHANGE, {"email": "prise@exemple.fr"})
    assert response.status_code == 302  # the same answer: nothing revealed on the page
    taken = next(m for m in mailoutbox if m.to == ["prise@exemple.fr"])
    assert "déjà celle d'un compte" in taken.body and "/confirmer/" not in taken.body


def test_an_address_taken_meanwhile_is_refused_at_confirmation(client):
    user = make_user(email="avant@exemple.fr")
    change = services.request_email_change(user, "libre@exemple.fr")
    make_user(email="libre@exemple.fr")
    response = client.post(
        reverse("profiles:email_confirm", args=[services.email_change_token(change)])
    )
    assert "Un autre compte utilise déjà cette adresse" in text(response)
    user.refresh_from_db()
    assert user.email == "avant@exemple.fr"


def test_the_own_address_is_refused(client):
    login(client, make_user(email="moi@exemple.fr"))
    response = client.post(CHANGE, {"email": "MOI@exemple.fr"})
    assert "C'est déjà l'adresse de votre compte." in text(response)
    assert not EmailChange.objects.exists()


def test_a_link_for_an_address_changed_otherwise_is_dead(client):
    user = make_user(email="avant@exemple.fr")
    change = services.request_email_change(user, "apres@exemple.fr")
    User.objects.filter(pk=user.pk).update(email="autre@exemple.fr")
    response = client.get(
        reverse("profiles:email_confirm", args=[services.email_change_token(change)])
    )
    assert "Lien invalide ou expiré" in text(response)
