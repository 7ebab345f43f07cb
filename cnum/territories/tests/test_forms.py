"""CommuneField and its combobox widget, with and without JavaScript."""

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.urls import reverse

from cnum.territories.forms import CommuneField, CommuneSearchForm
from cnum.territories.models import Commune

pytestmark = pytest.mark.django_db


class AddressForm(forms.Form):
    commune = CommuneField()


class CorsicaForm(forms.Form):
    commune = CommuneField(queryset=Commune.objects.filter(departement__in=["2A", "2B"]))


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Ajaccio (2A)", "2A004"),  # what the combobox writes when an option is chosen
        ("ajaccio", "2A004"),  # typed without JavaScript
        ("20000", "2A004"),
        ("2A004", "2A004"),
        ("75001", "75101"),
        ("Saint-Denis (93)", "93066"),
    ],
)
def test_valid(typed, code):
    form = AddressForm({"commune": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == Commune.objects.get(pk=code)


def test_ambiguous_name_lists_the_candidates():
    form = AddressForm({"commune": "Saint-Denis"})
    assert not form.is_valid()
    [message] = form.errors["commune"]
    assert message.startswith("Plusieurs communes s'appellent « Saint-Denis »")
    assert "Saint-Denis (93)" in message and "Saint-Denis (974)" in message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", "Indiquez une commune."),
        ("   ", "Indiquez une commune."),
        ("Zzzyzx", "Aucune commune ne s'appelle « Zzzyzx »."),
        ("99999", "Aucune commune ne correspond au code « 99999 »."),
        ("ajacc", "Vouliez-vous dire : Ajaccio (2A) ?"),
    ],
)
def test_invalid(typed, expected):
    form = AddressForm({"commune": typed})
    assert not form.is_valid()
    assert expected in form.errors["commune"][0]


def test_queryset_restricts_the_choice():
    assert CorsicaForm({"commune": "bastia"}).is_valid()
    assert not CorsicaForm({"commune": "lyon"}).is_valid()


def test_optional_field():
    class OptionalForm(forms.Form):
        commune = CommuneField(required=False)

    form = OptionalForm({"commune": ""})
    assert form.is_valid()
    assert form.cleaned_data["commune"] is None


def test_widget_is_an_aria_combobox():
    html = str(AddressForm()["commune"])
    assert 'role="combobox"' in html
    assert 'aria-expanded="false"' in html
    assert 'aria-autocomplete="list"' in html
    assert 'aria-controls="id_commune-suggestions"' in html
    assert '<ul class="cnum-combobox__list" role="listbox" id="id_commune-suggestions"' in html
    assert 'role="status" aria-live="polite"' in html
    assert f'hx-get="{reverse("territories:autocomplete")}"' in html
    assert 'name="commune"' in html and 'type="text"' in html


def test_widget_shows_the_label_of_the_initial_commune():
    form = AddressForm(initial={"commune": Commune.objects.get(pk="2A004")})
    assert 'value="Ajaccio (2A)"' in str(form["commune"])


def test_bound_widget_keeps_what_was_typed():
    form = AddressForm({"commune": "Saint-Denis"})
    assert 'value="Saint-Denis"' in str(form["commune"])


def test_media_are_vendored_static_files():
    media = AddressForm().media
    scripts = list(media._js)
    assert scripts == ["django_htmx/htmx-2.min.js", "territories/combobox.js"]
    assert all(finders.find(path) for path in scripts)


def test_search_form_radius():
    assert CommuneSearchForm({"commune": "ajaccio"}).is_valid()
    form = CommuneSearchForm({"commune": "ajaccio", "rayon": "30"})
    assert form.is_valid() and form.cleaned_data["rayon"] == 30
    form = CommuneSearchForm({"commune": "ajaccio", "rayon": "1000"})
    assert form.errors["rayon"] == ["Choisissez un rayon de 5, 10, 20 ou 30 km."]
