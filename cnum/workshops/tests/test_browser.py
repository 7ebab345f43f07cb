"""A workshop's life in a real browser, axe on every page visited with JavaScript: the
conseillère schedules it at her place; a person finds it from the map of places and registers;
once it is held, the conseillère marks attendance and records the pre-filled collective CRA."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cnum.activity.tests.test_browser import (
    PLACE,
    choice,
    history_row,
    log_in,
    make_conseiller_at_place,
    offline,
    tick,
)
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.places.models import Place
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.workshops.models import Workshop
from cnum.workshops.testing import make_workshop

pytestmark = BROWSER_TEST
TITLE = "Premiers pas sur internet"


@pytest.fixture
def local_tiles(settings, live_server):
    # Tiles from the live server itself (any image will do): the map draws without the network.
    tile = f"{live_server.url}/static/places/leaflet/images/layers.png"
    settings.MAP_TILE_URL = tile + "?{z}/{x}/{y}"


def visit(page, url):
    page.goto(url)
    assert_accessible(page)


def schedule_workshop(page, live_server, day):
    visit(page, f"{live_server.url}/ateliers/mes-ateliers/")
    page.get_by_role("link", name="Programmer un atelier").click()
    expect(page.get_by_role("heading", name="Nouvel atelier", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Titre", exact=True).fill(TITLE)
    tick(page, choice(page, "checkbox", "E-mail"))
    tick(page, choice(page, "radio", "Débutant"))
    page.get_by_label("Lieu").select_option(label=f"{PLACE} — Lyon")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Nombre de places").fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(f"L'atelier « {TITLE} » est programmé.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(f"{PLACE}, Lyon")
    expect(row).to_contain_text("0 / 2")
    assert_accessible(page)


def find_from_the_map_and_register(page, live_server, name, email):
    visit(page, f"{live_server.url}/carte/")
    page.get_by_role("combobox", name="Commune ou code postal").press_sequentially("lyon", delay=30)
    page.get_by_role("option", name="Lyon").first.click()
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Lieux les plus proches de Lyon (69)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=PLACE).click()
    expect(page.get_by_role("heading", name=PLACE, level=1)).to_be_visible()
    upcoming = page.get_by_role("region", name="Ateliers à venir")
    expect(upcoming).to_contain_text(TITLE)
    assert_accessible(page)
    upcoming.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("2 places disponibles.")).to_be_visible()
    assert_accessible(page)
    register(page, live_server, name, email)
    assert_accessible(page)


def register(page, live_server, name, email):
    """Ask for a seat, then confirm from the link mailed to `email` (the seat is taken then)."""
    page.get_by_label("Nom et prénom").fill(name)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_role("button", name="M'inscrire").click()
    expect(
        page.get_by_text("Un courriel vient d'être envoyé à l'adresse indiquée.")
    ).to_be_visible()
    page.goto(mailed_link(live_server, email, "Confirmez votre inscription"))
    expect(page.get_by_role("heading", name="Confirmer votre inscription", level=1)).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_text("Votre inscription est confirmée")).to_be_visible()
    expect(page.get_by_role("heading", name="Votre inscription", level=1)).to_be_visible()
    expect(page.get_by_text(f"vous êtes inscrit à l'atelier « {TITLE} »")).to_be_visible()


def mailed_link(live_server, email, subject):
    """The e-mails leave through the task queue: run it, then read the link of the outbox's
    message to `email` whose subject starts with `subject`."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [message] = [m for m in mail.outbox if m.to == [email] and m.subject.startswith(subject)]
    assert TITLE in message.subject
    path = re.search(r"https?://[^/\s]+(/ateliers/inscription/\S+/)", message.body)[1]
    return live_server.url + path


def cancellation_link(live_server, email):
    return mailed_link(live_server, email, "Inscription confirmée")


def mark_attendance_and_record(page, live_server, name, held_on):
    visit(page, f"{live_server.url}/ateliers/mes-ateliers/")
    page.get_by_role("table", name="Derniers ateliers passés").get_by_role(
        "link", name=TITLE
    ).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("1 inscrit pour 2 places")).to_be_visible()
    assert_accessible(page)
    tick(page, page.get_by_role("checkbox", name=name))
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Les présences sont enregistrées.")).to_be_visible()
    expect(page.get_by_text("1 personne présente")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Saisir le compte rendu de l'atelier").click()
    expect(page.get_by_role("radio", name="Collectif", exact=True)).to_be_checked()
    expect(page.get_by_label("Titre de l'atelier")).to_have_value(TITLE)
    expect(page.get_by_label("Date", exact=True)).to_have_value(held_on.isoformat())
    expect(page.get_by_label("Durée (minutes)")).to_have_value("90")
    expect(page.get_by_label("Participants anonymes")).to_have_value("1")
    expect(choice(page, "checkbox", "E-mail")).to_be_checked()
    expect(page.get_by_label("Niveau").locator("option:checked")).to_have_text("Débutant")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Le compte rendu d'activité est enregistré.")).to_be_visible()

    page.get_by_role("link", name="Historique").click()
    row = history_row(page, TITLE)
    expect(row).to_contain_text("Collectif")
    expect(row).to_contain_text(held_on.strftime("%d/%m/%Y"))
    expect(row).to_contain_text("1 anonyme")
    assert_accessible(page)


def public_conseiller_at_place():
    """The conseillère of make_conseiller_at_place, whose structure is validated: its places
    are public (on the map, with their workshops)."""
    conseiller = make_conseiller_at_place()
    Structure.objects.update(status=Status.VALIDATION_COSELEC)
    return conseiller


def test_a_workshop_from_scheduling_to_its_activity_record(page, live_server, local_tiles):
    public_conseiller_at_place()
    offline(page, live_server)
    log_in(page, live_server)
    schedule_workshop(page, live_server, timezone.localdate() + datetime.timedelta(days=3))
    page.get_by_role("button", name="Se déconnecter").click()

    find_from_the_map_and_register(page, live_server, "Ana Lopez", "ana@exemple.fr")
    visit(page, cancellation_link(live_server, "ana@exemple.fr"))
    expect(page.get_by_role("button", name="Annuler mon inscription")).to_be_visible()
    visit(page, f"{live_server.url}/ateliers/?q=69001")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    # The workshop is held: two hours ago.
    starts_at = timezone.now() - datetime.timedelta(hours=2)
    Workshop.objects.filter(title=TITLE).update(starts_at=starts_at)
    log_in(page, live_server)
    mark_attendance_and_record(page, live_server, "Ana Lopez", timezone.localdate(starts_at))


def test_without_javascript_the_list_of_places_leads_to_registration(page_without_js, live_server):
    conseiller = public_conseiller_at_place()
    place = Place.objects.get(nom=PLACE)
    make_workshop(conseiller=conseiller, place=place, title=TITLE, capacity=2)
    page = page_without_js
    offline(page, live_server)
    page.goto(f"{live_server.url}/carte/")
    page.get_by_label("Commune ou code postal").fill("69001")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#carte-lieux")).to_be_hidden()
    page.get_by_role("link", name=PLACE).click()
    page.get_by_role("region", name="Ateliers à venir").get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("2 places disponibles.")).to_be_visible()
    register(page, live_server, "Bo Martin", "bo@exemple.fr")
    assert cancellation_link(live_server, "bo@exemple.fr") == page.url
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée")).to_be_visible()
    # axe needs JavaScript: the same pages were checked with it in the journey above.
