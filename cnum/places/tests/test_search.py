"""Nearest-first search (service and public /carte page): distances, filters, pages, budget."""

import datetime

import pytest
from django.urls import reverse

from cnum.places import services
from cnum.places.enums import Frais, Public, Service
from cnum.places.models import Place
from cnum.places.services import Origin, PlaceFilters, places_near
from cnum.places.testing import make_place
from cnum.territories.models import Commune

pytestmark = pytest.mark.django_db
MAP = reverse("places:map")


@pytest.fixture
def lyon_places():
    """Three places in and around Lyon, one in Villeurbanne, one far away in Marseille."""
    return {
        "centre": make_place(nom="Lieu du centre"),
        "est": make_place(nom="Lieu de l'est", offset=(0.0, 0.05)),
        "villeurbanne": make_place(nom="Lieu de Villeurbanne", commune="69266"),
        "marseille": make_place(nom="Lieu de Marseille", commune="13055"),
        "sans_service": make_place(nom="Bureau sans accueil", services=[], offset=(0.001, 0)),
    }


def names(page):
    return [item.place.nom for item in page.items]


def test_nearest_first_with_distances(lyon_places):
    lyon = Commune.objects.get(pk="69123")
    found = places_near(lyon)
    assert names(found)[:3] == ["Lieu du centre", "Lieu de Villeurbanne", "Lieu de l'est"]
    distances = [item.distance_km for item in found.items]
    assert distances == sorted(distances) and distances[0] < 0.01
    assert 3.5 < distances[2] < 4.5  # 0.05° of longitude at 45.76° N ≈ 3.9 km
    assert "Lieu de Marseille" in names(found)  # the ring widened to find enough places
    assert "Bureau sans accueil" not in names(found)  # no service: not on the map


def test_filters_combine_any_within_all_across(lyon_places):
    lyon = Commune.objects.get(pk="69123")
    est = lyon_places["est"]
    est.services = [Service.PARENTALITE]
    est.publics_specifiquement_adresses = [Public.FAMILLES]
    est.frais_a_charge = [Frais.PAYANT]
    est.save()
    wanted = frozenset({Service.PARENTALITE, Service.LOISIRS})
    assert names(places_near(lyon, filters=PlaceFilters(services=wanted))) == ["Lieu de l'est"]
    both = PlaceFilters(services=wanted, frais=frozenset({Frais.GRATUIT}))
    assert names(places_near(lyon, filters=both)) == []


def test_open_now_filter_reads_the_hours_in_paris_time(lyon_places):
    lyon = Commune.objects.get(pk="69123")
    lyon_places["centre"].horaires = "Sa 10:00-13:00"
    lyon_places["centre"].save()
    saturday = datetime.datetime(2026, 1, 10, 11, 30, tzinfo=datetime.UTC)  # 12:30 in Paris
    found = places_near(lyon, filters=PlaceFilters(open_at=saturday))
    assert names(found) == ["Lieu du centre"]  # the others close at noon on Saturdays
    assert (
        len(
            places_near(
                lyon, filters=PlaceFilters(open_at=saturday - datetime.timedelta(hours=1))
            ).items
        )
        == 4
    )
    sunday = saturday + datetime.timedelta(days=1)
    assert names(places_near(lyon, filters=PlaceFilters(open_at=sunday))) == []


def test_pages_follow_each_other(lyon_places):
    lyon = Commune.objects.get(pk="69123")
    first = places_near(lyon, limit=2)
    second = places_near(lyon, limit=2, offset=2)
    assert first.has_next and names(first) + names(second) == names(places_near(lyon))[:4]


def test_postal_code_and_points_are_origins_too(lyon_places):
    assert names(places_near((45.7640, 4.8357), max_km=5))[0] == "Lieu du centre"
    origin = Origin.of(Commune.objects.get(pk="13055"))
    assert names(places_near(origin, limit=1)) == ["Lieu de Marseille"]


def test_the_in_memory_index_answers_as_the_database_and_follows_every_write(lyon_places):
    lyon = Commune.objects.get(pk="69123")
    for n in range(12):
        make_place(
            nom=f"Lieu {n}",
            offset=(0.013 * n, -0.007 * n),
            services=[Service.values[n % len(Service.values)]],
        )
    public = Place.objects.public()
    for filters in (PlaceFilters(), PlaceFilters(services=frozenset(Service.values[:3]))):
        for offset in (0, 5):
            in_memory = places_near(lyon, limit=5, offset=offset, filters=filters)
            in_sql = places_near(lyon, limit=5, offset=offset, filters=filters, queryset=public)
            assert names(in_memory) == names(in_sql) and in_memory.has_next == in_sql.has_next
    make_place(nom="Nouveau lieu")  # saved after the index was built
    assert "Nouveau lieu" in names(places_near(lyon, limit=3))
    lyon_places["centre"].delete()
    assert "Lieu du centre" not in names(places_near(lyon))


def test_public_page_lists_nearest_places_without_javascript(client, lyon_places):
    response = client.get(MAP, {"q": "69001"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lieux les plus proches de Lyon 1er Arrondissement" in html
    assert html.index("Lieu du centre") < html.index("Lieu de Marseille")
    assert "à 0,0 km" in html or "à 0,1 km" in html or "km</p>" in html
    assert 'data-place-lat="45.' in html  # the map reads the same list, unlocalised


def test_public_page_filters_and_open_now(client, lyon_places):
    response = client.get(MAP, {"q": "Lyon (69)", "services": Service.PARENTALITE})
    assert "Aucun lieu ne correspond" in response.content.decode()
    response = client.get(MAP, {"q": "Lyon (69)", "services": Service.DEMARCHES, "ouvert": "on"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"q": "Nullepartville"}, "Aucune commune ne s&#x27;appelle"),
        ({"q": "00000"}, "Aucune commune n&#x27;a le code postal 00000"),
        ({"q": ""}, "Indiquez une commune"),
        ({"q": "Lyon (69)", "page": "9999"}, "précisez la recherche"),
        ({"q": "Lyon (69)", "page": "abc"}, "nombre entier"),
        ({"q": "Lyon (69)", "services": "Magie"}, "choix valide"),
    ],
)
def test_bad_searches_get_a_french_message(client, query, message):
    response = client.get(MAP, query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_postal_code_shared_by_communes_searches_from_their_centre(client, lyon_places):
    response = client.get(MAP, {"q": "05110"})  # two communes in two départements
    assert "code postal 05110" in response.content.decode()


def test_query_budget_is_fixed(client, lyon_places, django_assert_max_num_queries):
    for n in range(30):
        make_place(nom=f"Lieu supplémentaire {n}", offset=(0.001 * n, 0.0))
    with django_assert_max_num_queries(len(services.RADII_KM) + 6):
        response = client.get(MAP, {"q": "Lyon (69)", "ouvert": "on"})
    assert response.status_code == 200
    with django_assert_max_num_queries(len(services.RADII_KM) + 6):
        client.get(MAP, {"q": "69003", "page": "2"})


def test_place_page_shows_hours_access_and_open_data(client, lyon_places):
    place = lyon_places["centre"]
    response = client.get(reverse("places:detail", args=[place.pk]))
    html = response.content.decode()
    assert "de 9 h à 12 h et de 14 h à 17 h 30" in html and "Fermé les jours fériés" in html
    assert "Se présenter" in html and "Aide aux démarches administratives" in html
    assert "Ateliers à venir" in html
    assert "Ouvert en ce moment" in html or "Fermé en ce moment" in html


def test_place_without_service_says_it_receives_no_public(client, lyon_places):
    response = client.get(reverse("places:detail", args=[lyon_places["sans_service"].pk]))
    assert "Ce lieu n&#x27;accueille pas de public" in response.content.decode()


def test_workshops_extension_point(client, lyon_places):
    place = lyon_places["centre"]

    class Workshop:
        title = "Atelier courriel"
        starts_at = datetime.datetime(2030, 1, 7, 9, 0, tzinfo=datetime.UTC)
        url = ""

    def provider(for_place, now, limit):
        return [Workshop()] if for_place == place else []

    services.register_upcoming_workshops_provider(provider)
    try:
        html = client.get(reverse("places:detail", args=[place.pk])).content.decode()
    finally:
        services.UPCOMING_WORKSHOP_PROVIDERS.remove(provider)
    assert "Atelier courriel" in html


def test_map_page_allows_only_the_configured_tile_server(client, settings):
    settings.MAP_TILE_URL = "https://{s}.tuiles.exemple.fr/{z}/{x}/{y}.png"
    response = client.get(MAP)
    assert "https://*.tuiles.exemple.fr" in response["Content-Security-Policy"]
    assert (
        'data-tile-url="https://{s}.tuiles.exemple.fr/{z}/{x}/{y}.png"' in response.content.decode()
    )


def test_map_filters_use_the_standards_labels_with_accents(client):
    from html import unescape

    page = unescape(client.get(reverse("places:map")).content.decode())
    for label in (
        "Aide aux démarches administratives",
        "Utilisation sécurisée du numérique",
        "Déficience visuelle",
    ):
        assert f">{label}<" in page.replace("\n", "").replace("  ", ""), label
    for slug in ("Demarches", "Securite", "Deficience Visuelle"):
        assert f">{slug}<" not in page


def test_the_demo_has_no_tile_server_by_default(client, settings):
    """`make run` (DEBUG on) draws no background map unless MAP_TILE_URL is set: the list of
    places shows at once instead of waiting for an unreachable tile server."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items() if key != "MAP_TILE_URL"}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="cnum.settings")
    code = "from django.conf import settings; print(repr(settings.MAP_TILE_URL))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "''"
    settings.MAP_TILE_URL = ""
    response = client.get(MAP)
    assert 'data-tile-url=""' in response.content.decode()
