import csv
import io
import json
from html import unescape

import pytest
from django.urls import reverse

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, login, make_user
from cnum.candidates.models import CandidateArchive, CandidateProfile
from cnum.candidates.testing import make_profile
from cnum.places.models import ConseillerListing
from cnum.profiles.models import ContactDetails
from cnum.recruitment.models import Contract
from cnum.recruitment.testing import employed

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


DELETE = reverse("profiles:delete")


def test_json_export_holds_account_contact_roles_and_candidacy(client):
    user = make_user(Role.GESTIONNAIRE_STRUCTURE, email="alix@exemple.fr", first_name="Alix")
    ContactDetails.objects.create(user=user, phone="0612345678", job_title="Directrice")
    make_profile(user)
    login(client, user)
    response = client.get(reverse("profiles:export_json"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["compte"]["adresse_electronique"] == "alix@exemple.fr"
    assert data["coordonnees"]["fonction"] == "Directrice"
    assert {role["role"] for role in data["roles"]} == {"Gestionnaire de structure"}
    assert data["candidature"]["profil"]["telephone"] == "0612345678"


def test_csv_export_has_the_same_values_one_per_line(client):
    user = login(client, make_user(Role.PREFET, first_name="=SOMME(A1)"))
    response = client.get(reverse("profiles:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = dict(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows["compte.adresse_electronique"] == user.email
    assert rows["compte.prenom"] == "'=SOMME(A1)"  # never read as a formula
    assert rows["roles.1.role"] == "Préfet"


def test_export_of_a_conseiller_lists_the_contracts(client):
    match = employed()
    login(client, match.candidate.user)
    data = json.loads(client.get(reverse("profiles:export_json")).content)
    assert data["contrats"][0]["structure"] == match.structure.name
    assert data["contrats"][0]["etat"] == "Contrat en cours"
    assert data["contrats"][0]["heures_par_semaine"] == 35
    assert data["presence_sur_la_carte"] is None


def test_export_tells_what_the_map_shows_of_the_conseiller(client):
    match = employed()
    ConseillerListing.objects.create(
        conseiller=match.candidate.user, visible=True, phone="0102030405"
    )
    login(client, match.candidate.user)
    data = json.loads(client.get(reverse("profiles:export_json")).content)
    assert data["presence_sur_la_carte"]["visible"] is True
    assert data["presence_sur_la_carte"]["telephone"] == "0102030405"


def test_a_person_without_role_deletes_their_account(client, send_emails, mailoutbox):
    user = login(client, make_user(email="partir@exemple.fr"))
    ContactDetails.objects.create(user=user, phone="0612345678")
    assert "définitivement" in text(client.get(DELETE))
    with send_emails():
        response = client.post(DELETE, {"password": PASSWORD})
    assert response.url == reverse("profiles:deleted")
    assert not User.objects.filter(pk=user.pk).exists()
    assert mailoutbox[0].to == ["partir@exemple.fr"]
    assert client.get(reverse("profiles:account")).status_code == 302  # logged out


def test_a_wrong_password_deletes_nothing(client):
    user = login(client, make_user())
    response = client.post(DELETE, {"password": "pas-le-bon"})
    assert "Mot de passe incorrect" in text(response)
    assert User.objects.filter(pk=user.pk).exists()


def test_a_candidate_leaves_an_anonymous_archive(client):
    profile = make_profile()
    login(client, profile.user)
    client.post(DELETE, {"password": PASSWORD})
    assert not User.objects.filter(pk=profile.user_id).exists()
    assert CandidateArchive.objects.count() == 1


def test_a_role_to_keep_blocks_the_deletion_and_says_why(client):
    user = login(client, make_user(Role.PREFET))
    page = text(client.get(DELETE))
    assert "ne peut pas être supprimé pour l'instant" in page
    assert "doit d'abord vous être retiré par l'administration nationale" in page
    assert 'type="password"' not in page
    client.post(DELETE, {"password": PASSWORD})
    assert User.objects.get(pk=user.pk).is_active


def test_a_conseiller_under_contract_cannot_delete(client):
    match = employed()
    user = login(client, match.candidate.user)
    page = text(client.get(DELETE))
    assert f"contrat en cours (ou en cours de validation) avec {match.structure.name}" in page
    client.post(DELETE, {"password": PASSWORD})
    assert User.objects.filter(pk=user.pk, is_active=True).exists()


def test_a_former_conseiller_is_anonymised_and_the_contract_kept(client):
    from cnum.accounts.models import Membership
    from cnum.matching.enums import MatchStatus
    from cnum.matching.models import Match

    match = employed()
    user = match.candidate.user
    # The contract ended: the match is closed and the role withdrawn.
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.TERMINEE)
    Membership.objects.filter(user=user).exclude(role=Role.CANDIDAT).update(is_active=False)
    login(client, user)
    client.post(DELETE, {"password": PASSWORD})
    user.refresh_from_db()
    assert user.last_name == "Compte supprimé" and user.first_name == ""
    assert user.email.endswith("@compte-supprime.invalid")
    assert not user.is_active and not user.has_usable_password()
    assert Contract.objects.filter(match=match).exists()
    profile = CandidateProfile.objects.get(user=user)
    assert profile.phone == "" and profile.motivation == ""
