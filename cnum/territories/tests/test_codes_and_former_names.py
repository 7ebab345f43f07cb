"""Codes that are both an INSEE code and a postal code, former communes, apostrophes: the
search page, the suggestions, the API and the commune field give the same answers."""

import pytest
from django.db.models import F
from django.urls import reverse

from cnum.territories.forms import CommuneSearchForm
from cnum.territories.models import CodePostal, Commune
from cnum.territories.services import CommuneNotResolved, resolve_commune, search_communes

pytestmark = pytest.mark.django_db

SEARCH = reverse("territories:search")
SUGGESTIONS = reverse("territories:autocomplete")
API = "/api/v1/communes"


def codes(q, limit=10):
    return [c.code_insee for c in search_communes(q, limit)]


# --- A code typed in a commune field --------------------------------------------------------


def test_insee_code_that_is_another_communes_postal_code_offers_both():
    with pytest.raises(CommuneNotResolved) as error:
        resolve_commune("97411")
    assert "Saint-Denis (code commune 97411) ou Saint-Paul (code postal 97411) ?" in (
        error.value.message
    )
    assert [c.code_insee for c in error.value.candidates] == ["97411", "97415"]
    assert codes("97411") == ["97411", "97415"]


def test_form_search_page_suggestions_and_api_offer_both(client):
    form = CommuneSearchForm({"commune": "97411", "rayon": "10"})
    assert not form.is_valid()
    assert "Saint-Denis (code commune 97411)" in form.errors["commune"][0]

    html = client.get(SEARCH, {"commune": "97411"}).content.decode()
    assert "Saint-Paul (code postal 97411)" in html

    html = client.get(SUGGESTIONS, {"q": "97411"}).content.decode()
    assert 'data-value="97411"' in html and "code commune 97411" in html
    assert 'data-value="97415"' in html and "code postal 97411" in html

    found = client.get(API, {"q": "97411"}).json()
    assert [(c["code_insee"], c["correspondance"]) for c in found] == [
        ("97411", "code commune 97411"),
        ("97415", "code postal 97411"),
    ]


@pytest.mark.parametrize(("text", "code"), [("2A004", "2A004"), ("2b033", "2B033")])
def test_corsican_code_is_only_an_insee_code(text, code):
    assert resolve_commune(text).code_insee == code
    assert codes(text) == [code]


def test_every_code_that_is_both_offers_both():
    # Every INSEE code that is also the postal code of another commune, from the reference.
    both = dict(
        CodePostal.objects.exclude(commune_id=F("code"))
        .filter(code__in=Commune.objects.values("pk"))
        .values_list("code", "commune_id")
    )
    assert "97411" in both and len(both) > 1_000
    missed = []
    for code in both:
        found = codes(code, 50)
        if found[:1] != [code] or len(found) < 2:
            missed.append(code)
            continue
        try:
            resolve_commune(code)
        except CommuneNotResolved as error:
            if "à la fois un code commune et un code postal" not in error.message:
                missed.append(code)
        else:
            missed.append(code)
    assert not missed, missed[:20]


# --- Former communes and apostrophes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("Annecy-le-Vieux", "74010", "Annecy-le-Vieux, commune déléguée d'Annecy"),
        ("annecy le vieux", "74010", "Annecy-le-Vieux, commune déléguée d'Annecy"),
        (
            "Cherbourg-Octeville",
            "50129",
            "Cherbourg-Octeville, commune déléguée de Cherbourg-en-Cotentin",
        ),
    ],
)
def test_former_commune_gives_the_current_one(client, text, code, label):
    first = search_communes(text)[0]
    assert (first.code_insee, first.matched_as) == (code, label)
    assert resolve_commune(text).code_insee == code

    response = client.get(SEARCH, {"commune": text})
    assert response.context["commune"].code_insee == code
    assert label.replace("'", "&#x27;") in response.content.decode()

    html = client.get(SUGGESTIONS, {"q": text}).content.decode()
    assert f'data-value="{code}"' in html and label.replace("'", "&#x27;") in html

    found = client.get(API, {"q": text}).json()[0]
    assert (found["code_insee"], found["correspondance"]) == (code, label)


def test_own_names_come_before_former_names():
    assert codes("annecy")[0] == "74010"
    assert all(c.nom_recherche.startswith("saint") for c in search_communes("saint", 20))
    assert not hasattr(search_communes("cherbourg")[0], "matched_as")


@pytest.mark.parametrize(
    "text", ["lhay les roses", "L'Haÿ-les-Roses", "l hay les roses", "LHAY-LES-ROSES", "lhay"]
)
def test_apostrophes_and_their_absence_match(client, text):
    assert codes(text)[0] == "94038"
    assert client.get(API, {"q": text}).json()[0]["code_insee"] == "94038"
    assert 'data-value="94038"' in client.get(SUGGESTIONS, {"q": text}).content.decode()
    if text != "lhay":
        assert resolve_commune(text).code_insee == "94038"
        assert client.get(SEARCH, {"commune": text}).context["commune"].code_insee == "94038"
