"""Values nobody types on purpose (`²`, NUL, 2⁶⁶, year 1 or 9999): a clear answer, never a 500."""

import datetime

import pytest
from django.urls import reverse

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.core import params

HUGE = str(2**66)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7 ", 7), ("²", None), ("١٢", None), (HUGE, None), ("-1", None), ("1e3", None)],
)
def test_int_param_reads_plain_ascii_decimals_within_64_bits(rf, value, expected):
    assert params.int_param(rf.get("/", {"n": value}).GET, "n") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-03-01", datetime.date(2026, 3, 1)), ("0001-01-01", None), ("9999-12-31", None)],
)
def test_date_param_refuses_years_nobody_means(rf, value, expected):
    assert params.date_param(rf.get("/", {"d": value}).GET, "d") == expected


def test_str_param_refuses_a_nul_byte(rf):
    assert params.str_param(rf.get("/", {"q": "a\x00b"}).GET, "q", default="-") == "-"


# --- NUL bytes: refused with a French 400 page before any view or query ---------------------


@pytest.mark.django_db
def test_the_api_answers_a_nul_byte_in_its_own_json_error_shape(client):
    response = client.get("/api/v1/communes", {"q": "ly\x00on"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "caractère" in response.json()["detail"][0]["msg"]


@pytest.mark.django_db
def test_a_nul_byte_in_a_path_segment_is_a_400_for_anonymous_visitors(client):
    response = client.get("/ateliers/inscription/%00/")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url", "params"),
    [
        (Role.AIDANT, "mandates:home", {"q": "Dupont\x00"}),
        (Role.ADMINISTRATEUR, "stats:steering", {"departement": "69\x00"}),
        (Role.ADMINISTRATEUR, "mandates:habilitation_list", {"statut": "\x00"}),
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_a_400(client, role, url, params):
    login(client, make_user(role))
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    assert "caractères que le service ne peut pas lire" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_the_session_cookie_is_a_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00"
    response = client.get(reverse("core:home"))
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_byte_in_a_posted_siret_finds_no_original_and_changes_nothing(client):
    from cnum.structures.enums import Status
    from cnum.structures.testing import make_structure

    structure = make_structure()
    before = structure.status
    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("structures:status_change", kwargs={"pk": structure.pk})
    data = {"to": Status.DOUBLON, "siret": "\x00", "comment": "Doublon", "confirm": "1"}
    response = client.post(url, data, follow=True)
    assert response.status_code == 400
    assert "Le caractère nul n’est pas autorisé." in response.content.decode()
    structure.refresh_from_db()
    assert structure.status == before


@pytest.mark.django_db
def test_a_nul_byte_in_a_posted_form_field_is_a_french_error_next_to_it(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    data = {"name": "Parte\x00naire", "scopes": ["referentiel"]}
    response = client.post(reverse("api_tokens:list"), data)
    assert response.status_code in (200, 400)
    assert "Le caractère nul n’est pas autorisé." in response.content.decode()


# --- Numbers: `²` passes str.isdigit() but not int(); 2⁶⁶ is beyond any database integer ----


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", HUGE])
def test_aidants_page_of_a_manager_ignores_an_unreadable_structure(client, value):
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    response = client.get(reverse("mandates:aidants"), {"structure": value})
    assert response.status_code == 200


@pytest.mark.django_db
def test_habilitation_request_ignores_an_unreadable_structure(client):
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    response = client.get(reverse("mandates:habilitation_request"), {"structure": "²"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", HUGE])
def test_switching_to_an_unreadable_structure_is_a_404(client, value):
    from cnum.mandates.tests.factories import habilitated_structure, validated_aidant

    login(client, validated_aidant(habilitated_structure()))
    response = client.post(reverse("mandates:structure_switch"), {"structure": value})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["activity:directory_search", "activity:entry"])
@pytest.mark.parametrize("name", ["orientation_place", "atelier"])
def test_cra_pages_ignore_an_unreadable_place_or_workshop(client, url, name):
    from cnum.activity.testing import make_conseiller

    login(client, make_conseiller())
    assert client.get(reverse(url), {name: "²"}).status_code == 200


@pytest.mark.django_db
def test_cra_directory_search_without_javascript_ignores_an_unreadable_place(client):
    from cnum.activity.testing import make_conseiller

    login(client, make_conseiller())
    data = {"chercher_lieu": "1", "orientation_place": "²", "orientation_recherche": "Lyon"}
    response = client.post(reverse("activity:entry"), data)
    assert response.status_code == 200


@pytest.mark.django_db
def test_attendance_ignores_unreadable_ids_and_marks_the_others(client):
    from cnum.workshops.testing import make_registration, make_workshop

    workshop = make_workshop(starts_in=datetime.timedelta(hours=-2))  # attendance once started
    came = make_registration(workshop)
    login(client, workshop.conseiller)
    url = reverse("workshops:manage", kwargs={"pk": workshop.pk})
    response = client.post(url, {"present": ["²", HUGE, str(came.pk)]})
    assert response.status_code in (200, 302)
    came.refresh_from_db()
    assert came.attended is True


@pytest.mark.django_db
def test_committee_session_with_unreadable_structures_asks_to_tick_one(client):
    from cnum.core.tests.test_permission_matrix import session_kwargs
    from cnum.structures.enums import CommitteeOpinion

    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("structures:session", kwargs=session_kwargs())
    data = {"structures": ["²", HUGE], "opinion": CommitteeOpinion.POSITIF}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Cochez au moins une structure" in response.content.decode()


@pytest.mark.django_db
def test_decision_with_a_non_numeric_session_asks_for_the_session(client):
    from cnum.structures.testing import make_structure

    structure = make_structure()
    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("structures:decision", kwargs={"pk": structure.pk})
    response = client.post(url, {"session": "abc", "opinion": "positif", "posts_granted": "1"})
    assert response.status_code == 400
    assert "Choisissez la séance du comité." in response.content.decode()
    assert not structure.decisions.exists()


@pytest.mark.django_db
def test_huge_id_in_a_path_is_a_404(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    response = client.get(reverse("structures:session", kwargs={"pk": 2**66}))
    assert response.status_code == 404


@pytest.mark.django_db
def test_new_place_with_a_huge_structure_id_shows_the_form_again(client):
    from cnum.structures.testing import make_structure

    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    make_structure(manager=manager)
    login(client, manager)
    response = client.post(reverse("places:create"), {"structure": HUGE, "nom": "Médiathèque"})
    assert response.status_code in (200, 400)
    assert "Médiathèque" in response.content.decode()


@pytest.mark.django_db
def test_my_places_with_a_huge_secondary_place_shows_the_form_again(client):
    from cnum.activity.testing import make_conseiller

    login(client, make_conseiller())
    response = client.post(reverse("places:my_places"), {"secondary": HUGE})
    assert response.status_code in (200, 400)


# --- Dates near year 1 or 9999 overflow as soon as a duration is added ------------------------


@pytest.mark.django_db
def test_journal_filtered_from_year_1_explains_the_date(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    response = client.get(
        reverse("mandates:journal"), {"organisation": HUGE, "start": "0001-01-01"}
    )
    assert response.status_code == 200
    assert "Saisissez une date entre 1000 et 8999." in response.content.decode()


@pytest.mark.django_db
def test_api_token_expiring_in_9999_is_refused_with_a_message(client):
    from cnum.api.models import ApiToken, Scope

    login(client, make_user(Role.ADMINISTRATEUR))
    data = {"name": "Partenaire", "scopes": [Scope.REFERENTIEL], "expires_on": "9999-12-31"}
    response = client.post(reverse("api_tokens:list"), data)
    assert response.status_code in (200, 400)
    assert "Saisissez une date entre 1000 et 8999." in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_workshop_series_starting_in_9999_is_refused_with_a_message(client):
    from cnum.workshops.enums import Niveau, Recurrence, Thematique
    from cnum.workshops.models import Workshop
    from cnum.workshops.testing import make_conseiller

    conseiller = make_conseiller()
    structure = Membership.objects.get(user=conseiller, role=Role.CONSEILLER).organisation
    from cnum.places.testing import make_place

    place = make_place(structure=structure.structure)
    login(client, conseiller)
    data = {
        "title": "Atelier",
        "thematiques": [Thematique.PRENDRE_EN_MAIN_DU_MATERIEL],
        "niveau": Niveau.DEBUTANT,
        "place": place.pk,
        "date": "9999-12-20",
        "time": "10:00",
        "duration": 90,
        "capacity": 10,
        "recurrence": Recurrence.values[0],
        "occurrences": 5,
    }
    response = client.post(reverse("workshops:create"), data)
    assert response.status_code == 400
    assert "Saisissez une date entre 1000 et 8999." in response.content.decode()
    assert not Workshop.objects.exists()
