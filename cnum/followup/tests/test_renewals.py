"""Contracts that end: reminders to the structure, "Contrats à renouveler", non-renewals."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.followup.models import NonRenewal, NonRenewalReason
from cnum.followup.renewals import add_months
from cnum.followup.tests.conftest import DAY, conseiller_in_post, days
from cnum.recruitment.models import Contract
from cnum.recruitment.testing import make_validated_structure

pytestmark = pytest.mark.django_db


def run(send_emails, mailoutbox):
    before = len(mailoutbox)
    with send_emails():
        call_command("send_contract_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return mailoutbox[before:]


@pytest.fixture
def ending(clock):
    """A conseiller whose contract ends in 4 months, in a structure with its manager."""
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE, email="direction@exemple.fr")
    structure = make_validated_structure(manager=manager, name="Médiathèque de Vénissieux")
    match = conseiller_in_post(
        structure, manager=manager, start=DAY - days(600), end=add_months(DAY, 4) - days(1)
    )
    return match, manager


def test_a_contract_ending_in_4_months_is_listed_and_its_structure_mailed_once(
    ending, client, clock, send_emails, mailoutbox
):
    match, manager = ending
    conseiller = match.candidate.user
    conseiller_in_post(manager=manager)  # ends in 300 days: neither listed nor mailed

    [mail] = run(send_emails, mailoutbox)
    assert mail.to == ["direction@exemple.fr"]
    assert mail.subject == "Médiathèque de Vénissieux : contrat à renouveler"
    assert conseiller.get_full_name() in mail.body and "fin le 14/01/2027" in mail.body
    assert f"/recrutements/{match.pk}/renouveler/" in mail.body
    assert run(send_emails, mailoutbox) == []
    clock.forward(1)
    assert run(send_emails, mailoutbox) == []

    for user in (manager, make_user(Role.PREFET), make_user(Role.ADMINISTRATEUR)):
        login(client, user)
        page = client.get(reverse("followup:renewals")).content.decode()
        assert conseiller.get_full_name() in page and "14/01/2027" in page, user
        assert "1 contrat(s)" in page
    # Two months on: the second reminder, once.
    clock.set(add_months(DAY, 2))
    [second] = run(send_emails, mailoutbox)
    assert second.to == ["direction@exemple.fr"]
    assert run(send_emails, mailoutbox) == []


def test_the_filter_and_the_export_of_contracts_to_renew(
    ending, client, django_assert_max_num_queries
):
    match, manager = ending
    conseiller_in_post(manager=manager, end=add_months(DAY, 3))
    login(client, make_user(Role.ADMINISTRATEUR))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("followup:renewals")).content.decode()
    assert "2 contrat(s)" in page
    page = client.get(reverse("followup:renewals"), {"mois": "2"}).content.decode()
    assert match.candidate.user.get_full_name() not in page
    export = client.get(reverse("followup:renewals"), {"mois": "6", "format": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert "Médiathèque de Vénissieux;Rhône (69)" in content
    assert ";14/01/2027;" in content and ";À décider;" in content


def test_a_structure_declares_it_will_not_renew(ending, client, send_emails, mailoutbox):
    match, manager = ending
    contract = Contract.objects.current().get(match=match)
    url = reverse("followup:non_renewal", kwargs={"pk": contract.pk})
    login(client, manager)
    page = client.get(url).content.decode()
    assert "Confirmer le non-renouvellement" in page and "Commentaire (facultatif)" in page
    # No reason: a French error, nothing recorded, the comment kept.
    response = client.post(url, {"confirm": "1", "reason": "", "comment": "Budget 2027"})
    assert "Choisissez la raison du non-renouvellement." in response.content.decode()
    assert "Budget 2027" in response.content.decode()
    assert not NonRenewal.objects.exists()
    response = client.post(
        url, {"confirm": "1", "reason": NonRenewalReason.FUNDING, "comment": "Budget 2027"}
    )
    assert response.status_code == 302
    declared = NonRenewal.objects.get()
    assert (declared.contract, declared.declared_by, declared.comment) == (
        contract,
        manager,
        "Budget 2027",
    )
    # Shown to the préfet with its reason; the structure is not reminded any more.
    login(client, make_user(Role.PREFET))
    page = client.get(reverse("followup:renewals")).content.decode()
    assert "Ne sera pas renouvelé : Financement insuffisant pour poursuivre" in page
    assert run(send_emails, mailoutbox) == []


def test_another_structure_s_contract_is_a_404_and_nothing_changes(ending, client):
    match, _manager = ending
    contract = Contract.objects.current().get(match=match)
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    url = reverse("followup:non_renewal", kwargs={"pk": contract.pk})
    response = client.post(url, {"confirm": "1", "reason": NonRenewalReason.OTHER})
    assert response.status_code == 404
    assert not NonRenewal.objects.exists()
