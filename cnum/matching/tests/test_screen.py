"""The candidates screen through the Django client: tabs, counts, ordering, filters, search,
pagination, query budget, scope."""

import datetime

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.candidates.models import PixLevel
from cnum.candidates.testing import make_profile
from cnum.matching import screen, services
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.matching.testing import accepted_contact
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def url(structure, **params):
    from urllib.parse import urlencode

    base = reverse("matching:candidates", kwargs={"pk": structure.pk})
    return f"{base}?{urlencode(params)}" if params else base


def names(response):
    return [row.profile.user.last_name for row in response.context["screen"].rows]


def person(last_name, **fields):
    return make_profile(make_user(Role.CANDIDAT, last_name=last_name), **fields)


def test_tabs_and_counts(manager_client, structure, manager):
    new = person("Nouveau")
    chosen = person("Choisi")
    refused = person("Refuse")
    services.preselect(structure, chosen, manager)
    services.not_retained(structure, refused, manager)
    far_away = person("Lointain", commune="13055")  # Marseille, found by manual search
    accepted_contact(structure, far_away, manager)  # outside their zone: with their consent
    services.preselect(structure, far_away, manager)

    response = manager_client.get(url(structure))
    assert response.status_code == 200
    counts = response.context["screen"].counts
    assert counts == {
        "nouvelles": 1,
        "preselectionnees": 2,
        "reportees": 0,
        "non-retenues": 1,
        "sans-suite": 0,
        "recrutements": 0,
        "en-poste": 0,
        "terminees": 0,
    }
    assert names(response) == [new.user.last_name]
    assert "Présélectionnées (2)" in response.content.decode()

    response = manager_client.get(url(structure, onglet="preselectionnees"))
    assert set(names(response)) == {"Choisi", "Lointain"}
    body = response.content.decode()
    assert body.count("Hors de la liste") == 1  # Marseille is not within 20 km of Lyon

    services.back_to_new(structure, refused, manager)
    response = manager_client.get(url(structure))
    assert set(names(response)) == {"Nouveau", "Refuse"}


def test_orderings(manager_client, structure):
    soon = datetime.date.today() + datetime.timedelta(days=3)
    person("Loin", commune="01262", availability_date=soon, pix_level=PixLevel.DEBUTANT)
    person("Proche", availability_date=soon + datetime.timedelta(days=30))
    person("Expert", commune="69029", availability_date=soon + datetime.timedelta(days=9),
           pix_level=PixLevel.AVANCE)  # fmt: skip
    assert names(manager_client.get(url(structure))) == ["Proche", "Expert", "Loin"]
    by_date = manager_client.get(url(structure, ordre="disponibilite"))
    assert names(by_date) == ["Loin", "Expert", "Proche"]
    assert names(manager_client.get(url(structure, ordre="pix"))) == ["Expert", "Loin", "Proche"]


def test_filters_and_name_search(manager_client, structure):
    person("Diplomee", has_diploma=True, diploma_name="Titre REMN")
    person("Ancien", is_former_conseiller=True, commune="01262")
    person("Pixeur", pix_level=PixLevel.INTERMEDIAIRE)
    person("Avec-CV", cv_file="cv/x.bin")
    assert names(manager_client.get(url(structure, diplome="on"))) == ["Diplomee"]
    assert names(manager_client.get(url(structure, ancien="on"))) == ["Ancien"]
    assert names(manager_client.get(url(structure, pix=2))) == ["Pixeur"]
    assert names(manager_client.get(url(structure, cv="on"))) == ["Avec-CV"]
    response = manager_client.get(url(structure, distance=10))
    assert "Ancien" not in names(response)  # Montluel is ~ 20 km away
    assert response.context["screen"].counts["nouvelles"] == 3
    assert names(manager_client.get(url(structure, q="pixe"))) == ["Pixeur"]
    assert names(manager_client.get(url(structure, q="100%_"))) == []


def test_bad_parameters_never_fail(manager_client, structure):
    person("Seul")
    for params in (
        {"page": "x"},
        {"page": "-3"},
        {"page": "999"},
        {"ordre": "drop table"},
        {"onglet": "inconnu"},
        {"pix": "9"},
        {"distance": "abc"},
        {"q": "x" * 500},
    ):
        response = manager_client.get(url(structure, **params))
        assert response.status_code == 200, params


def test_pagination_is_consistent(manager_client, structure):
    communes = ["69123", "69029", "69034", "69199", "01262", "69149"]
    for n in range(45):
        person(f"P{n:02d}", commune=communes[n % len(communes)], max_distance_km=40)
    seen = []
    for page in (1, 2, 3):
        response = manager_client.get(url(structure, page=page))
        seen += [row.profile.pk for row in response.context["screen"].rows]
        distances = [row.distance_km for row in response.context["screen"].rows]
        assert distances == sorted(distances)
    assert len(seen) == len(set(seen)) == 45
    assert response.context["screen"].page.num_pages == 3
    assert "Page précédente" in response.content.decode()


def test_fixed_query_budget(manager_client, structure, manager, django_assert_max_num_queries):
    def load(**params):
        with django_assert_max_num_queries(14):
            assert manager_client.get(url(structure, **params)).status_code == 200

    person("Premier")
    load()
    for n in range(30):
        profile = person(f"Autre{n}", commune="2A004" if n % 2 else "69029", max_distance_km=2000)
        if n % 5 == 0:
            services.preselect(structure, profile, manager)
    load()
    load(onglet="preselectionnees")
    load(ordre="pix", diplome="on", q="autre")


def test_structure_not_validated_gets_an_explanation(client, manager):
    make_profile()
    pending = make_structure(departement="69", manager=manager, status=Status.CREEE)
    login(client, manager)
    response = client.get(url(pending))
    assert response.status_code == 403
    assert "doit être validée par le comité de sélection" in response.content.decode()
    assert "screen" not in response.context


def test_another_structure_is_a_404(manager_client):
    other = make_structure(departement="69", status=Status.VALIDATION_COSELEC)
    assert manager_client.get(url(other)).status_code == 404


def test_suggestions_get_a_badge(manager_client, structure, monkeypatch):
    profile = person("Suggere")
    # The national allocation is another app's computation, plugged in at start-up.
    monkeypatch.setattr(screen, "SUGGESTION_SOURCES", [lambda s: {profile.pk}])
    response = manager_client.get(url(structure))
    assert "Suggéré par la répartition nationale" in response.content.decode()


def test_a_new_match_row_stays_in_new(structure, manager):
    profile = make_profile()
    services.preselect(structure, profile, manager)
    services.back_to_new(structure, profile, manager)
    assert Match.objects.get().status == S.NOUVELLE
    result = screen.build(structure)
    assert [row.profile.pk for row in result.rows] == [profile.pk]
    assert result.counts["nouvelles"] == 1
