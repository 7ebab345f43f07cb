import re
from html import unescape

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.places.models import PlaceConseiller
from cnum.places.testing import make_place
from cnum.recruitment import services
from cnum.recruitment.testing import recruited
from cnum.stats.models import Coordination, CoordinationTerritory
from cnum.training.enums import CertificationResult, CertificationType, EnrolmentStatus
from cnum.training.testing import make_enrolment

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


MY_JOB = reverse("profiles:my_job")


def test_the_validated_recruitment_mail_leads_to_my_job(client, send_emails, mailoutbox):
    match = recruited(weekly_hours=35)
    person = match.candidate.user
    with send_emails():
        services.validate_recruitment(match, make_user(Role.ADMINISTRATEUR))
    mail = next(m for m in mailoutbox if m.to == [person.email])
    assert "« Mon emploi »" in mail.body
    path = re.search(r"https://cnum\.exemple\.fr(\S+)", mail.body)[1]
    assert path == MY_JOB

    login(client, person)
    html = text(client.get(path))
    assert match.structure.name in html
    assert "Contrat à durée déterminée (CDD)" in html
    contract = match.contracts.get()
    assert f"du {contract.start_date:%d/%m/%Y} au {contract.end_date:%d/%m/%Y}" in html
    assert "35 h par semaine" in html
    # The conseiller's landing page links to it too.
    assert MY_JOB in text(client.get(reverse("accounts:dashboard")))


def test_training_certification_coordinator_and_main_place(client):
    match = recruited()
    services.validate_recruitment(match, make_user(Role.ADMINISTRATEUR))
    person = match.candidate.user
    make_enrolment(
        conseiller=person,
        status=EnrolmentStatus.TERMINEE,
        started_on=match.contracts.get().start_date,
        ended_on=match.contracts.get().end_date,
        certification_type=CertificationType.CCP1,
        certification_result=CertificationResult.ADMIS,
        certified_on=match.contracts.get().end_date,
    )
    coordinator = make_user(Role.COORDINATEUR, first_name="Dominique", last_name="Coordo")
    Coordination.objects.create(coordinator=coordinator, conseiller=person)
    # A coordinator whose team is the structure's département counts too; one elsewhere not.
    by_territory = make_user(Role.COORDINATEUR, first_name="Sasha", last_name="Territoire")
    CoordinationTerritory.objects.create(coordinator=by_territory, departement_id="69")
    elsewhere = make_user(Role.COORDINATEUR, first_name="Noa", last_name="Ailleurs")
    CoordinationTerritory.objects.create(coordinator=elsewhere, departement_id="13")
    place = make_place(structure=match.structure, nom="Médiathèque Jean-Macé")
    PlaceConseiller.objects.create(conseiller=person, place=place, is_main=True)

    login(client, person)
    html = text(client.get(MY_JOB))
    assert "En activité" in html
    assert "CCP1" in html and "Admis" in html
    assert "Dominique Coordo" in html and "Sasha Territoire" in html
    assert "Noa Ailleurs" not in html
    assert "Lieu principal : Médiathèque Jean-Macé" in html


def test_a_conseiller_without_recruitment_reads_it_plainly(client):
    login(client, make_user(Role.CONSEILLER))
    html = text(client.get(MY_JOB))
    assert "Aucune structure ne vous emploie actuellement" in html
