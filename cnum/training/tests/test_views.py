"""The pages, through the Django client: what each kind of user sees and may do."""

import datetime
import re

import pytest
from django.urls import reverse

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.structures.testing import make_structure
from cnum.training.enums import EnrolmentStatus as E
from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession
from cnum.training.testing import (
    make_conseiller,
    make_enrolment,
    make_organisation,
    make_session,
    make_training_siret,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


@pytest.fixture
def trainer():
    return make_user()


@pytest.fixture
def organisation(trainer):
    return make_organisation(member=trainer, capacity=20)


def test_administration_habilitates_an_organisation_and_invites_a_member(
    client, admin, send_emails, mailoutbox
):
    url = reverse("training:admin_organisations")
    data = {
        "name": "Formation Rhône",
        "siret": make_training_siret(),
        "address": "3 rue Garibaldi",
        "commune": "69123",
        "contact_name": "Ana Lopez",
        "contact_email": "ana@formation.fr",
        "contact_phone": "0478000000",
        "capacity": "40",
    }
    response = client.post(url, {**data, "siret": "123", "capacity": "0"})
    assert response.status_code == 400
    assert "Le SIRET compte 14 chiffres" in response.text
    assert "au moins une place" in response.text
    response = client.post(url, data)
    organisation = TrainingOrganisation.objects.get()
    assert response.url == reverse("training:organisation", args=[organisation.pk])
    assert (organisation.departement_id, organisation.is_habilitated) == ("69", True)
    assert client.post(url, data).status_code == 400  # the SIRET is taken
    with send_emails():
        client.post(
            reverse("training:member_invite", args=[organisation.pk]),
            {"email": "Nouveau@Formation.fr", "first_name": "Noa"},
        )
    member = User.objects.get(email="nouveau@formation.fr")
    assert member.has_role(Role.ORGANISME_FORMATION)
    assert mailoutbox[0].to == [member.email] and "/compte/" in mailoutbox[0].body
    client.post(reverse("training:habilitation", args=[organisation.pk]), {})
    organisation.refresh_from_db()
    assert not organisation.is_habilitated


def test_member_space_creates_sessions_with_checked_dates(client, trainer, organisation):
    login(client, trainer)
    assert client.get(reverse("training:space")).url == reverse(
        "training:organisation", args=[organisation.pk]
    )
    url = reverse("training:session_create", args=[organisation.pk])
    start = datetime.date.today() + datetime.timedelta(days=20)
    data = {
        "name": "Session de printemps",
        "start_date": start.strftime("%d/%m/%Y"),
        "end_date": (start + datetime.timedelta(days=20)).strftime("%d/%m/%Y"),
        "format": "presentiel",
        "address": "",
        "commune": "",
        "capacity": "25",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "environ quatre mois" in response.text
    assert "Indiquez la commune du lieu" in response.text
    assert "au plus 20 stagiaires" in response.text
    data |= {
        "end_date": (start + datetime.timedelta(days=120)).strftime("%d/%m/%Y"),
        "commune": "Lyon",
        "capacity": "12",
    }
    assert client.post(url, data).status_code == 302
    session = TrainingSession.objects.get()
    assert (session.commune_id, session.capacity) == ("69123", 12)
    assert client.get(reverse("training:organisation", args=[organisation.pk])).status_code == 200


def test_a_member_sees_only_own_organisation_and_trainees(client, trainer, organisation):
    mine = make_enrolment(make_session(organisation))
    other_organisation = make_organisation()
    theirs = make_enrolment(make_session(other_organisation))
    login(client, trainer)
    response = client.get(reverse("training:trainees"))
    assert str(mine.conseiller) in response.text and str(theirs.conseiller) not in response.text
    for name, pk in (
        ("training:enrolment", theirs.pk),
        ("training:organisation", other_organisation.pk),
        ("training:session", theirs.session_id),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    response = client.post(
        reverse("training:enrolment_progress", args=[theirs.pk]), {"progress_percent": "50"}
    )
    assert response.status_code == 404
    assert Enrolment.objects.get(pk=theirs.pk).progress_percent is None


def test_trainer_follows_a_trainee_to_certification(client, trainer, organisation):
    enrolment = make_enrolment(make_session(organisation))
    login(client, trainer)
    detail = reverse("training:enrolment", args=[enrolment.pk])
    response = client.post(
        reverse("training:enrolment_progress", args=[enrolment.pk]),
        {"pix_level": "2", "pix_score": "2000", "attendance_percent": "101"},
    )
    assert response.status_code == 400
    assert "de 0 à 1024" in response.text and "entre 0 et 100" in response.text
    client.post(
        reverse("training:enrolment_progress", args=[enrolment.pk]),
        {
            "pix_level": "2",
            "pix_score": "310",
            "attendance_percent": "90",
            "progress_percent": "30",
        },
    )
    move = reverse("training:enrolment_move", args=[enrolment.pk])
    assert client.post(move, {"action": "start", "day": ""}).status_code == 400
    assert client.post(move, {"action": "start", "day": "06/01/2025"}).url == detail
    response = client.post(move, {"action": "finish", "day": "10/10/2020"})
    assert response.status_code == 400 and "17/11/2020" in response.text
    certification = reverse("training:enrolment_certification", args=[enrolment.pk])
    passed = {"certification_type": "CCP1", "result": "admis", "certified_on": "02/05/2025"}
    response = client.post(certification, passed)  # still in training
    assert response.status_code == 400 and "une fois la formation terminée" in response.text
    client.post(move, {"action": "finish", "day": "09/05/2025"})
    response = client.post(certification, {"certification_type": "CCP1", "result": "admis"})
    assert response.status_code == 400 and "Indiquez la date de la certification" in response.text
    client.post(certification, passed)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.pix_score, enrolment.certification_result) == (
        E.TERMINEE,
        310,
        "admis",
    )
    page = client.get(detail).text
    assert "En activité" in page and "CCP1" in page and "09/05/2025" in page


def test_structure_enrols_its_conseiller_from_the_suggestions(client, send_emails, mailoutbox):
    manager = make_user()
    structure = make_structure(manager=manager)
    conseiller = make_conseiller(structure, first_name="Lou", last_name="Garnier")
    near = make_session(make_organisation(commune="69123", name="Près"), capacity=1)
    make_session(make_organisation(commune="13055", name="Loin"))
    login(client, manager)
    listing = client.get(reverse("training:structure_conseillers", args=[structure.pk])).text
    assert "Recrutement validé, formation à programmer" in listing
    url = reverse("training:enrol", args=[structure.pk, conseiller.pk])
    page = client.get(url).text
    assert page.index("Près") < page.index("Loin")
    assert client.post(url, {"session": "999999"}).status_code == 400
    with send_emails():
        assert client.post(url, {"session": near.pk}).status_code == 302
    assert Enrolment.objects.get().session == near
    assert conseiller.email in mailoutbox[0].to
    listing = client.get(reverse("training:structure_conseillers", args=[structure.pk])).text
    assert "En formation" in listing
    # The session is now full: another conseiller cannot take the seat.
    other = make_conseiller(structure)
    other_url = reverse("training:enrol", args=[structure.pk, other.pk])
    response = client.post(other_url, {"session": near.pk})
    assert response.status_code == 400 and "plus proposée" in response.text
    # Someone else's structure or conseiller: not found.
    foreign = make_conseiller()
    foreign_structure = foreign.memberships.get().organisation_id
    assert client.get(reverse("training:enrol", args=[structure.pk, foreign.pk])).status_code == 404
    url = reverse("training:enrol", args=[foreign_structure, foreign.pk])
    assert client.get(url).status_code == 404


def test_structure_may_cancel_but_not_record_training(client):
    manager = make_user()
    structure = make_structure(manager=manager)
    enrolment = make_enrolment(conseiller=make_conseiller(structure))
    login(client, manager)
    move = reverse("training:enrolment_move", args=[enrolment.pk])
    assert client.post(move, {"action": "start", "day": "06/01/2025"}).status_code == 403
    progress = reverse("training:enrolment_progress", args=[enrolment.pk])
    assert client.post(progress, {"progress_percent": "10"}).status_code == 403
    assert Enrolment.objects.get().status == E.INSCRITE
    response = client.post(move, {"action": "cancel", "comment": "Contrat non signé"})
    assert "sa place dans la session est libérée" in response.text
    assert Enrolment.objects.get().status == E.INSCRITE  # not before the confirmation
    client.post(move, {"action": "cancel", "comment": "Contrat non signé", "confirm": "1"})
    assert Enrolment.objects.get().status == E.ANNULEE


def test_conseiller_sees_own_state(client):
    conseiller = make_conseiller()
    login(client, conseiller)
    page = client.get(reverse("training:mine")).text
    assert "Recrutement validé, formation à programmer" in page
    make_enrolment(
        conseiller=conseiller,
        status=E.TERMINEE,
        started_on=datetime.date(2025, 1, 6),
        ended_on=datetime.date(2025, 5, 9),
        certification_type="PIX",
        certification_result="admis",
        certified_on=datetime.date(2025, 5, 2),
    )
    page = client.get(reverse("training:mine")).text
    assert "En activité" in page and "Certification Pix : Admis le 02/05/2025" in page


def test_administration_list_filters_by_state_with_a_fixed_query_budget(
    client, admin, django_assert_max_num_queries
):
    trained = make_conseiller(last_name="Aaron")
    make_enrolment(
        conseiller=trained,
        status=E.TERMINEE,
        started_on=datetime.date(2025, 1, 6),
        ended_on=datetime.date(2025, 5, 9),
    )
    for _ in range(3):
        make_enrolment()
    waiting = make_conseiller(last_name="Zola")
    url = reverse("training:admin_conseillers")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.text.count("fr-badge--info") == 3
    for _ in range(5):
        make_enrolment()
    with django_assert_max_num_queries(10):
        client.get(url)
    page = client.get(url, {"state": "en_activite"}).text
    assert trained.last_name in page and waiting.last_name not in page
    page = client.get(url, {"state": "a_programmer"}).text
    assert waiting.last_name in page and trained.last_name not in page
    assert client.get(url, {"state": "n'importe quoi", "page": "x"}).status_code == 200


def test_trainees_list_query_budget(client, trainer, organisation, django_assert_max_num_queries):
    session = make_session(organisation, capacity=20)
    for _ in range(3):
        make_enrolment(session)
    login(client, trainer)
    url = reverse("training:trainees")
    with django_assert_max_num_queries(8):
        client.get(url)
    for _ in range(6):
        make_enrolment(session)
    with django_assert_max_num_queries(8):
        response = client.get(url, {"etat": "inscrite"})
    assert response.text.count("<tr>") == 10  # header + 9


def test_import_page_dry_run_then_confirm(client, admin):
    organisation = make_organisation()
    make_conseiller(email="ana@exemple.fr")
    text = (
        "email,siret,date_debut,date_fin,certification,resultat,date_certification\n"
        f"ana@exemple.fr,{organisation.siret},04/01/2021,07/05/2021,CCP1,admis,30/04/2021\n"
        f"personne@exemple.fr,{organisation.siret},04/01/2021,,,,\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("training:import")
    assert client.post(url, {}).status_code == 400
    upload = SimpleUploadedFile("formations.csv", text.encode(), content_type="text/csv")
    page = client.post(url, {"file": upload}).text
    assert "Essai à blanc" in page and "personne@exemple.fr" in page
    assert not Enrolment.objects.exists()
    content = re.search(r'name="content" value="([^"]+)"', page)[1]
    response = client.post(url, {"content": content})
    assert response.status_code == 400 and not Enrolment.objects.exists()
    response = client.post(url, {"content": content, "partial": "on"})
    assert "Import effectué" in response.text
    assert Enrolment.objects.get().status == E.TERMINEE
    response = client.post(url, {"content": "%%%pas du base64"})
    assert response.status_code == 400 and "illisible" in response.text


def test_member_of_an_unregistered_organisation_gets_an_explanation(client):
    login(client, make_user(Role.ORGANISME_FORMATION))
    assert "non encore habilité" in client.get(reverse("training:space")).text


def test_conseiller_membership_is_required_for_the_page(client):
    user = make_conseiller()
    Membership.objects.filter(user=user).update(is_active=False)
    login(client, User.objects.get(pk=user.pk))
    assert client.get(reverse("training:mine")).status_code == 403
