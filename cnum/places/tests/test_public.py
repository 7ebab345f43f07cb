"""The public side of places: conseillers on their places' pages, the orientation sheet, error
reports, the guided search, the embeddable map and its framing rules."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.places import hours as osm_hours
from cnum.places.enums import PriseEnCharge, Service
from cnum.places.models import PlaceReport
from cnum.places.services import set_conseiller_places
from cnum.places.testing import make_place
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db
LISTING = reverse("places:my_listing")


def tomorrow_only():
    """Hours open tomorrow morning only (Paris time): closed now, whatever the hour."""
    tomorrow = timezone.now().astimezone(osm_hours.PARIS) + datetime.timedelta(days=1)
    return f"{osm_hours.DAYS[tomorrow.weekday()]} 09:00-12:00"


@pytest.fixture
def manager():
    return make_user(Role.GESTIONNAIRE_STRUCTURE, email="gestion@structure.fr")


@pytest.fixture
def place(manager):
    structure = make_structure(manager=manager, status=Status.VALIDATION_COSELEC)
    return make_place(structure=structure, nom="Espace numérique des Pentes")


@pytest.fixture
def conseiller(place):
    user = make_user(Role.CONSEILLER, organisation=place.structure, first_name="Inès")
    set_conseiller_places(user, [], main=place)
    return user


# --- Conseillers on the map ---------------------------------------------------------------------


def test_conseiller_opts_in_then_out_and_the_page_follows_at_once(client, place, conseiller):
    page = reverse("places:detail", args=[place.pk])
    assert conseiller.last_name not in client.get(page).text  # off until they opt in

    login(client, conseiller)
    data = {
        "visible": "on",
        "phone": "04 72 00 00 00",
        "email": "ines@conseiller-numerique.fr",
        "booking_url": "https://rdv.exemple.fr/ines",
    }
    assert client.post(LISTING, data).status_code == 302
    client.logout()
    html = client.get(page).text
    assert f"Inès {conseiller.last_name}" in html
    assert "04 72 00 00 00" in html and "ines@conseiller-numerique.fr" in html
    assert "https://rdv.exemple.fr/ines" in html

    login(client, conseiller)
    client.post(LISTING, {**data, "visible": ""})
    client.logout()
    assert conseiller.last_name not in client.get(page).text


def test_only_conseillers_in_post_appear(client, place, conseiller):
    login(client, conseiller)
    client.post(LISTING, {"visible": "on", "phone": "04 72 00 00 00"})
    Membership.objects.filter(user=conseiller, role=Role.CONSEILLER).update(is_active=False)
    client.logout()
    assert conseiller.last_name not in client.get(reverse("places:detail", args=[place.pk])).text


def test_listing_form_explains_errors_in_french(client, conseiller):
    login(client, conseiller)
    response = client.post(LISTING, {"visible": "on", "phone": "=1+2", "booking_url": "rdv"})
    assert response.status_code == 400
    assert "Indiquez un numéro de téléphone français" in response.text
    assert "adresse web complète" in response.text


# --- The orientation sheet ----------------------------------------------------------------------


def test_sheet_is_mailed_with_hours_next_opening_services_and_directions(
    client, place, send_emails, mailoutbox
):
    place.horaires = tomorrow_only()
    place.save()
    url = reverse("places:send_sheet", args=[place.pk])
    with send_emails():
        response = client.post(url, {"email": "usager@exemple.fr", "note": "À bientôt !"})
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["usager@exemple.fr"]
    assert "Espace numérique des Pentes" in mail.subject
    assert place.adresse in mail.body and "À bientôt !" in mail.body
    assert "Ouvre demain à 9 h" in mail.body
    assert "Aide aux démarches administratives" in mail.body
    assert "openstreetmap.org" in mail.body and "Se présenter" in mail.body


def test_sheet_refuses_a_bad_address_and_is_rate_limited(client, place, send_emails, mailoutbox):
    url = reverse("places:send_sheet", args=[place.pk])
    response = client.post(url, {"email": "pas-une-adresse"})
    assert response.status_code == 400 and "adresse électronique valide" in response.text
    with send_emails():
        for _ in range(3):
            client.post(url, {"email": "usager@exemple.fr"})
        response = client.post(url, {"email": "usager@exemple.fr"})
    assert response.status_code == 429 and "Trop de demandes" in response.text
    assert len(mailoutbox) == 3  # per recipient


def test_robots_filling_the_trap_send_nothing(client, place, send_emails, mailoutbox):
    with send_emails():
        client.post(
            reverse("places:send_sheet", args=[place.pk]),
            {"email": "cible@exemple.fr", "site_internet": "http://spam.example"},
        )
        client.post(
            reverse("places:report", args=[place.pk]),
            {"kind": "autre", "details": "spam", "site_internet": "http://spam.example"},
        )
    assert mailoutbox == [] and not PlaceReport.objects.exists()


# --- Error reports --------------------------------------------------------------------------------


def test_report_reaches_managers_and_the_administration(client, place, send_emails, mailoutbox):
    url = reverse("places:report", args=[place.pk])
    with send_emails():
        response = client.post(
            url,
            {"kind": "horaires", "details": "Fermé le samedi.", "contact_email": "a@exemple.fr"},
        )
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["gestion@structure.fr"] and "Fermé le samedi." in mail.body

    admin = make_user(Role.ADMINISTRATEUR)
    login(client, admin)
    queue = client.get(reverse("places:reports")).text
    assert "Fermé le samedi." in queue and "a@exemple.fr" in queue
    report = PlaceReport.objects.get()
    handled = reverse("places:report_handled", args=[report.pk])
    assert client.get(handled).status_code == 405  # only a POST acts
    client.post(handled)
    assert "Fermé le samedi." not in client.get(reverse("places:reports")).text
    report.refresh_from_db()
    assert report.handled_by == admin


def test_report_form_errors_are_french_and_reports_are_rate_limited(client, place):
    url = reverse("places:report", args=[place.pk])
    response = client.post(url, {"kind": "", "details": "  "})
    assert response.status_code == 400
    assert "Choisissez ce qui est faux." in response.text
    assert "Décrivez l&#x27;erreur en quelques mots." in response.text
    for _ in range(4):
        client.post(url, {"kind": "autre", "details": "Erreur"})
    assert client.post(url, {"kind": "autre", "details": "Erreur"}).status_code == 429
    assert PlaceReport.objects.count() == 4


# --- Guided search and next opening --------------------------------------------------------------


def test_guided_search_by_need_day_and_accessibility(client, place):
    place.horaires = "We 14:00-17:00"
    place.prise_en_charge_specifique = [PriseEnCharge.HANDICAPS_MOTEURS]
    place.save()
    make_place(nom="Lieu du lundi", horaires="Mo 09:00-12:00", offset=(0.001, 0))
    url = reverse("places:guided_search")
    base = {"services": Service.DEMARCHES, "q": "69001", "quand": "jour"}
    wednesday = client.get(url, {**base, "jour": 2}).text
    assert "Espace numérique des Pentes" in wednesday and "Lieu du lundi" not in wednesday
    accessible = client.get(url, {**base, "quand": "", "prise_en_charge": "Handicaps moteurs"})
    assert "Lieu du lundi" not in accessible.text and "Espace numérique" in accessible.text
    missing_day = client.get(url, base)
    assert missing_day.status_code == 400
    assert "Choisissez le jour où vous souhaitez vous y rendre." in missing_day.text


def test_closed_places_show_their_next_opening(client, place):
    place.horaires = tomorrow_only()
    place.save()
    assert "Ouvre demain à 9 h" in client.get(reverse("places:detail", args=[place.pk])).text
    results = client.get(reverse("places:map"), {"q": "69001"}).text
    assert "Fermé — ouvre demain à 9 h" in results


# --- The embeddable map ---------------------------------------------------------------------------


def test_embed_may_be_framed_anywhere_the_map_may_not(client, place):
    embed = client.get(reverse("places:embed"), {"departement": "69"})
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    carte = client.get(reverse("places:map"))
    assert carte["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in carte["Content-Security-Policy"]


def test_embed_pre_filters_and_opens_places_in_a_new_tab(client, place):
    make_place(nom="Cyberbase de Marseille", commune="13055")
    make_place(nom="Atelier loisirs", services=[Service.LOISIRS], offset=(0.001, 0))
    url = reverse("places:embed")
    html = client.get(url, {"departement": "69", "service": Service.DEMARCHES}).text
    assert "Espace numérique des Pentes" in html
    assert "Cyberbase de Marseille" not in html and "Atelier loisirs" not in html
    assert 'target="_blank" rel="noopener"' in html
    assert "fr-header" not in html  # minimal chrome
    nearby = client.get(url, {"commune": "13055", "q": "69001"}).text
    assert "Cyberbase de Marseille" in nearby and "Espace numérique des Pentes" not in nearby
    wrong = client.get(url, {"departement": "999"})
    assert wrong.status_code == 400 and "Ce département n&#x27;existe pas." in wrong.text


def test_embed_help_builds_the_iframe_snippet(client):
    html = client.get(reverse("places:embed_help"), {"departement": "69", "commune": ""}).text
    assert "&lt;iframe src=&quot;" not in html  # the snippet is shown as text, quoted once
    assert '&lt;iframe src="http://' in html and "/carte/integration/?departement=69" in html
