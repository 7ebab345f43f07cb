import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.communication import announcements
from cnum.communication.models import Announcement
from cnum.communication.testing import make_admin

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
BANNER = "Fermeture de la plateforme samedi"


def post_announcement(client, **fields):
    now = timezone.localtime()
    data = {
        "title": BANNER,
        "body": "Maintenance de 8 h à 12 h.",
        "level": "info",
        "roles": [Role.PREFET],
        "starts_at": (now - HOUR).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + HOUR).strftime("%Y-%m-%dT%H:%M"),
        "dismissable": "on",
        **fields,
    }
    return client.post(reverse("communication:announcement_create"), data)


def prefet(departement):
    organisation = make_organisation(OrganisationKind.PREFECTURE, departement=departement)
    return make_user(Role.PREFET, organisation=organisation)


def dashboard(client, user):
    client.logout()
    login(client, user)
    return client.get(reverse("accounts:dashboard")).content.decode()


def test_a_banner_reaches_the_targeted_role_and_territory_only(client):
    login(client, make_admin())
    response = post_announcement(client, departements=["69"])
    assert response.status_code == 302
    assert BANNER in dashboard(client, prefet("69"))
    assert BANNER not in dashboard(client, prefet("13"))
    assert BANNER not in dashboard(client, make_user(Role.CONSEILLER))  # Rhône, other role


def test_a_banner_shows_only_between_its_dates(client, monkeypatch):
    user = prefet("69")
    admin = make_admin()
    now = timezone.now()
    Announcement.objects.create(
        title=BANNER, body="…", roles=[Role.PREFET], starts_at=now + HOUR,
        ends_at=now + 3 * HOUR, created_by=admin,
    )  # fmt: skip
    assert BANNER not in dashboard(client, user)
    # The page's clock moves on; the visitor's cached entry is reused.
    monkeypatch.setattr(announcements, "timezone", SimpleNamespace(now=lambda: now + 2 * HOUR))
    assert BANNER in client.get(reverse("accounts:dashboard")).content.decode()
    monkeypatch.setattr(announcements, "timezone", SimpleNamespace(now=lambda: now + 4 * HOUR))
    assert BANNER not in client.get(reverse("accounts:dashboard")).content.decode()


def test_dismissing_a_banner_without_javascript_hides_it_for_that_user_only(client):
    login(client, make_admin())
    post_announcement(client)
    user, colleague = prefet("69"), prefet("69")
    assert BANNER in dashboard(client, user)
    announcement = Announcement.objects.get()
    response = client.post(
        reverse("communication:announcement_dismiss", args=[announcement.pk]),
        {"next": reverse("accounts:dashboard")},
    )
    assert response.url == reverse("accounts:dashboard")
    assert BANNER not in client.get(response.url).content.decode()
    assert BANNER in dashboard(client, colleague)
    assert BANNER not in dashboard(client, user)  # stored, not a cookie of the session


def test_an_announcement_that_must_stay_cannot_be_dismissed(client):
    login(client, make_admin())
    post_announcement(client, dismissable="")
    user = prefet("69")
    page = dashboard(client, user)
    assert BANNER in page and "Masquer" not in page
    client.post(reverse("communication:announcement_dismiss", args=[Announcement.objects.get().pk]))
    assert BANNER in client.get(reverse("accounts:dashboard")).content.decode()


def test_an_edited_announcement_shows_at_once(client):
    admin = make_admin()
    login(client, admin)
    post_announcement(client)
    user = prefet("69")
    assert BANNER in dashboard(client, user)
    announcement = Announcement.objects.get()
    dashboard(client, admin)
    now = timezone.localtime()
    client.post(
        reverse("communication:announcement_edit", args=[announcement.pk]),
        {
            "title": "Nouveau titre", "body": "…", "level": "warning", "roles": [Role.PREFET],
            "starts_at": (now - HOUR).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + HOUR).strftime("%Y-%m-%dT%H:%M"),
        },
    )  # fmt: skip
    page = dashboard(client, user)
    assert "Nouveau titre" in page and BANNER not in page


def test_a_page_reads_nothing_for_banners_that_aim_at_other_roles(client):
    login(client, make_admin())
    post_announcement(client)  # for préfets
    conseiller = make_user(Role.CONSEILLER)
    dashboard(client, conseiller)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:dashboard")).content.decode()
    assert BANNER not in page
    assert not [q for q in queries if "communication_" in q["sql"] or "cache" in q["sql"]]
    # A préfet, aimed at, costs the dismissals read, and sees the banner.
    dashboard(client, prefet("69"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:dashboard")).content.decode()
    assert BANNER in page
    assert [q["sql"] for q in queries if "communication_" in q["sql"]] == [
        next(q["sql"] for q in queries if "communication_dismissal" in q["sql"])
    ]


def test_bad_dates_and_links_are_refused_in_french(client):
    login(client, make_admin())
    now = timezone.localtime()
    response = post_announcement(
        client,
        starts_at=now.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(now - HOUR).strftime("%Y-%m-%dT%H:%M"),
        link="javascript:alert(1)",
    )
    page = response.content.decode()
    assert "La fin de l&#x27;affichage doit suivre son début." in page
    assert "Le lien commence par / (une page du site) ou par https://." in page
    assert not Announcement.objects.exists()
