"""Recruitment pages and mails as structures and candidates read them."""

import datetime
import html

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.candidates.services import today
from cnum.core.text import de
from cnum.recruitment.testing import make_match, make_validated_structure, recruited

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def test_the_comment_for_the_administration_is_not_mailed_to_the_candidate(
    client, send_emails, mailoutbox
):
    manager = login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    match = make_match(make_validated_structure(manager=manager))
    start = today() + datetime.timedelta(days=10)
    data = {
        "type": "contrat_de_projet_public",
        "start_date": start.strftime("%d/%m/%Y"),
        "end_date": (start + datetime.timedelta(days=365)).strftime("%d/%m/%Y"),
        "weekly_hours": "35",
        "gross_monthly_salary": "1 900,00",
        "comment": "Salaire à revoir avec la DRH",
    }
    with send_emails():
        client.post(reverse("recruitment:recruit", kwargs={"pk": match.pk}), data)
    to_candidate = [m for m in mailoutbox if match.candidate.user.email in m.to]
    assert to_candidate, "the candidate is told"
    assert all("Salaire à revoir" not in m.body for m in to_candidate)
    # The recruitment list shows the contract type's label, never its code.
    page = text(client.get(reverse("recruitment:structure", args=[match.structure_id])))
    assert "contrat_de_projet_public" not in page and "Contrat de projet public" in page


def test_a_contract_not_yet_validated_nor_started_says_so(client):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    match = recruited(manager=manager)
    match.candidate.user.first_name, match.candidate.user.last_name = "Amélie", "Roux"
    match.candidate.user.save()
    login(client, manager)
    page = text(client.get(reverse("recruitment:match", args=[match.pk])))
    assert "Recrutement d'Amélie Roux" in page and "Recrutement de Amélie" not in page
    assert "Contrat en cours" not in page and "En attente de validation" in page
    listing = text(client.get(reverse("recruitment:structure", args=[match.structure_id])))
    assert "(en attente de validation)" in listing


def test_elision_of_de():
    assert de("Amélie") == "d'Amélie" and de("Yves") == "d'Yves" and de("Bruno") == "de Bruno"
    assert de("Élodie") == "d'Élodie"


def test_a_contract_starting_later_reads_from_not_since(client):
    from cnum.recruitment.testing import employed

    match = employed()  # the contract starts in a week
    login(client, match.candidate.user)
    page = text(client.get(reverse("accounts:dashboard")))
    start = (today() + datetime.timedelta(days=7)).strftime("%d/%m/%Y")
    assert f"à partir du {start}" in page and "depuis le" not in page
