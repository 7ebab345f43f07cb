"""A structure manager reads the workshops of its conseillers (read only)."""

import datetime

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.structures.testing import make_structure
from cnum.workshops.testing import make_conseiller, make_registration, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = make_user(Role.GESTIONNAIRE_STRUCTURE)
    login(client, user)
    return user


def test_upcoming_first_with_registrations_and_attendance(
    client, manager, django_assert_max_num_queries
):
    structure = make_structure(manager=manager)
    conseiller = make_conseiller(structure)
    later = make_workshop(
        conseiller=conseiller, title="Tableur", starts_in=datetime.timedelta(days=9)
    )
    soon = make_workshop(conseiller=conseiller, title="Messagerie")
    for _ in range(2):
        make_registration(soon)
    done = make_workshop(
        conseiller=conseiller, title="Smartphone", starts_in=datetime.timedelta(days=-2)
    )
    make_registration(done, attended=True)
    make_registration(done, attended=True)
    make_registration(done, attended=False)
    unmarked = make_workshop(
        conseiller=conseiller, title="Visio", starts_in=datetime.timedelta(days=-5)
    )
    make_registration(unmarked)
    elsewhere = make_workshop(title="Atelier d'une autre structure")

    with django_assert_max_num_queries(10):
        response = client.get(reverse("workshops:structure"))
    assert response.status_code == 200
    assert response.context["upcoming"] == [soon, later]
    assert response.context["past"] == [done, unmarked]
    page = response.content.decode()
    assert elsewhere.title not in page
    assert page.index("Messagerie") < page.index("Tableur") < page.index("Smartphone")
    row = page[page.index("Smartphone") :]
    row = row[: row.index("</tr>")]
    assert "3 / 10" in row and "<td>2</td>" in row  # 3 registered, 2 present
    assert "Non renseignées" in page[page.index("Visio") :]
    assert conseiller.get_full_name() in page
    # Read only: no link to the conseiller's screens.
    assert reverse("workshops:manage", kwargs={"pk": soon.pk}) not in page


def test_a_manager_without_structure_is_told_so(client, manager):
    response = client.get(reverse("workshops:structure"))
    assert response.status_code == 200
    assert "aucune structure" in response.content.decode()


def test_a_conseiller_is_refused(client):
    login(client, make_conseiller())
    assert client.get(reverse("workshops:structure")).status_code == 403
