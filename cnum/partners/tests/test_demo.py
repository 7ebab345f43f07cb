import pytest

from cnum.accounts import demo as accounts_demo
from cnum.partners import demo
from cnum.partners.models import PartnerService
from cnum.partners.secrets import secret_matches

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_stores_the_secret_hashed():
    context = {}
    accounts_demo.seed(context)
    demo.seed(context)
    demo.seed(context)
    service = PartnerService.objects.get()
    assert service.application.client_id == demo.DEMO_CLIENT_ID
    assert secret_matches(demo.DEMO_CLIENT_SECRET, service.application.client_secret)
    assert demo.DEMO_CLIENT_SECRET not in service.application.client_secret
    assert context["partner_service"] == service
