"""The aidant's choice at the authorize step: an unreadable one is a 404 and issues no code."""

import pytest
from oauth2_provider.models import Grant


@pytest.mark.parametrize("value", ["²", str(2**66), "-1", "abc"])
def test_an_unreadable_authorisation_is_a_404_and_no_code_is_issued(
    client, world, authorization, value
):
    start = authorization()
    response = client.post(start["url"], {"authorisation": value})
    assert response.status_code == 404
    assert not Grant.objects.exists()
