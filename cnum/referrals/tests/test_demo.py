import pytest

from cnum.accounts.roles import Role
from cnum.activity.testing import make_conseiller
from cnum.places.testing import make_place
from cnum.referrals import demo
from cnum.referrals.enums import Status
from cnum.referrals.models import Referral


@pytest.mark.django_db
def test_demo_referrals_are_seeded_once():
    conseiller = make_conseiller()
    make_place(courriels=["accueil@lieu.fr"])
    context = {"users": {Role.CONSEILLER: conseiller}}
    demo.seed(context)
    demo.seed(context)
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == [Status.ACCEPTEE, Status.ENVOYEE]
