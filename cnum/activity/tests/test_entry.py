"""The entry screen: type first, only what a typical record needs, « saisir un autre », and the
place of the directory a person is redirected to, found by search."""

import html
import re

import pytest
from django.urls import reverse

from cnum.accounts.testing import login
from cnum.activity import directory, services
from cnum.activity.models import Cra
from cnum.activity.policies import conseiller_places
from cnum.activity.testing import make_conseiller
from cnum.places.testing import make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def conseiller(client):
    user = make_conseiller()  # main place in Lyon
    login(client, user)
    return user


@pytest.fixture
def places():
    return {
        "near": make_place(nom="Médiathèque du centre", offset=(0.01, 0.0)),
        "far": make_place(nom="Médiathèque de Paris", commune="75056"),
        "closed": make_place(nom="Médiathèque sans public", services=[]),
        "other": make_place(nom="Maison France services", offset=(0.2, 0.0)),
    }


def text(response):
    return html.unescape(response.content.decode())


def minimal_post(response, **fields):
    """What the browser sends with the defaults of the page and the fields a user set."""
    initial = response.context["form"].initial
    data = {
        "type": initial["type"],
        "date": initial["date"].isoformat(),
        "duree": str(initial["duree"]),
        "type_lieu": initial["type_lieu"],
        "place": str(initial["place"]),
        # The three choices an anonymous individual record asks for (none is preselected).
        "genre": "non_communique",
        "tranche_age": "non_communique",
        "statut": "non_communique",
    }
    return {**data, **fields}


# --- Directory search -------------------------------------------------------------------------


def test_search_by_name_nearest_to_the_main_place_first(conseiller, places):
    origin = conseiller_places(conseiller).first()
    found = directory.search("médiathèque", origin)
    assert found == [places["near"], places["far"]]  # the place without public is left out


def test_search_by_commune_or_postal_code(conseiller, places):
    origin = conseiller_places(conseiller).first()
    assert directory.search("Paris", origin) == [places["far"]]
    assert places["far"] in directory.search(places["far"].code_postal, origin)
    assert directory.search("x", origin) == []  # too short to mean anything


def test_search_fragment_lists_places_as_radio_buttons(client, conseiller, places):
    url = reverse("activity:directory_search")
    response = client.get(url, {"orientation_recherche": "Médiathèque"})
    page = text(response)
    assert response.status_code == 200
    assert page.index("Médiathèque du centre — Lyon") < page.index("Médiathèque de Paris — Paris")
    assert f'value="{places["near"].pk}"' in page and 'type="radio"' in page
    assert "sans public" not in page
    assert "Aucun lieu de l'annuaire ne correspond" in text(
        client.get(url, {"orientation_recherche": "Introuvable"})
    )


def test_search_fragment_keeps_the_chosen_place(client, conseiller, places):
    url = reverse("activity:directory_search")
    chosen = places["other"].pk
    page = text(client.get(url, {"orientation_recherche": "Paris", "orientation_place": chosen}))
    assert re.search(rf'value="{chosen}"[^>]*checked', page)
    assert "Médiathèque de Paris" in page


def test_search_without_javascript_keeps_every_value(client, conseiller, places):
    start = client.get(reverse("activity:entry"))
    data = minimal_post(
        start,
        thematiques=["email", "sante"],
        notes="Rendez-vous à la CAF",
        oriente="on",
        orientation_kind="administration",
        orientation_recherche="Paris",
        chercher_lieu="1",
        duree="75",
    )
    response = client.post(reverse("activity:entry"), data)
    assert response.status_code == 200 and not Cra.objects.exists()
    page = text(response)
    assert "Médiathèque de Paris — Paris" in page
    assert "Rendez-vous à la CAF" in page and 'value="75"' in page
    assert re.search(r'value="sante"[^>]*checked', page)
    assert re.search(r'value="administration"[^>]*selected', page)
    assert "Ce champ est obligatoire" not in page  # nothing checked before saving


def test_the_chosen_place_is_saved_and_shown(client, conseiller, places):
    start = client.get(reverse("activity:entry"))
    data = minimal_post(
        start,
        thematiques=["email"],
        oriente="on",
        orientation_kind="administration",
        orientation_place=str(places["far"].pk),
    )
    assert client.post(reverse("activity:entry"), data).status_code == 302
    cra = Cra.objects.get()
    assert cra.orientation_place == places["far"]
    history = text(client.get(reverse("activity:history")))
    assert "vers Médiathèque de Paris, Paris" in history
    detail = text(client.get(reverse("activity:detail", kwargs={"pk": cra.pk})))
    assert "vers Médiathèque de Paris, Paris" in detail
    edit = text(client.get(reverse("activity:edit", kwargs={"pk": cra.pk})))
    assert re.search(rf'value="{places["far"].pk}"[^>]*checked', edit)


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("999999", "Ce lieu n'existe pas dans l'annuaire"),
        ("closed", "Ce lieu ne reçoit pas de public"),
        ("abc", "Saisissez un nombre entier"),
        ("99999999999999999999999", "Ce lieu n'existe pas dans l'annuaire"),
    ],
)
def test_a_wrong_place_gets_a_french_error(client, conseiller, places, place, message):
    start = client.get(reverse("activity:entry"))
    value = str(places[place].pk) if place in places else place
    data = minimal_post(
        start,
        thematiques=["email"],
        oriente="on",
        orientation_kind="administration",
        orientation_place=value,
        notes="à garder",
    )
    response = client.post(reverse("activity:entry"), data)
    assert response.status_code == 200
    page = text(response)
    assert message in page and "à garder" in page
    assert not Cra.objects.exists()


# --- Speed of the typical record ----------------------------------------------------------------


def test_type_comes_first_and_both_parts_are_labelled(client, conseiller):
    page = text(client.get(reverse("activity:entry")))
    form = page[page.index('id="cra-form"') :]
    positions = [form.index(f'name="{name}"') for name in ("type", "thematiques", "autonomie")]
    assert positions == sorted(positions)
    assert form.index('name="type"') < form.index('name="date"')
    assert "Individuel uniquement" in page and "Collectif uniquement" in page
    assert "activity/entry.js" in page
    assert "Enregistrer et saisir un autre" in page


def test_a_typical_record_needs_only_thematiques(client, conseiller):
    start = client.get(reverse("activity:entry"))
    data = minimal_post(start, thematiques=["navigation_sur_internet"], autonomie="autonome")
    assert client.post(reverse("activity:entry"), data).status_code == 302
    cra = Cra.objects.get()
    assert (cra.type, cra.date, cra.autonomie) == ("individuel", services.today(), "autonome")
    assert cra.place == conseiller_places(conseiller).first()
    assert (cra.participants_anonymes, cra.genre_non_communique, cra.age_non_communique) == (
        1,
        1,
        1,
    )
    # Without autonomie either.
    assert client.post(reverse("activity:entry"), {**data, "autonomie": ""}).status_code == 302


def test_the_server_still_checks_what_the_script_hides(client, conseiller):
    start = client.get(reverse("activity:entry"))
    data = minimal_post(start, thematiques=["email"], titre="Atelier")
    response = client.post(reverse("activity:entry"), data)
    assert "ne concernent que les ateliers collectifs" in text(response)
    assert not Cra.objects.exists()


def test_save_and_enter_another_keeps_type_place_and_duration(client, conseiller):
    start = client.get(reverse("activity:entry"))
    data = minimal_post(
        start,
        type="collectif",
        duree="120",
        titre="Atelier messagerie",
        thematiques=["email"],
        participants_anonymes="2",
        genre_non_communique="2",
        age_non_communique="2",
        statut_non_communique="2",
        saisir_un_autre="1",
    )
    response = client.post(reverse("activity:entry"), data)
    assert response.status_code == 302
    following = client.get(response["Location"])
    initial = following.context["form"].initial
    assert (initial["type"], initial["duree"]) == ("collectif", "120")
    assert str(initial["place"]) == data["place"]
    assert "Le compte rendu d'activité est enregistré" in text(following)
    assert not following.context["form"].initial.get("titre")


def test_save_and_enter_another_at_a_distance_keeps_no_place(client, conseiller):
    start = client.get(reverse("activity:entry"))
    data = minimal_post(
        start, type_lieu="a_distance", place="", thematiques=["email"], saisir_un_autre="1"
    )
    response = client.post(reverse("activity:entry"), data)
    initial = client.get(response["Location"]).context["form"].initial
    assert initial["type_lieu"] == "a_distance" and initial["place"] is None
    # The next record saves as it is shown.
    again = {**data, "duree": initial["duree"]}
    assert client.post(reverse("activity:entry"), again).status_code == 302
    assert Cra.objects.count() == 2


def test_an_anonymous_individual_record_starts_empty_and_requires_a_choice(client, conseiller):
    start = client.get(reverse("activity:entry"))
    page = text(start)
    for name in ("genre", "tranche_age", "statut"):
        select = page[page.index(f'name="{name}"') :]
        select = select[: select.index("</select>")]
        assert '<option value="" selected>Choisir…</option>' in select, name
    data = minimal_post(start, thematiques=["email"], genre="", tranche_age="", statut="")
    response = client.post(reverse("activity:entry"), data)
    assert response.status_code == 200
    assert "Choisissez le genre de la personne, ou « Non communiqué »." in text(response)
    assert not Cra.objects.exists()
    data.update(genre="feminin", tranche_age="soixante_dix_plus", statut="retraite")
    assert client.post(reverse("activity:entry"), data).status_code == 302
    assert Cra.objects.get().genre_feminin == 1
