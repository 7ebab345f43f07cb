"""What each audience's dashboard shows: every indicator, its table and shares, drill-down."""

import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from cnum.accounts.testing import login
from cnum.stats.charts import Chart, choropleth
from cnum.stats.dashboard import month_label
from cnum.stats.measures import BREAKDOWNS
from cnum.stats.tests.dashboard_data import make_world


@pytest.fixture
def world(db):
    return make_world()


def text(response):
    """The page as a reader gets it: tags removed, entities decoded, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|title)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def card(page, label):
    """The value shown on the headline card `label`."""
    match = re.search(r"([\d\u202f\xa0 ,—]+) " + re.escape(label), page)
    assert match, label
    return match[1].strip()


def test_a_conseiller_sees_every_indicator_of_their_own_activity(client, world):
    login(client, world.conseillers["c1"])
    response = client.get("/statistiques/")
    assert response.status_code == 200
    page = text(response)
    assert "Votre activité" in page
    # c1: three individual records of an hour and a workshop of two hours with 5 people.
    assert card(page, "Personnes accompagnées") == "8"
    assert card(page, "Accompagnements individuels") == "3"
    assert card(page, "Ateliers collectifs") == "1"
    assert card(page, "Participants aux ateliers") == "5"
    assert card(page, "Participants anonymes") == "8"
    assert card(page, "Participations de bénéficiaires suivis") == "0"
    assert card(page, "Nouveaux bénéficiaires suivis") == "0"
    assert card(page, "Heures d'accompagnement") == "5,0"
    assert card(page, "Conseillers actifs") == "1"
    assert card(page, "CRA enregistrés") == "4"
    for breakdown in BREAKDOWNS:
        assert f"{breakdown.label} " in page, breakdown.label
    # Shares of a partition add up to 100 %; genre: 3 not communicated, 5 women of 8.
    assert "Genre (en personnes) Genre Personnes Part Masculin 0 0,0 %" in page
    assert "Féminin 5 62,5 % Non communiqué 3 37,5 % Total 8 100,0 %" in page
    assert "Individuel 3 75,0 % Collectif 1 25,0 % Total 4 100,0 %" in page
    # Multi-valued lists give each value's share of the records and say so.
    assert "E-mail 4 100,0 %" in page
    assert "les parts ne s'additionnent pas à 100 %" in page
    this_month = timezone.localdate().replace(day=1)
    assert f"{month_label(this_month)} 8 4" in page  # accompaniments, then records
    assert "Lieux les plus fréquentés" in page and "Lyon (69123) 8" in page
    assert "Comparaisons" not in page  # nobody to compare a conseiller with


def test_charts_come_with_their_data_for_the_script(client, world):
    login(client, world.conseillers["c1"])
    html = client.get("/statistiques/").content.decode()
    assert '<script id="graphique-genre-donnees" type="application/json">' in html
    assert 'data-cnum-chart="graphique-genre-donnees" hidden' in html  # shown by the script
    assert "stats/chartjs/chart.umd.min.js" in html and "stats/charts.js" in html
    assert re.search(r'<script src="[^"]*charts\.js" nonce="[^"]+">', html)


def test_a_structure_sees_its_conseillers_and_drills_down(client, world):
    login(client, world.managers["A"])
    page = text(client.get("/statistiques/"))
    assert card(page, "Personnes accompagnées") == "9"
    assert card(page, "Conseillers actifs") == "2"
    c1, c2 = world.conseillers["c1"], world.conseillers["c2"]
    # Conseillers compared, largest first, shares adding up to 100.
    assert "Par conseiller Conseiller CRA Personnes accompagnées Heures Part des personnes " in page
    assert f"{c1.get_full_name()} 4 8 5,0 88,9 % {c2.get_full_name()} 1 1 0,5 11,1 %" in page
    html = client.get("/statistiques/").content.decode()
    assert f'href="/statistiques/?conseiller={c2.pk}"' in html
    page = text(client.get(f"/statistiques/?conseiller={c2.pk}"))
    assert card(page, "Personnes accompagnées") == "1"
    assert "Santé 1 100,0 %" in page


def test_a_coordinator_sees_their_team(client, world):
    login(client, world.coordinator)
    page = text(client.get("/statistiques/"))
    assert "Votre équipe" in page
    assert card(page, "Personnes accompagnées") == "10"  # c1 (8) and c3 (2), not c2 or c4
    assert world.conseillers["c3"].get_full_name() in page
    assert world.conseillers["c2"].get_full_name() not in page


def test_a_prefet_sees_their_departement_and_its_structures(client, world):
    login(client, world.prefet_rhone)
    response = client.get("/statistiques/")
    page = text(response)
    assert "Rhône (69)" in page
    assert card(page, "Personnes accompagnées") == "9"
    structure = world.structures["A"]
    assert "Par structure Structure CRA Personnes accompagnées" in page
    assert f"{structure.name} 5 9 5,5 100,0 %" in page
    assert f'href="/statistiques/?structure={structure.pk}"' in response.content.decode()
    assert world.structures["B"].name not in page
    # Conseillers are offered structure by structure.
    assert "Choisissez d'abord une structure pour lister ses conseillers." in page
    assert world.conseillers["c1"].get_full_name() not in page
    page = text(client.get(f"/statistiques/?structure={structure.pk}"))
    assert "Choisissez d'abord une structure" not in page
    assert f"Conseiller (facultatif) Tous {world.conseillers['c1'].get_full_name()}" in page


def test_a_regional_prefet_sees_the_map_of_their_departements(client, world):
    login(client, world.prefet_region)
    response = client.get("/statistiques/")
    page = text(response)
    assert "Auvergne-Rhône-Alpes" in page
    assert card(page, "Personnes accompagnées") == "9"
    assert "Personnes accompagnées par département" in page
    assert "Rhône (69) 9" in page and "Paris (75)" not in page
    html = response.content.decode()
    assert re.search(
        r'<path class="cnum-choro cnum-choro--\d" d="[^"]+" data-departement="69">', html
    )
    page = text(client.get("/statistiques/?departement=69"))
    assert "Par structure" in page and world.structures["A"].name in page


def test_the_administration_sees_everything_by_region_and_departement(client, world):
    login(client, world.admin)
    response = client.get("/statistiques/")
    page = text(response)
    assert "France entière" in page
    assert card(page, "Personnes accompagnées") == "12"
    assert card(page, "Conseillers actifs") == "4"
    assert (
        "Par région Région CRA Personnes accompagnées Heures Part des personnes accompagnées "
        "Auvergne-Rhône-Alpes 5 9 5,5 75,0 % Île-de-France 2 2 1,0 16,7 % "
        "Provence-Alpes-Côte d'Azur 1 1 0,5 8,3 %"
    ) in page
    html = response.content.decode()
    assert 'href="/statistiques/?region=84"' in html
    assert 'href="/statistiques/?departement=75"' in html
    # Région → its départements; département → its structures; structure → its conseillers.
    page = text(client.get("/statistiques/?region=11"))
    assert card(page, "Personnes accompagnées") == "2"
    assert "Paris (75) 2" in page
    page = text(client.get("/statistiques/?departement=75"))
    assert f"{world.structures['B'].name} 2 2 1,0 100,0 %" in page
    page = text(client.get(f"/statistiques/?structure={world.structures['B'].pk}"))
    assert "Par conseiller" in page and world.conseillers["c3"].get_full_name() in page


def test_filters_by_type_thematique_and_period(client, world):
    login(client, world.admin)
    page = text(client.get("/statistiques/?type=collectif"))
    assert card(page, "Personnes accompagnées") == "5"
    assert "Type d'activité : Collectif" in page
    page = text(client.get("/statistiques/?thematique=bureautique"))
    assert card(page, "Personnes accompagnées") == "1"
    assert "Thématique : Bureautique" in page
    # Figures the rollups cannot give for a thématique are said to be unavailable.
    assert "— Conseillers actifs (non disponible avec ce filtre)" in page
    assert "Classement des lieux non disponible avec un filtre de thématique." in page
    last_year = timezone.localdate().year - 1
    page = text(client.get(f"/statistiques/?du={last_year}-01&au={last_year}-03"))
    assert card(page, "Personnes accompagnées") == "0"
    assert f"Période : janv. {last_year} – mars {last_year}" in page
    # A thématique filter on a conseiller is answered from the records.
    c3 = world.conseillers["c3"]
    page = text(client.get(f"/statistiques/?conseiller={c3.pk}&thematique=bureautique"))
    assert card(page, "Personnes accompagnées") == "1"
    assert "Chiffres calculés directement à partir des comptes rendus d'activité." in page


def test_the_print_view_shows_the_same_tables_without_the_form(client, world):
    login(client, world.managers["A"])
    response = client.get("/statistiques/impression/?type=individuel")
    assert response.status_code == 200
    page = text(response)
    assert card(page, "Personnes accompagnées") == "4"
    assert "Par conseiller" in page and "Afficher les statistiques" not in page
    assert "charts.js" not in response.content.decode()


def test_the_navigation_offers_the_dashboard(client, world):
    login(client, world.conseillers["c1"])
    html = client.get("/statistiques/").content.decode()
    assert re.search(
        r'<a[^>]*href="/statistiques/"[^>]*>\s*Statistiques d&#x27;activité\s*</a>', html
    )


def test_a_partition_chart_renders_shares_adding_up_to_100():
    chart = Chart(title="Tiers", labels=["a", "b", "c"], values=[1, 1, 1], partition=True)
    html = render_to_string("stats/_chart.html", {"chart": chart})
    shares = re.findall(r"(\d+,\d) %", html)
    assert shares == ["33,4", "33,3", "33,3", "100,0"]


def test_the_choropleth_buckets_values_and_lists_every_one(db):
    values = {"69": 10, "75": 1, "13": 5, "975": 2}
    board = choropleth(values, title="Accompagnements", links={"69": "/x/"})
    buckets = {area.code: area.bucket for area in board.areas}
    assert buckets["69"] > buckets["13"] > buckets["75"] > 0 and buckets["01"] == 0
    html = render_to_string("stats/_choropleth.html", {"map": board})
    assert '<a href="/x/">Rhône (69)</a>' in html
    assert "Saint-Pierre-et-Miquelon (975)" in html  # not drawn, still in the table
    assert "Guadeloupe (971) : aucune donnée" in html


@pytest.mark.parametrize("who", ["admin", "prefet_region", "manager", "conseiller"])
def test_each_dashboard_has_a_fixed_query_budget(client, world, who, django_assert_max_num_queries):
    viewer = {
        "admin": world.admin,
        "prefet_region": world.prefet_region,
        "manager": world.managers["A"],
        "conseiller": world.conseillers["c1"],
    }[who]
    login(client, viewer)
    client.get("/statistiques/")  # sessions and caches warmed up
    # 15 to 24 today (session, roles, scope, figures, splits, names): whatever the volume.
    with django_assert_max_num_queries(30):
        assert client.get("/statistiques/").status_code == 200
