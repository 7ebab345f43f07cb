import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.activity import services
from cnum.activity.models import Cra
from cnum.activity.policies import conseiller_places
from cnum.activity.testing import make_beneficiary, make_conseiller, make_cra
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def individual_post(place_obj, **fields):
    place = fields.pop("place", place_obj.pk)
    return {
        "type": "individuel",
        "date": services.today().isoformat(),
        "duree": "45",
        "type_lieu": "lieu_activite",
        "place": str(place),
        "thematiques": ["email", "aide_aux_demarches_administratives"],
        "demarches": ["logement"],
        "materiel": ["telephone"],
        "genre": "feminin",
        "tranche_age": "soixante_dix_plus",
        "statut": "retraite",
        **fields,
    }


@pytest.fixture
def conseiller(client):
    user = make_conseiller()
    login(client, user)
    return user


def test_entry_defaults_to_today_main_place_and_last_duration(client, conseiller):
    make_cra(conseiller, duree=90)
    response = client.get(reverse("activity:entry"))
    form = response.context["form"]
    assert form.initial["date"] == services.today()
    assert form.initial["place"] == conseiller_places(conseiller).first().pk
    assert form.initial["duree"] == 90


def test_record_an_individual_cra(client, conseiller):
    place = conseiller_places(conseiller).first()
    response = client.post(reverse("activity:entry"), individual_post(place))
    assert response.status_code == 302
    cra = Cra.objects.get()
    assert (cra.duree, cra.place, cra.demarches) == (45, place, ["logement"])
    assert (cra.genre_feminin, cra.age_soixante_dix_plus, cra.statut_retraite) == (1, 1, 1)
    assert cra.structure_id == services.conseiller_structure(conseiller).pk


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"duree": "0"}, "supérieure ou égale à 1"),
        ({"duree": "abc"}, "Saisissez un nombre entier"),
        ({"date": "demain"}, "Saisissez une date valide"),
        ({"thematiques": []}, "au moins une thématique"),
        ({"thematiques": ["email"]}, "ne se précisent qu"),
        ({"type_lieu": "domicile", "place": ""}, "Indiquez la commune"),
        ({"type_lieu": "autre", "place": "", "commune": "99999"}, "Commune inconnue"),
        ({"titre": "Atelier"}, "ateliers collectifs"),
    ],
)
def test_bad_input_gets_a_french_error(client, conseiller, fields, message):
    place = conseiller_places(conseiller).first()
    response = client.post(reverse("activity:entry"), individual_post(place, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Cra.objects.exists()


def test_someone_elses_place_is_refused(client, conseiller):
    other = conseiller_places(make_conseiller()).first()
    response = client.post(reverse("activity:entry"), individual_post(other))
    assert response.status_code == 200 and not Cra.objects.exists()


def test_record_a_collective_cra_with_a_followed_beneficiary(client, conseiller):
    place = conseiller_places(conseiller).first()
    followed = make_beneficiary(conseiller)
    data = {
        **individual_post(place, type="collectif", titre="Découvrir la messagerie"),
        "niveau": "debutant",
        "participants_anonymes": "3",
        "genre_feminin": "2",
        "genre_masculin": "1",
        "age_non_communique": "3",
        "statut_retraite": "3",
        "beneficiaries": [str(followed.pk)],
    }
    assert client.post(reverse("activity:entry"), data).status_code == 302
    cra = Cra.objects.get()
    assert cra.participants_total == 4
    assert list(followed.workshops.all()) == [cra]
    page = client.get(reverse("activity:beneficiary_detail", kwargs={"pk": followed.pk}))
    assert "Découvrir la messagerie" in page.content.decode()


def test_collective_breakdown_must_sum(client, conseiller):
    place = conseiller_places(conseiller).first()
    data = {
        **individual_post(place, type="collectif", titre="Atelier"),
        "participants_anonymes": "3",
        "genre_feminin": "2",
        "age_non_communique": "3",
        "statut_retraite": "3",
    }
    response = client.post(reverse("activity:entry"), data)
    assert "La répartition par genre (2)" in response.content.decode()


def test_repeat_the_last_record(client, conseiller):
    make_cra(conseiller, duree=120, thematiques=["bureautique"], notes="Tableur")
    form = client.get(reverse("activity:entry") + "?repeter=1").context["form"]
    assert form.initial["thematiques"] == ["bureautique"]
    assert form.initial["date"] == services.today()


def test_edit_and_soft_delete(client, conseiller):
    cra = make_cra(conseiller)
    place = conseiller_places(conseiller).first()
    url = reverse("activity:edit", kwargs={"pk": cra.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, individual_post(place, duree="60")).status_code == 302
    cra.refresh_from_db()
    assert cra.duree == 60
    assert "Supprimer ce compte rendu" in client.get(
        reverse("activity:delete", kwargs={"pk": cra.pk})
    ).content.decode("utf-8")
    client.post(reverse("activity:delete", kwargs={"pk": cra.pk}))
    cra.refresh_from_db()
    assert cra.deleted_at is not None
    assert list(client.get(reverse("activity:history")).context["page"]) == []
    assert client.get(url).status_code == 404


def test_history_filters_and_query_budget(client, conseiller, django_assert_max_num_queries):
    for _ in range(30):
        make_cra(conseiller, thematiques=["email"])
    make_cra(conseiller, thematiques=["sante"], type_lieu="domicile", commune_id="75056")
    make_cra(make_conseiller())  # someone else's
    with django_assert_max_num_queries(12):
        response = client.get(reverse("activity:history"))
    assert response.context["page"].paginator.count == 31
    filtered = client.get(reverse("activity:history"), {"thematique": "sante"})
    assert filtered.context["page"].paginator.count == 1
    by_place = client.get(reverse("activity:history"), {"type_lieu": "a_distance", "page": "2"})
    assert by_place.context["page"].number == 2
    assert client.get(reverse("activity:history"), {"du": "n'importe"}).status_code == 200


def test_a_manager_reads_its_conseillers_records_only(client):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    structure = make_structure(manager=manager)
    mine = make_cra(make_conseiller(structure=structure))
    make_cra(make_conseiller())
    login(client, manager)
    response = client.get(reverse("activity:history"))
    assert list(response.context["page"]) == [mine]
    assert client.get(reverse("activity:edit", kwargs={"pk": mine.pk})).status_code == 403


def test_beneficiary_needs_consent(client, conseiller):
    url = reverse("activity:beneficiaries")
    response = client.post(url, {"prenom": "Léa", "nom": "Petit", "genre": "feminin",
                                 "statut": "retraite"})  # fmt: skip
    assert response.status_code == 200 and not conseiller.beneficiaries.exists()
    data = {"prenom": "Léa", "nom": "Petit", "genre": "feminin", "statut": "retraite",
            "consentement": "on"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert conseiller.beneficiaries.get().nom == "Petit"


@pytest.mark.parametrize("atelier", ["999999", "abc", ""])
def test_unknown_workshop_falls_back_to_the_usual_defaults(client, conseiller, atelier):
    response = client.get(reverse("activity:entry"), {"atelier": atelier})
    assert response.status_code == 200
    assert response.context["form"].initial["type"] == "individuel"


def test_entry_prefilled_from_a_workshop(client, conseiller):
    testing = pytest.importorskip("cnum.workshops.testing")
    structure = services.conseiller_structure(conseiller)
    place = conseiller_places(conseiller).first()
    workshop = testing.make_workshop(conseiller=conseiller, place=place)
    assert workshop.structure_id == structure.pk
    form = client.get(reverse("activity:entry"), {"atelier": workshop.pk}).context["form"]
    assert form.initial["type"] == "collectif"
    assert form.initial["titre"] == workshop.title
    assert form.initial["place"] == place.pk
    assert form.initial["duree"] == workshop.duration
