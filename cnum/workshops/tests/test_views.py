"""Public pages (search, detail, registration, cancellation) and the conseiller's screens."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.testing import login
from cnum.places.testing import make_place
from cnum.workshops import services
from cnum.workshops.enums import RegistrationStatus
from cnum.workshops.models import Registration, Workshop
from cnum.workshops.testing import make_conseiller, make_registration, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def conseiller():
    return make_conseiller()


def structure_of(user):
    return user.memberships.get().organisation.structure


def test_public_list_by_postal_code_with_distance(client, django_assert_max_num_queries):
    for _ in range(3):
        make_workshop()
    make_workshop(remote=True, title="Visio e-mail")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("workshops:list"), {"q": "69001", "rayon": "20"})
    assert response.status_code == 200
    assert len(response.context["results"]) == 3
    assert "km" in response.content.decode()
    assert "Visio e-mail" in response.content.decode()


def test_public_list_bad_input_is_a_french_error(client):
    response = client.get(reverse("workshops:list"), {"q": "zzzzqqq", "page": "x"})
    assert response.status_code == 400
    assert "Aucune commune" in response.content.decode()


def link_in(mail):
    return re.search(r"https?://[^/\s]+(/ateliers/inscription/\S+/)", mail.body)[1]


def test_a_person_registers_confirms_then_cancels(client, send_emails, mailoutbox):
    workshop = make_workshop(capacity=1)
    url = reverse("workshops:detail", args=[workshop.pk])
    with send_emails():
        response = client.post(url, {"name": "Ana Lopez", "email": "ana@exemple.fr"})
    registration = Registration.objects.get()
    # No link to the registration's page in the answer: only the mailbox holds it.
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert registration.token not in html
    assert "aucune place n&#x27;est réservée" in html
    link = link_in(mailoutbox[0])
    # Opening the link (as a mail scanner would) confirms nothing and shows no name.
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Confirmer mon inscription" in html and "Ana Lopez" not in html
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.EN_ATTENTE
    assert "1 place disponible" in client.get(url).content.decode()
    with send_emails():
        confirmed = client.post(link, {"action": "confirmer"}, follow=True)
    html = confirmed.content.decode()
    assert "Votre inscription est confirmée" in html and "Ana Lopez" in html
    assert "Annuler mon inscription" in html
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.INSCRITE
    # Full now.
    full = client.post(url, {"name": "Bo", "email": "bo@exemple.fr"})
    assert full.status_code == 400 and "complet" in full.content.decode()
    client.post(link)
    client.post(link)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ANNULEE


def test_confirmation_is_a_post_protected_against_forgery(send_emails, mailoutbox):
    from django.test import Client

    workshop = make_workshop()
    csrf_client = Client(enforce_csrf_checks=True)
    services.request_registration(workshop, name="Ana", email="ana@exemple.fr")
    registration = Registration.objects.get()
    url = reverse("workshops:registration", args=[registration.token])
    assert csrf_client.post(url, {"action": "confirmer"}).status_code == 403
    page = csrf_client.get(url)
    token = page.context["csrf_token"]
    response = csrf_client.post(url, {"action": "confirmer", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.INSCRITE


def test_full_at_confirmation_says_so_in_french(client):
    workshop = make_workshop(capacity=1)
    late = services.request_registration(workshop, name="Ana", email="ana@exemple.fr")
    make_registration(workshop)
    response = client.post(
        reverse("workshops:registration", args=[late.token]), {"action": "confirmer"}
    )
    assert response.status_code == 400
    assert "Cet atelier est complet" in response.content.decode()
    late.refresh_from_db()
    assert late.status == RegistrationStatus.EN_ATTENTE


def test_an_expired_link_says_so_and_takes_no_seat(client):
    workshop = make_workshop(capacity=1)
    pending = services.request_registration(workshop, name="Ana", email="ana@exemple.fr")
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    url = reverse("workshops:registration", args=[pending.token])
    assert "Ce lien de confirmation a expiré" in client.get(url).content.decode()
    response = client.post(url, {"action": "confirmer"})
    assert response.status_code == 400 and "a expiré" in response.content.decode()
    assert services.active_count(workshop) == 0


def test_registration_needs_an_email(client):
    workshop = make_workshop()
    url = reverse("workshops:detail", args=[workshop.pk])
    response = client.post(url, {"name": "Ana", "phone": "0601020304"})
    assert response.status_code == 400
    assert "Indiquez votre adresse électronique" in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_is_throttled_per_address(client):
    workshop = make_workshop(capacity=50)
    url = reverse("workshops:detail", args=[workshop.pk])
    statuses = [
        client.post(url, {"name": "X", "email": f"victim{n}@example.org"}).status_code
        for n in range(20)
    ]
    assert statuses[:10] == [302] * 10 and set(statuses[10:]) == {429}
    assert services.active_count(workshop) == 0
    assert Registration.objects.count() == 10
    other = client.post(url, {"name": "Bo", "email": "bo@exemple.fr"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_requests_per_email_are_limited_with_a_french_message(client):
    from cnum.workshops.views import EMAIL_LIMIT

    workshop = make_workshop(capacity=50)
    url = reverse("workshops:detail", args=[workshop.pk])
    limit, _ = EMAIL_LIMIT
    for n in range(limit):
        client.post(url, {"name": "X", "email": "ana@exemple.fr"}, REMOTE_ADDR=f"10.0.1.{n}")
    response = client.post(url, {"name": "X", "email": "Ana@exemple.fr"}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 400
    assert "réessayez dans une heure" in response.content.decode()
    assert Registration.objects.count() == limit
    other = client.post(url, {"name": "X", "email": "bo@exemple.fr"}, REMOTE_ADDR="10.0.2.1")
    assert other.status_code == 302


def test_conseiller_schedules_a_workshop(client, conseiller):
    place = make_place(structure=structure_of(conseiller))
    login(client, conseiller)
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": "Sécurité en ligne",
        "thematiques": ["securite_numerique"],
        "niveau": "debutant",
        "place": place.pk,
        "date": day.isoformat(),
        "time": "14:00",
        "duration": "90",
        "capacity": "12",
        "recurrence": "hebdomadaire",
        "occurrences": "4",
    }
    response = client.post(reverse("workshops:create"), data)
    assert response.status_code == 302
    assert Workshop.objects.filter(structure=place.structure).count() == 4


def test_schedule_form_errors_in_french(client, conseiller):
    other_place = make_place()
    login(client, conseiller)
    response = client.post(
        reverse("workshops:create"),
        {"title": "", "place": other_place.pk, "date": "2001-01-01", "time": "25:00"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choisissez au moins une thématique." in body
    assert not Workshop.objects.exists()


def test_conseiller_marks_attendance(client, conseiller):
    workshop = make_workshop(conseiller=conseiller, starts_in=datetime.timedelta(hours=-2))
    here, away = make_registration(workshop), make_registration(workshop)
    login(client, conseiller)
    url = reverse("workshops:manage", args=[workshop.pk])
    page = client.get(url)
    assert f"/activite/saisie/?atelier={workshop.pk}" in page.content.decode()
    response = client.post(url, {"present": [str(here.pk), "abc"]})
    assert response.status_code == 302
    here.refresh_from_db()
    away.refresh_from_db()
    assert (here.attended, away.attended) == (True, False)


def test_colleague_of_the_same_structure_manages_and_others_get_404(client, conseiller):
    workshop = make_workshop(conseiller=conseiller)
    colleague = make_conseiller(structure_of(conseiller))
    login(client, colleague)
    assert client.get(reverse("workshops:manage", args=[workshop.pk])).status_code == 200
    stranger = make_conseiller()
    login(client, stranger)
    assert client.post(reverse("workshops:cancel", args=[workshop.pk])).status_code == 404
    workshop.refresh_from_db()
    assert not workshop.is_cancelled


def test_conseiller_cancels_a_workshop(client, conseiller):
    workshop = make_workshop(conseiller=conseiller)
    login(client, conseiller)
    assert client.get(reverse("workshops:cancel", args=[workshop.pk])).status_code == 200
    client.post(reverse("workshops:cancel", args=[workshop.pk]))
    workshop.refresh_from_db()
    assert workshop.is_cancelled


def test_edit_refuses_capacity_below_registrations(client, conseiller):
    workshop = make_workshop(conseiller=conseiller, capacity=5)
    make_registration(workshop)
    make_registration(workshop)
    login(client, conseiller)
    url = reverse("workshops:edit", args=[workshop.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(capacity="1", date=form.initial["date"].isoformat(), time="10:00")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "déjà inscrites" in response.content.decode()


def test_my_workshops_query_budget(client, conseiller, django_assert_max_num_queries):
    for _ in range(5):
        make_workshop(conseiller=conseiller)
    login(client, conseiller)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("workshops:mine"))
    assert len(response.context["upcoming"]) == 5


def test_conseiller_cancels_the_rest_of_a_series(client, conseiller):
    from cnum.workshops import services
    from cnum.workshops.enums import Niveau, Recurrence

    place = make_place(structure=structure_of(conseiller))
    data = {
        "title": "Série",
        "thematiques": ["email"],
        "niveau": Niveau.DEBUTANT,
        "place": place,
        "remote": False,
        "starts_at": timezone.now() + datetime.timedelta(days=2),
        "duration": 60,
        "capacity": 5,
    }
    first, second, third = services.schedule_series(
        conseiller, place.structure, data, Recurrence.HEBDOMADAIRE, 3
    )
    login(client, conseiller)
    client.post(reverse("workshops:cancel", args=[second.pk]), {"serie": "1"})
    cancelled = [w.pk for w in Workshop.objects.filter(cancelled_at__isnull=False)]
    assert sorted(cancelled) == sorted([second.pk, third.pk])
