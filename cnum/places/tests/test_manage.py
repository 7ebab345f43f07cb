"""Managers and conseillers manage their structure's places; conseillers pick their places."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.places.models import Place, PlaceConseiller
from cnum.places.testing import make_place
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db
CREATE = reverse("places:create")


@pytest.fixture
def manager():
    return make_user(Role.GESTIONNAIRE_STRUCTURE)


@pytest.fixture
def structure(manager):
    return make_structure(manager=manager)


@pytest.fixture
def conseiller(structure):
    return make_user(Role.CONSEILLER, organisation=structure)


def form_data(structure, **overrides):
    data = {
        "structure": structure.pk,
        "nom": "Espace numérique des Pentes",
        "pivot": structure.siret,
        "adresse": "12 rue d'Austerlitz",
        "commune": "Lyon 4e Arrondissement (69)",
        "telephone": "04 72 10 20 30",
        "courriels": "accueil@pentes.fr, mediation@pentes.fr",
        "site_web": "https://pentes.fr",
        "services": ["Aide aux démarches administratives", "Loisirs et créations numériques"],
        "modalites_acces": ["Se présenter"],
        "modalites_accompagnement": ["Accompagnement individuel", "Dans un atelier collectif"],
        "frais_a_charge": ["Gratuit"],
        "itinerance": ["Fixe"],
        "mo_matin_debut": "09:00",
        "mo_matin_fin": "12:00",
        "mo_apres_midi_debut": "14:00",
        "mo_apres_midi_fin": "17:30",
        "tu_matin_debut": "09:00",
        "tu_matin_fin": "12:00",
        "tu_apres_midi_debut": "14:00",
        "tu_apres_midi_fin": "17:30",
        "sa_matin_debut": "09:00",
        "sa_matin_fin": "12:00",
        "ferme_jours_feries": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_manager_creates_a_place_with_hours_per_day(client, manager, structure):
    login(client, manager)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, form_data(structure))
    assert response.status_code == 302
    place = Place.objects.get()
    assert place.horaires == "Mo-Tu 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off"
    assert place.commune_id == "69384" and place.code_postal == "69004"
    assert (place.latitude, place.longitude) == (
        round(place.commune.latitude, 6),
        round(place.commune.longitude, 6),
    )
    assert place.courriels == ["accueil@pentes.fr", "mediation@pentes.fr"]
    # Edit page shows the same hours back in the grid.
    html = client.get(reverse("places:edit", args=[place.pk])).content.decode()
    assert 'name="mo_apres_midi_fin" value="17:30"' in html
    assert 'name="sa_matin_debut" value="09:00"' in html


def test_osm_text_is_an_alternative_input(client, manager, structure):
    login(client, manager)
    data = form_data(structure, horaires_osm="Mo-Fr 08:00-12:00,13:00-15:00,16:00-18:00")
    data = {k: v for k, v in data.items() if k[:3] not in ("mo_", "tu_", "sa_")}
    assert client.post(CREATE, data).status_code == 302
    place = Place.objects.get()
    assert place.horaires == "Mo-Fr 08:00-12:00,13:00-15:00,16:00-18:00"
    # Three slots do not fit the grid: the edit form offers the OSM text instead.
    html = client.get(reverse("places:edit", args=[place.pk])).content.decode()
    assert 'value="Mo-Fr 08:00-12:00,13:00-15:00,16:00-18:00"' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"horaires_osm": "Jan-Mar 10:00-12:00"}, "n&#x27;est pas un jour"),
        (
            {"mo_matin_fin": None},
            "indiquez l&#x27;heure d&#x27;ouverture et l&#x27;heure de fermeture",
        ),
        ({"mo_matin_fin": "08:00"}, "l&#x27;heure de fermeture doit suivre"),
        ({"mo_apres_midi_debut": "11:00"}, "l&#x27;après-midi doit commencer"),
        ({"pivot": "12345678901234"}, "SIRET"),
        ({"telephone": "12"}, "numéro de téléphone"),
        ({"courriels": "pas-une-adresse"}, "adresse électronique"),
        ({"site_web": "javascript:alert(1)"}, "https://"),
        ({"adresse": "<script>"}, "ponctuation usuelle"),
        ({"code_postal": "75001"}, "a pour code postal : 69004"),
        ({"latitude": "48.85", "longitude": "2.35"}, "placez-le dans la commune"),
        ({"commune": "Nullepartville"}, "Aucune commune"),
        ({"services": ["Magie"]}, "choix valide"),
        ({"horaires_osm": "Mo 10:00-11:00"}, "pas les deux"),
    ],
)
def test_bad_input_gets_a_french_message_and_changes_nothing(
    client, manager, structure, overrides, message
):
    login(client, manager)
    response = client.post(CREATE, form_data(structure, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Place.objects.exists()


def test_pin_dragged_nearby_is_kept(client, manager, structure):
    login(client, manager)
    data = form_data(structure, latitude="45.7745", longitude="4.8278")
    assert client.post(CREATE, data).status_code == 302
    assert (Place.objects.get().latitude, Place.objects.get().longitude) == (45.7745, 4.8278)


def test_conseiller_manages_their_structure_places(client, conseiller, structure):
    login(client, conseiller)
    assert client.post(CREATE, form_data(structure)).status_code == 302
    place = Place.objects.get()
    response = client.post(
        reverse("places:edit", args=[place.pk]), form_data(structure, nom="Nouveau nom")
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.nom == "Nouveau nom" and place.structure == structure


def test_other_structures_places_are_404_and_untouched(client, manager, structure):
    other = make_place()
    login(client, manager)
    for name in ("places:edit", "places:delete"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
        assert client.post(reverse(name, args=[other.pk]), {}).status_code == 404
    assert Place.objects.filter(pk=other.pk).exists()
    # A foreign structure id in the form is refused.
    response = client.post(CREATE, form_data(other.structure))
    assert response.status_code == 400 and Place.objects.count() == 1


def test_manager_deletes_a_place(client, manager, structure):
    place = make_place(structure=structure)
    login(client, manager)
    assert client.get(reverse("places:delete", args=[place.pk])).status_code == 200
    assert client.post(reverse("places:delete", args=[place.pk])).status_code == 302
    assert not Place.objects.exists()


def test_list_has_a_fixed_query_budget(client, manager, structure, django_assert_max_num_queries):
    for _ in range(15):
        make_place(structure=structure)
    login(client, manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("places:manage"))
    assert response.content.decode().count("Modifier<span") == 15


def test_conseiller_picks_main_and_secondary_places(client, conseiller, structure):
    first, second, third = (make_place(structure=structure) for _ in range(3))
    elsewhere = make_place()
    login(client, conseiller)
    url = reverse("places:my_places")
    response = client.post(url, {"main": first.pk, "secondary": [second.pk, third.pk]})
    assert response.status_code == 302
    links = dict(PlaceConseiller.objects.values_list("place_id", "is_main"))
    assert links == {first.pk: True, second.pk: False, third.pk: False}
    # Switch the main place; a place of another structure is not a choice.
    client.post(url, {"main": second.pk, "secondary": [first.pk]})
    links = dict(PlaceConseiller.objects.values_list("place_id", "is_main"))
    assert links == {first.pk: False, second.pk: True}
    response = client.post(url, {"main": elsewhere.pk})
    assert response.status_code == 400
    # The place lists who works there.
    html = client.get(reverse("places:edit", args=[second.pk])).content.decode()
    assert conseiller.get_full_name() in html
    detail = client.get(reverse("places:detail", args=[second.pk])).content.decode()
    assert "1 conseiller numérique y travaille" in detail


def test_one_main_place_per_conseiller_in_the_database(conseiller, structure):
    first, second = make_place(structure=structure), make_place(structure=structure)
    PlaceConseiller.objects.create(conseiller=conseiller, place=first, is_main=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceConseiller.objects.create(conseiller=conseiller, place=second, is_main=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nom", '=HYPERLINK("https://exemple.fr";"CAF")'),
        ("adresse", "-2+3 rue de la Paix"),
        ("complement_adresse", "+1 étage"),
        ("presentation_resume", "@SOMME(A1:A9)"),
        ("presentation_detail", "\t=1+1"),
        ("autres_formations_labels", "Label régional\n=cmd!A0"),
    ],
)
def test_text_that_reads_as_a_formula_is_refused(client, manager, structure, field, value):
    login(client, manager)
    response = client.post(CREATE, form_data(structure, **{field: value}))
    assert response.status_code == 400
    assert "Le texte ne peut pas commencer par « = », « + », « - » ou « @ »" in (
        response.content.decode()
    )
    assert not Place.objects.exists()


def test_international_phone_numbers_stay_accepted(client, manager, structure):
    login(client, manager)
    response = client.post(CREATE, form_data(structure, telephone="+262 262 00 00 00"))
    assert response.status_code == 302
    assert Place.objects.get().telephone == "+262 262 00 00 00"
