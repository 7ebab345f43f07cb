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


def test_foreign_key_selects_built_by_model_forms_say_it_too():
    from django import forms

    from cnum.places.models import Place

    form_class = forms.modelform_factory(Place, fields=["structure"])
    html = str(form_class()["structure"])
    assert "---------" not in html and f">{EMPTY_CHOICE}</option>" in html


def test_date_and_time_fields_use_the_native_picker_and_accept_both_formats():
    from cnum.structures.forms import CallForInterestForm

    form = CallForInterestForm()
    assert 'type="datetime-local"' in str(form["opens_at"])
    for typed in ("2030-09-01T09:00", "01/09/2030 09:00"):
        assert form.fields["opens_at"].clean(typed).hour == 9
