"""Selects invite to choose in French; Django's « --------- » never shows."""

import pytest

from cnum.core.forms import EMPTY_CHOICE
from cnum.structures.forms import PrefetOpinionForm
from cnum.structures.models import Structure

pytestmark = pytest.mark.django_db


def test_model_choice_selects_say_what_to_do():
    html = str(PrefetOpinionForm(structures=Structure.objects.all())["transfer_to"])
    assert "---------" not in html and f">{EMPTY_CHOICE}</option>" in html


def test_model_field_choices_start_with_the_french_empty_choice():
    first = Structure._meta.get_field("type").get_choices()[0]
    assert first == ("", EMPTY_CHOICE)
