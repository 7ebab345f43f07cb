"""The partner API: activity records without personal data, statistics from the rollups,
structures, posts and conseillers; cursors, filters, and the scope of each token."""

import datetime

import pytest

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.activity import services
from cnum.activity.enums import CraType, TypeLieu
from cnum.activity.models import Cra
from cnum.activity.testing import individual_values, make_beneficiary, make_conseiller
from cnum.api.models import ApiToken, Scope
from cnum.stats.queries import ActivityFilter, activity_figures
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db
ACTIVITES = "/api/v1/partenaires/activites"
STATS = "/api/v1/partenaires/statistiques"
STRUCTURES = "/api/v1/partenaires/structures"
POSTES = "/api/v1/partenaires/postes"
CONSEILLERS = "/api/v1/partenaires/conseillers"
ENDPOINTS = {
    ACTIVITES: Scope.ACTIVITE,
    STATS: Scope.STATISTIQUES,
    STRUCTURES: Scope.STRUCTURES,
    POSTES: Scope.STRUCTURES,
    CONSEILLERS: Scope.STRUCTURES,
}
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def keys():
    owner = make_user(Role.ADMINISTRATEUR)
    return {
        scope: ApiToken.issue(name=scope.label, scopes=[scope], created_by=owner)[1]
        for scope in Scope
    }


def get(client, url, key, **params):
    return client.get(url, params, headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def world():
    """Two validated structures (Rhône, Bouches-du-Rhône), one not validated; a conseiller in
    each validated one, with records written through the activity service (rollups kept)."""
    lyon = make_structure(departement="69", status=Status.VALIDATION_COSELEC)
    marseille = make_structure(departement="13", status=Status.VALIDATION_COSELEC)
    make_structure(departement="75")
    alix, sacha = make_conseiller(structure=lyon), make_conseiller(structure=marseille)
    place = alix.place_links.get().place
    followed = make_beneficiary(alix, nom="Dupont", telephone="0601020304")
    records = [
        services.save_record(
            alix,
            individual_values(
                date=DAY,
                type_lieu=TypeLieu.LIEU_ACTIVITE,
                place=place,
                notes="Mme Dupont, 06 01 02 03 04",
                precision_demarche="Dossier de M. Martin",
            ),
        ),
        services.save_record(
            alix,
            individual_values(date=DAY, type_lieu=TypeLieu.DOMICILE, commune_id="69266"),
        ),
        services.save_record(
            alix,
            individual_values(
                type=CraType.COLLECTIF,
                date=DAY,
                titre="Atelier chez Mme Dupont",
                participants_anonymes=2,
                genre_non_communique=2,
                age_non_communique=2,
                statut_non_communique=2,
            ),
            beneficiaries=[followed],
        ),
        services.save_record(sacha, individual_values(date=datetime.date(2026, 5, 2))),
        services.save_record(sacha, individual_values(date=datetime.date(2026, 6, 2))),
    ]
    return {"lyon": lyon, "marseille": marseille, "place": place, "records": records}


class TestActivities:
    def test_records_carry_no_personal_data(self, client, keys, world):
        response = get(client, ACTIVITES, keys[Scope.ACTIVITE])
        text = response.content.decode()
        assert response.status_code == 200
        assert "Dupont" not in text and "Martin" not in text and "0601" not in text
        first, home, workshop, *_ = response.json()["resultats"]
        assert "conseiller" not in str(first.keys()) and "notes" not in first
        assert first["lieu_id"] == world["place"].pk and first["departement"] == "69"
        assert home["commune"] is None and home["type_lieu"] == "domicile"
        assert workshop["participants"] == 3 and "titre" not in workshop

    def test_cursor_walks_every_record_once_by_date(self, client, keys, world):
        # Entered last, for an earlier day: it comes first.
        earlier = DAY - datetime.timedelta(days=30)
        late = services.save_record(world["records"][0].conseiller, individual_values(date=earlier))
        seen, params = [], {"taille": 2}
        while True:
            page = get(client, ACTIVITES, keys[Scope.ACTIVITE], **params).json()
            seen += [item["id"] for item in page["resultats"]]
            if page["suivant"] is None:
                break
            params["curseur"] = page["suivant"]
        assert seen == [late.pk] + [r.pk for r in world["records"]]

    def test_a_forged_or_foreign_cursor_is_refused_in_french(self, client, keys, world):
        foreign = get(client, STRUCTURES, keys[Scope.STRUCTURES], taille=1).json()["suivant"]
        for bad in ("abc", foreign, foreign[:-2] + "xx"):
            response = get(client, ACTIVITES, keys[Scope.ACTIVITE], curseur=bad)
            assert response.status_code == 400
            assert response.json()["detail"][0]["msg"].startswith("Curseur invalide")

    def test_filters_by_territory_and_period(self, client, keys, world):
        key = keys[Scope.ACTIVITE]

        def ids(**params):
            return [i["id"] for i in get(client, ACTIVITES, key, **params).json()["resultats"]]

        sacha = [r.pk for r in world["records"][3:]]
        assert ids(departement="13") == sacha
        assert ids(region="84") == [r.pk for r in world["records"][:3]]
        assert ids(du="2026-05-01", au="2026-05-31") == sacha[:1]

    def test_unknown_territory_is_a_404_and_an_inverted_period_a_400(self, client, keys):
        key = keys[Scope.ACTIVITE]
        unknown = get(client, ACTIVITES, key, departement="99")
        assert unknown.status_code == 404
        assert unknown.json() == {"detail": "Aucun département ne porte le code « 99 »."}
        assert get(client, ACTIVITES, key, region="84", departement="13").status_code == 404
        inverted = get(client, ACTIVITES, key, du="2026-02-01", au="2026-01-01")
        assert inverted.status_code == 400
        assert inverted.json()["detail"][0]["msg"] == "La fin de la période doit suivre son début."


def test_each_scope_opens_only_its_own_endpoints(client, keys):
    for url, scope in ENDPOINTS.items():
        for other, key in keys.items():
            assert get(client, url, key).status_code == (200 if other == scope else 403), (
                url,
                other,
            )
        assert client.get(url).status_code == 401
    login(client, make_user(Role.ADMINISTRATEUR))
    assert client.get(STATS).status_code == 401  # a browser session is not a partner


def test_statistics_come_from_the_rollups_at_every_level(client, keys, world):
    key = keys[Scope.STATISTIQUES]
    national = get(client, STATS, key).json()
    totals = {t["code"]: t["valeur"] for t in national["totaux"]}
    assert totals == activity_figures(ActivityFilter()).totals and totals["records"] == 5
    assert national["departements"] is None and national["conseillers_actifs"] == 2

    def records(**params):
        body = get(client, STATS, key, **params).json()
        return next(t["valeur"] for t in body["totaux"] if t["code"] == "records")

    assert records(region="93") == 2 and records(departement="69") == 3
    assert records(structure=world["marseille"].pk, du="2026-06-15") == 1
    missing = get(client, STATS, key, structure=world["marseille"].pk + 100)
    assert missing.status_code == 404 and "Aucune structure validée" in missing.json()["detail"]


def test_structures_posts_and_conseillers_show_public_fields_only(client, keys, world):
    key = keys[Scope.STRUCTURES]
    response = get(client, STRUCTURES, key)
    text = response.content.decode()
    listed = response.json()["resultats"]
    assert [s["id"] for s in listed] == [world["lyon"].pk, world["marseille"].pk]
    assert "contact" not in text and "Durand" not in text and "rue" not in text
    assert listed[0]["lieux_publics"] == 1 and listed[0]["departement"] == "69"
    posts = get(client, POSTES, key, departement="13").json()["resultats"]
    assert posts == [
        {
            "structure_id": world["marseille"].pk,
            "conseillers_attribues": 0,
            "coordinateurs_attribues": 0,
            "conseillers_en_poste": 1,
            "coordinateurs_en_poste": 0,
            "vacants": 0,
        }
    ]
    conseillers = get(client, CONSEILLERS, key, region="84").json()["resultats"]
    assert conseillers == [
        {
            "id": conseillers[0]["id"],
            "structure_id": world["lyon"].pk,
            "departement": "69",
            "coordinateur": False,
            "lieux": [world["place"].pk],
        }
    ]
    assert Cra.objects.count() == 5  # reading changed nothing
