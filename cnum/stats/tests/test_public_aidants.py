"""Aidants Connect in the public statistics: figures by territory, the same secrecy as every
other figure, the page and the open-data files."""

import csv
import io

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.mandates import services
from cnum.mandates.models import JournalEntry
from cnum.mandates.tests.factories import habilitated_structure, make_usager, validated_aidant
from cnum.stats import public
from cnum.stats.public import DEPARTEMENT, FRANCE, NATIONAL, REGION

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    settings.STATS_PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def one_mandate():
    """A structure of the Rhône, one aidant, one usager, one mandate used once, one revoked."""
    structure = habilitated_structure(departement="69")
    aidant = validated_aidant(structure)
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    usager = make_usager(structure, aidant)

    def mandate(domains):
        return services.create_mandate(
            aidant=aidant, usager=usager, domains=domains, duration_days=31, consent=True
        )

    used = mandate(["logement", "social"])
    JournalEntry.log_authorisation_used(aidant, used.authorisations.first(), service="Démarche")
    services.revoke_mandate(mandate(["papiers"]), aidant=aidant)
    return structure


def figures(territory):
    return {code: cell.shown for code, cell in territory.cells.items() if code.startswith("ac_")}


def test_figures_by_territory_when_thresholds_allow(one_mandate, monkeypatch):
    monkeypatch.setattr(public, "MIN_BENEFICIAIRES", 1)
    monkeypatch.setattr(public, "MIN_CONSEILLERS", 1)
    data = public.publication()
    expected = {
        "ac_structures_habilitees": 1,
        "ac_aidants_habilites": 1,
        "ac_mandats_crees": 2,
        "ac_mandats_actifs": 1,
        "ac_mandats_revoques": 1,
        "ac_utilisations": 1,
        "ac_domaine_logement": 1,
        "ac_domaine_papiers": 1,
        "ac_domaine_justice": 0,
    }
    for key in ((NATIONAL, FRANCE), (REGION, "84"), (DEPARTEMENT, "69")):
        assert figures(data.of(*key)).items() >= expected.items()
    assert figures(data.of(DEPARTEMENT, "01"))["ac_mandats_crees"] == 0


def test_small_figures_are_secret_in_page_and_files(client, one_mandate):
    data = public.publication()
    rhone = figures(data.of(DEPARTEMENT, "69"))
    assert rhone["ac_structures_habilitees"] == 1  # a public body: never secret
    assert rhone["ac_mandats_crees"] is None and rhone["ac_aidants_habilites"] is None

    page = client.get(reverse("stats:public"), {"territoire": "departement-69"}).content.decode()
    assert "Aidants Connect" in page and "Mandats créés par domaine" in page
    response = client.get(reverse("stats:public_csv", args=["departements"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    rhone_rows = {(r["indicateur"], r["modalite"]): r for r in rows if r["code_territoire"] == "69"}
    assert rhone_rows[("ac_structures_habilitees", "")]["valeur"] == "1"
    mandates = rhone_rows[("ac_mandats_crees", "")]
    assert mandates["valeur"] == "" and mandates["secret_statistique"] == "true"
    assert rhone_rows[("ac_domaine", "logement")]["secret_statistique"] == "true"
