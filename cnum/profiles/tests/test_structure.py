from html import unescape

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.profiles.models import CorrectionKind, CorrectionStatus, StructureCorrection
from cnum.structures.enums import Status
from cnum.structures.testing import make_siret, make_structure
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


CONTACT = {
    "address": "2 rue de la République",
    "contact_first_name": "Inès",
    "contact_last_name": "Bernard",
    "contact_role": "Directrice générale des services",
    "contact_email": "Ines.Bernard@Mairie.fr",
    "contact_phone": "04 78 00 00 00",
}


@pytest.fixture
def manager():
    return make_user(Role.GESTIONNAIRE_STRUCTURE)


@pytest.fixture
def structure(manager):
    return make_structure(manager=manager, name="Mairie de Bron")


def test_the_manager_edits_the_contact_details(client, manager, structure):
    login(client, manager)
    url = reverse("profiles:structure_contact", args=[structure.pk])
    response = client.post(url, CONTACT, follow=True)
    assert "Les coordonnées de la structure sont enregistrées." in text(response)
    structure.refresh_from_db()
    assert structure.contact_email == "ines.bernard@mairie.fr"
    assert structure.contact_phone == "0478000000"
    assert structure.address == "2 rue de la République"


def test_a_missing_field_is_explained_and_nothing_changes(client, manager, structure):
    login(client, manager)
    url = reverse("profiles:structure_contact", args=[structure.pk])
    response = client.post(url, {**CONTACT, "contact_email": "pas-une-adresse"})
    assert 'value="Inès"' in text(response)
    structure.refresh_from_db()
    assert structure.contact_first_name == "Alex"


def test_another_structure_is_a_404_and_unchanged(client, structure):
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    response = client.post(reverse("profiles:structure_contact", args=[structure.pk]), CONTACT)
    assert response.status_code == 404
    structure.refresh_from_db()
    assert structure.contact_first_name == "Alex"


def request(client, structure, kind, value, reason="Erreur de saisie au dépôt."):
    return client.post(
        reverse("profiles:correction_request", args=[structure.pk]),
        {"kind": kind, "value": value, "reason": reason},
        follow=True,
    )


def decide(client, correction, decision, comment=""):
    return client.post(
        reverse("profiles:correction_decide", args=[correction.pk]),
        {f"c{correction.pk}-decision": decision, f"c{correction.pk}-comment": comment},
        follow=True,
    )


def test_a_name_correction_goes_to_the_administration_and_is_applied_with_a_log(
    client, manager, structure, send_emails, mailoutbox
):
    login(client, manager)
    response = request(client, structure, CorrectionKind.NAME, "Ville de Bron")
    assert "transmise à l'administration" in text(response)
    structure.refresh_from_db()
    assert structure.name == "Mairie de Bron"  # nothing changes before the decision

    admin = login(client, make_user(Role.ADMINISTRATEUR))
    queue = text(client.get(reverse("profiles:corrections")))
    assert "Mairie de Bron" in queue and "Ville de Bron" in queue
    correction = StructureCorrection.objects.get()
    with send_emails():
        response = decide(client, correction, "appliquer")
    assert "Correction appliquée pour Ville de Bron" in text(response)
    structure.refresh_from_db()
    assert structure.name == "Ville de Bron"
    log = TransitionLog.objects.for_object(correction).get()
    assert (log.to_status, log.actor) == (CorrectionStatus.APPLIQUEE, admin)
    assert mailoutbox[0].to == [manager.email]
    assert "appliquée" in mailoutbox[0].subject


def test_an_invalid_siret_is_refused_at_once(client, manager, structure):
    login(client, manager)
    response = request(client, structure, CorrectionKind.SIRET, "123 456 789 00012")
    assert "Ce numéro SIRET n'existe pas" in text(response)
    assert not StructureCorrection.objects.exists()


def test_the_siret_is_checked_again_when_applied(client, manager, structure):
    login(client, manager)
    new_siret = make_siret()
    request(client, structure, CorrectionKind.SIRET, f"{new_siret[:3]} {new_siret[3:]}")
    correction = StructureCorrection.objects.get()
    assert correction.requested_value == new_siret
    # Meanwhile another live application is confirmed with this SIRET.
    make_structure(siret=new_siret, status=Status.CREEE)
    login(client, make_user(Role.ADMINISTRATEUR))
    response = decide(client, correction, "appliquer")
    assert "Une autre demande confirmée est en cours avec ce SIRET" in text(response)
    structure.refresh_from_db()
    correction.refresh_from_db()
    assert structure.siret != new_siret and correction.status == CorrectionStatus.DEMANDEE


def test_a_siret_of_a_closed_application_may_be_taken(client, manager, structure):
    old = make_structure(status=Status.ABANDON)
    login(client, manager)
    request(client, structure, CorrectionKind.SIRET, old.siret)
    login(client, make_user(Role.ADMINISTRATEUR))
    decide(client, StructureCorrection.objects.get(), "appliquer")
    structure.refresh_from_db()
    assert structure.siret == old.siret


def test_a_refusal_needs_a_reason_that_the_managers_receive(
    client, manager, structure, send_emails, mailoutbox
):
    login(client, manager)
    request(client, structure, CorrectionKind.NAME, "Autre nom")
    correction = StructureCorrection.objects.get()
    login(client, make_user(Role.ADMINISTRATEUR))
    response = decide(client, correction, "refuser")
    assert "Indiquez le motif du refus" in text(response)
    with send_emails():
        decide(client, correction, "refuser", "Le nom légal est celui de l'INSEE.")
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.REFUSEE
    assert "Le nom légal est celui de l'INSEE." in mailoutbox[0].body
    structure.refresh_from_db()
    assert structure.name == "Mairie de Bron"


def test_one_pending_request_per_kind(client, manager, structure):
    login(client, manager)
    request(client, structure, CorrectionKind.NAME, "Nom un")
    response = request(client, structure, CorrectionKind.NAME, "Nom deux")
    assert "déjà en attente" in text(response)
    assert StructureCorrection.objects.count() == 1


def test_only_the_administration_decides(client, manager, structure):
    login(client, manager)
    request(client, structure, CorrectionKind.NAME, "Nom un")
    correction = StructureCorrection.objects.get()
    response = decide(client, correction, "appliquer")
    assert response.status_code == 403
    structure.refresh_from_db()
    assert structure.name == "Mairie de Bron"
