"""Public pages (search, detail, registration, cancellation) and the conseiller's screens."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.testing import login
from cnum.places.testing import make_place
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


def test_a_person_registers_then_cancels(client):
    workshop = make_workshop(capacity=1)
    url = reverse("workshops:detail", args=[workshop.pk])
    response = client.post(url, {"name": "Ana Lopez", "email": "ana@exemple.fr"})
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:registration", args=[registration.token])
    page = client.get(response["Location"])
    assert "Annuler mon inscription" in page.content.decode()
    # Full now.
    full = client.post(url, {"name": "Bo", "phone": "06 01 02 03 04"})
    assert full.status_code == 400 and "complet" in full.content.decode()
    client.post(response["Location"])
    client.post(response["Location"])
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ANNULEE


def test_registration_needs_a_contact(client):
    workshop = make_workshop()
    response = client.post(reverse("workshops:detail", args=[workshop.pk]), {"name": "Ana"})
    assert response.status_code == 400
    assert "adresse électronique ou un numéro de téléphone" in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_is_throttled(client, settings):
    workshop = make_workshop(capacity=50)
    url = reverse("workshops:detail", args=[workshop.pk])
    statuses = [
        client.post(url, {"name": "X", "phone": "0601020304"}).status_code for _ in range(11)
    ]
    assert statuses[-1] == 429


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
