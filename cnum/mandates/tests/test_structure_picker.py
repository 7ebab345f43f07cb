"""An aidant of several structures acts for one at a time and sees only its usagers."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.mandates import services
from cnum.mandates.models import Usager
from cnum.mandates.policies import CURRENT_STRUCTURE_KEY
from cnum.mandates.tests.factories import (
    fresh_login,
    habilitated_structure,
    join_as_aidant,
    make_usager,
    validated_aidant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def first():
    return habilitated_structure(name="Maison France services de Bron")


@pytest.fixture
def second():
    return habilitated_structure(name="CCAS de Vaulx-en-Velin")


@pytest.fixture
def aidant(first, second):
    user = validated_aidant(first)
    join_as_aidant(user, second)
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    return user


def mandate_for(aidant, structure, family_name):
    usager = make_usager(structure, aidant, family_name=family_name)
    return services.create_mandate(
        aidant=aidant, usager=usager, domains=["papiers"], duration_days=31, consent=True
    )


def home(client):
    return unescape(client.get(reverse("mandates:home")).content.decode())


def switch(client, structure_id):
    return client.post(reverse("mandates:structure_switch"), {"structure": structure_id})


def test_aidant_sees_only_the_current_structure_and_switches(client, aidant, first, second):
    in_first = mandate_for(aidant, first, "Premièrestructure")
    in_second = mandate_for(aidant, second, "Secondestructure")
    fresh_login(client, aidant)
    page = home(client)
    first_pk = min(first.pk, second.pk)
    current, other = (in_first, in_second) if first_pk == first.pk else (in_second, in_first)
    assert current.usager.family_name in page and other.usager.family_name not in page
    assert "Changer de structure" in page

    response = switch(client, other.organisation_id)
    assert response.url == reverse("mandates:home")
    page = home(client)
    assert f"Vous agissez pour <strong>{other.organisation}</strong>" in page
    assert other.usager.family_name in page and current.usager.family_name not in page
    # The other structure's records are now out of reach, as a foreign id would be.
    for name, kwargs in [
        ("mandates:mandate_detail", {"pk": current.pk}),
        ("mandates:attestation", {"pk": current.pk}),
        ("mandates:mandate_create", {"usager_pk": current.usager_id}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    revoke = reverse("mandates:mandate_revoke", args=[current.pk])
    assert client.post(revoke, {"confirm": "1"}).status_code == 404
    current.refresh_from_db()
    assert current.is_active


def test_new_usager_goes_to_the_current_structure(client, aidant, first, second):
    fresh_login(client, aidant)
    switch(client, max(first.pk, second.pk))
    client.post(
        reverse("mandates:usager_create"),
        {
            "given_names": "Dominique",
            "family_name": "Lefèvre",
            "birth_date": "1950-04-02",
            "birth_place": "Lyon",
            "document_checked": "on",
        },
    )
    assert Usager.objects.get().organisation_id == max(first.pk, second.pk)


def test_switching_to_a_foreign_or_bad_id_changes_nothing(client, aidant, first, second):
    foreign = habilitated_structure()
    fresh_login(client, aidant)
    switch(client, second.pk)
    for value in [foreign.pk, "abc", "", "-1", 10**12]:
        assert switch(client, value).status_code == 404, value
        assert client.session[CURRENT_STRUCTURE_KEY] == second.pk
    assert client.get(reverse("mandates:structure_switch")).status_code == 405


def test_a_structure_left_is_no_longer_current(client, aidant, first, second):
    fresh_login(client, aidant)
    switch(client, second.pk)
    aidant.memberships.filter(organisation=second).update(is_active=False)
    page = home(client)
    assert f"Vous agissez pour <strong>{first}</strong>" in page
    assert "Changer de structure" not in page


def test_picker_form_carries_its_csrf_token(aidant, first, second):
    browser = Client(enforce_csrf_checks=True)
    fresh_login(browser, aidant)
    page = home(browser)
    form = re.search(
        r'action="/aidants-connect/structure/".*?name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
        re.DOTALL,
    )
    data = {"structure": second.pk, "csrfmiddlewaretoken": form.group(1)}
    assert browser.post(reverse("mandates:structure_switch"), data).status_code == 302
    assert browser.session[CURRENT_STRUCTURE_KEY] == second.pk


def test_non_aidants_cannot_switch(client, first):
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE, organisation=first))
    assert switch(client, first.pk).status_code == 403
    assert CURRENT_STRUCTURE_KEY not in client.session
