import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cnum.candidates.forms import ApplicationForm, PixForm, ProfileForm
from cnum.candidates.models import MAX_DISTANCES
from cnum.candidates.services import today

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "phone": "06 12 34 56 78",
        "commune": "Lyon (69)",
        "situations": ["demandeur_emploi"],
        "diploma_name": "",
        "availability_date": (today() + datetime.timedelta(days=3)).isoformat(),
        "max_distance_km": "20",
        "motivation": "Aider les habitants de mon quartier.",
    }
    data.update(overrides)
    return data


def application_data(**overrides):
    data = {
        "first_name": "Alix",
        "last_name": "Durand",
        "email": "alix.durand@exemple.fr",
        "password1": "Un-mot-de-passe-solide-2026",
        "password2": "Un-mot-de-passe-solide-2026",
        "accept_terms": "on",
        **profile_data(),
    }
    data.update(overrides)
    return data


def test_valid_profile_derives_departement_from_the_commune():
    form = ProfileForm(profile_data(commune="Ajaccio (2A)"))
    assert form.is_valid(), form.errors
    data = form.profile_data()
    assert data["commune"].departement_id == "2A"
    assert data["phone"] == "0612345678"
    assert data["is_job_seeker"] and not data["has_diploma"]


def test_at_least_one_situation():
    form = ProfileForm(profile_data(situations=[]))
    assert form.errors["situations"] == ["Cochez au moins une situation."]


def test_diploma_requires_its_name_and_name_dropped_otherwise():
    form = ProfileForm(profile_data(situations=["diplome_mediation_numerique"]))
    assert form.errors["diploma_name"] == ["Indiquez le nom de votre diplôme."]
    form = ProfileForm(profile_data(diploma_name="Titre REMN"))
    assert form.is_valid() and form.cleaned_data["diploma_name"] == ""


def test_unknown_commune_and_bad_phone_are_explained():
    form = ProfileForm(profile_data(commune="Nullepart-sur-Mer", phone="12345"))
    assert form.errors["commune"]
    assert "numéro de téléphone français" in form.errors["phone"][0]


def test_overseas_phone_accepted():
    assert ProfileForm(profile_data(phone="+262 692 12 34 56")).is_valid()


def test_motivation_limited_to_2500_characters():
    assert ProfileForm(profile_data(motivation="a" * 2500)).is_valid()
    form = ProfileForm(profile_data(motivation="a" * 2501))
    assert "2500 caractères" in form.errors["motivation"][0]


def test_application_password_rules_and_terms():
    # A password too close to the name is reported under the password itself.
    form = ApplicationForm(application_data(password1="durand2026", password2="durand2026"))
    assert form.errors["password1"] and "password2" not in form.errors
    form = ApplicationForm(application_data(password2="autre-chose-2026-x"))
    assert form.errors["password2"] == ["Les deux mots de passe ne sont pas identiques."]
    form = ApplicationForm(application_data(accept_terms=""))
    assert form.errors["accept_terms"]


# No deadline: each example resolves a commune in the database, slower on a loaded machine.
NO_DEADLINE = settings(deadline=None)


class TestProperties(TestCase):
    @NO_DEADLINE
    @given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)))
    def test_availability_date_never_in_the_past(self, day):
        form = ProfileForm(profile_data(availability_date=day.isoformat()))
        if day < today():
            assert form.errors["availability_date"] == [
                "La date de disponibilité ne peut pas être passée."
            ]
        else:
            assert "availability_date" not in form.errors

    @NO_DEADLINE
    @given(st.one_of(st.integers(min_value=-10, max_value=5000), st.text(max_size=6)))
    def test_distance_is_one_of_the_allowed_values(self, value):
        form = ProfileForm(profile_data(max_distance_km=str(value)))
        if str(value) in {str(d) for d in MAX_DISTANCES}:
            assert form.is_valid(), form.errors
            assert form.cleaned_data["max_distance_km"] == int(value)
        else:
            assert "max_distance_km" in form.errors

    @NO_DEADLINE
    @given(
        st.one_of(st.none(), st.integers(min_value=-50, max_value=200)),
        st.sampled_from(["", "0", "1", "2", "3", "4", "x"]),
    )
    def test_pix_scores_and_level(self, score, level):
        form = PixForm({"pix_level": level, "pix_score_1": "" if score is None else str(score)})
        valid_score = score is None or 0 <= score <= 100
        valid_level = level in {"", "1", "2", "3"}
        assert form.is_valid() == (valid_score and valid_level), form.errors
