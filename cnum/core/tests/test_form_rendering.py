"""The site's form rendering: optional fields say so, the error summary links each field in
error, and a password too close to the name is flagged under the password itself."""

from html import unescape

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse


class Sample(forms.Form):
    name = forms.CharField(label="Nom")
    phone = forms.CharField(label="Téléphone", required=False)
    note = forms.CharField(label="Note (facultatif)", required=False)


def field_html(form, name):
    return render_to_string("core/_field.html", {"field": form[name]})


def test_optional_fields_are_marked_once():
    form = Sample()
    assert "(facultatif)" not in field_html(form, "name")
    assert "Téléphone (facultatif)" in field_html(form, "phone")
    assert field_html(form, "note").count("facultatif") == 1


def test_the_error_summary_links_each_field_in_error():
    form = Sample(data={"name": ""})
    html = unescape(render_to_string("core/_form_errors.html", {"form": form}))
    assert '<a href="#id_name">Nom</a>' in html
    assert "Téléphone" not in html


@pytest.mark.django_db
def test_a_password_like_the_email_is_flagged_under_the_password(client):
    data = {
        "first_name": "Alix",
        "last_name": "Durand",
        "email": "alix.durand@exemple.fr",
        "password1": "alix.durand@exemple.fr",
        "password2": "alix.durand@exemple.fr",
    }
    page = unescape(client.post(reverse("accounts:signup"), data).content.decode())
    under_password = page[page.index('id="id_password1-messages"') :]
    under_password = under_password[: under_password.index("</div>")]
    under_confirmation = page[page.index('id="id_password2-messages"') :]
    under_confirmation = under_confirmation[: under_confirmation.index("</div>")]
    assert "trop semblable" in under_password
    assert "trop semblable" not in under_confirmation
    assert '<a href="#id_password1">Mot de passe</a>' in page
