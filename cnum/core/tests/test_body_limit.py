"""Bodies declared larger than MAX_REQUEST_BODY_MB are refused before anything reads them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test as soon as anything reads it."""

    def read(self, *args):
        raise AssertionError("le corps de la requête a été lu")

    readline = read


def post_declaring(client, length):
    return client.generic(
        "POST",
        reverse("accounts:login"),
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=length,
        **{"wsgi.input": UnreadableBody()},
    )


def test_a_40_mb_body_is_refused_with_a_413_in_french_before_being_read(client):
    response = post_declaring(client, str(40 * MB))
    assert response.status_code == 413
    page = response.content.decode()
    assert "Envoi trop volumineux" in page and "dépasse 12 Mo" in page


def test_the_maximum_is_configurable(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1 * MB
    assert post_declaring(client, str(MB + 1)).status_code == 413
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 200  # a small body still reaches the view


@pytest.mark.parametrize("length", ["²", "-1", "1e9", ""])
def test_an_unreadable_declared_length_means_no_body(client, length):
    # Django reads no body without a usable length: nothing to refuse, nothing read.
    assert post_declaring(client, length).status_code == 200
