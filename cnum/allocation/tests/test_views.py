import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.allocation.models import AllocationRun, Scope
from cnum.allocation.testing import make_validated_structure
from cnum.candidates.testing import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


def test_launch_then_read_the_results(client, admin, django_capture_on_commit_callbacks, run_tasks):
    lyon = make_validated_structure(posts=2, departement="69", name="Mairie de Lyon")
    make_validated_structure(posts=1, departement="974")
    candidate = make_profile(commune="69266")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("allocation:runs"), {"scope": Scope.NATIONAL})
    run = AllocationRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("allocation:run", args=[run.pk])
    assert "Le calcul est en cours" in client.get(response.url).content.decode()
    run_tasks()
    page = client.get(response.url).content.decode()
    assert "1 / 3" in page  # one post filled out of three vacant
    assert "La Réunion (974)" in page  # a département that needs candidates
    detail = client.get(reverse("allocation:run_departement", args=[run.pk, "69"]))
    body = detail.content.decode()
    assert lyon.name in body and candidate.user.get_full_name() in body
    assert "Aucun candidat disponible à portée" not in body


def test_missing_target_is_a_clear_error(client, admin):
    response = client.post(reverse("allocation:runs"), {"scope": Scope.DEPARTEMENT})
    assert response.status_code == 400
    assert "Choisissez le département." in response.content.decode()
    response = client.post(reverse("allocation:runs"), {"scope": Scope.SESSION, "session": "abc"})
    assert response.status_code == 400
    assert not AllocationRun.objects.exists()


def test_departement_page_has_a_fixed_query_budget(client, admin, django_assert_max_num_queries):
    from cnum.allocation import services

    for _ in range(8):
        make_validated_structure(posts=2, departement="69")
        make_profile(commune="69123")
    run = services.compute(AllocationRun.objects.create(scope=Scope.NATIONAL))
    url = reverse("allocation:run_departement", args=[run.pk, "69"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("<li><a href=") >= 8
    with django_assert_max_num_queries(12):
        client.get(reverse("allocation:runs"))
    with django_assert_max_num_queries(12):
        client.get(reverse("allocation:run", args=[run.pk]))


def test_unknown_departement_is_404(client, admin):
    run = AllocationRun.objects.create(scope=Scope.NATIONAL)
    url = reverse("allocation:run_departement", args=[run.pk, "XX"])
    assert client.get(url).status_code == 404
