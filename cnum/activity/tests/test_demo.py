import pytest

from cnum.accounts.roles import Role
from cnum.activity import demo
from cnum.activity.models import Cra
from cnum.activity.testing import make_conseiller


@pytest.mark.django_db
def test_demo_records_are_valid_and_seeded_once():
    conseiller = make_conseiller()
    context = {"users": {Role.CONSEILLER: conseiller}}
    demo.seed(context)
    demo.seed(context)
    assert Cra.objects.filter(conseiller=conseiller).count() == 20
    assert Cra.objects.filter(type="collectif").count() == 4
