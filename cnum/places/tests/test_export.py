"""Open data in the national standard: JSON and CSV, checked by the official npm library, and
the data·inclusion mapping checked by the official PyPI schema."""

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cnum.places import data_inclusion, export
from cnum.places.enums import NO_PUBLIC, Dispositif, FormationLabel, Public
from cnum.places.testing import make_place
from cnum.territories.models import Commune

pytestmark = pytest.mark.django_db
CHECKER = Path(settings.BASE_DIR) / "tools" / "standard-check"
LIBRARY = CHECKER / "node_modules" / "@gouvfr-anct" / "lieux-de-mediation-numerique"


@pytest.fixture
def places():
    return [
        make_place(
            nom='Espace « Le Lien », l\'atelier "numérique"',
            adresse="12, rue de l'Hôtel-de-Ville (bât. B)",
            complement_adresse="2e étage",
            telephone="+33 4 72 00 00 00",
            courriels=["accueil@lien.fr", "ateliers@lien.fr"],
            site_web="https://lien.fr/mediation",
            presentation_resume="Accueil libre, ateliers et démarches.",
            presentation_detail="Première ligne,\nseconde ligne ; avec « guillemets ».",
            typologie=["ASSO"],
            publics_specifiquement_adresses=[Public.SENIORS, Public.FEMMES],
            prise_en_charge_specifique=["Surdité"],
            dispositif_programmes_nationaux=[Dispositif.CONSEILLERS, Dispositif.FRANCE_SERVICES],
            formations_labels=[FormationLabel.MES_PAPIERS],
            autres_formations_labels=["Label régional"],
            fiche_acces_libre="https://acceslibre.beta.gouv.fr/app/69-lyon/a/mairie/erp/x/",
            prise_rdv="https://rdv.lien.fr/prendre-rdv?lieu=12",
        ),
        make_place(nom="Bureaux sans accueil", services=[], horaires=""),
        make_place(nom="Bus itinérant", itinerance=["Itinérant", "Fixe"], pivot="W691234567"),
        make_place(nom="Case numérique", commune="97411"),
        make_place(nom="Point du 18e", commune="75118"),
    ]


def streamed(response):
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode()


def test_json_export_follows_the_standard(client, places):
    records = json.loads(streamed(client.get(reverse("api:lieux_json"))))
    by_name = {record["nom"]: record for record in records}
    assert len(records) == 5
    full = by_name[places[0].nom]
    assert (
        full["services"]
        == "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    )
    assert full["courriels"] == "accueil@lien.fr|ateliers@lien.fr"
    assert full["horaires"] == "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off"
    assert full["code_insee"] == "69123" and full["source"] == "conseiller-numerique"
    # The day in Paris, as people read it (not the UTC day, an hour or two behind).
    assert full["date_maj"] == timezone.localdate(places[0].updated_at).isoformat()
    assert isinstance(full["latitude"], float)
    empty = by_name["Bureaux sans accueil"]
    assert empty["modalites_acces"] == NO_PUBLIC
    assert not {"services", "frais_a_charge", "itinerance", "horaires"} & set(empty)
    assert "complement_adresse" not in by_name["Bus itinérant"]  # empty fields are omitted


def test_csv_export_has_every_column_and_joins_lists(client, places):
    rows = list(csv.DictReader(io.StringIO(streamed(client.get(reverse("api:lieux_csv"))))))
    assert tuple(rows[0]) == export.FIELDS
    full = next(row for row in rows if row["nom"] == places[0].nom)
    assert full["presentation_detail"] == places[0].presentation_detail  # quoted, newline kept
    assert full["itinerance"] == "Fixe"
    assert full["publics_specifiquement_adresses"] == "Seniors|Femmes"


def test_csv_neutralises_formulas_but_keeps_phone_numbers(client):
    # Values typed before the form refused them, or written by other means.
    place = make_place(
        nom='=HYPERLINK("https://exemple.fr";"CAF")',
        presentation_resume="+33 899 : appelez vite",
        telephone="+33 4 72 00 00 00",
    )
    (row,) = csv.DictReader(io.StringIO(streamed(client.get(reverse("api:lieux_csv")))))
    assert row["nom"] == "'" + place.nom
    assert row["presentation_resume"] == "'+33 899 : appelez vite"
    assert row["telephone"] == "+33 4 72 00 00 00"  # the standard's country code, kept
    assert row["latitude"] == str(place.latitude)
    # JSON is not read by spreadsheets: values stay as they are.
    (record,) = json.loads(streamed(client.get(reverse("api:lieux_json"))))
    assert record["nom"] == place.nom


def _node_check(payload, *args):
    return subprocess.run(  # noqa: S603 — fixed command, our own script
        [shutil.which("node"), str(CHECKER / "check.js"), *args],
        input=payload.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )


needs_library = pytest.mark.skipif(
    not (LIBRARY.exists() and shutil.which("node")),
    reason="bibliothèque officielle absente : lancer « npm ci » dans tools/standard-check",
)


@needs_library
@pytest.mark.parametrize(("name", "args"), [("api:lieux_json", []), ("api:lieux_csv", ["--csv"])])
def test_official_library_accepts_every_record_unchanged(client, places, name, args):
    result = _node_check(streamed(client.get(reverse(name))), *args)
    report = json.loads(result.stdout)
    assert report == {"total": 5, "rejected": [], "altered": []}, result.stdout
    assert result.returncode == 0


@needs_library
def test_official_library_accepts_the_neutralised_csv(client):
    make_place(nom="=Espace", telephone="+590 590 00 00 00", commune="97105")
    result = _node_check(streamed(client.get(reverse("api:lieux_csv"))), "--csv")
    assert json.loads(result.stdout) == {"total": 1, "rejected": [], "altered": []}, result.stdout


@needs_library
def test_official_library_check_does_catch_bad_records(places):
    bad = [dict(export.place_record(places[0]), services="Magie"), export.place_record(places[2])]
    bad[1]["modalites_acces"] = NO_PUBLIC  # the library drops it for a place with services
    report = json.loads(_node_check(json.dumps(bad)).stdout)
    assert len(report["rejected"]) == 1 and len(report["altered"]) == 1


def test_data_inclusion_structures_and_services(places):
    schema = pytest.importorskip(
        "data_inclusion.schema.v1",
        reason="paquet data-inclusion-schema absent : l'ajouter aux dépendances de test",
    )
    for place in places:
        strict = {"ignore_warnings": False}
        structure = schema.Structure.model_validate(
            data_inclusion.to_structure(place), context=strict
        )
        assert structure.id == f"conseiller-numerique--{place.pk}"
        for service in data_inclusion.to_services(place):
            schema.Service.model_validate(service, context=strict)
    assert data_inclusion.to_services(places[1]) == []  # no service, nothing in the directory
    services = data_inclusion.to_services(places[0])
    assert len(services) == 2 and services[0]["publics"] == ["femmes", "seniors"]


# The library's commune check (models/adresse/adresse.js), ported: the JavaScript source is
# read below to make sure the port still matches the installed library.
LIBRARY_COMMUNE_REGEX = r"/^[A-Za-z\dÀ-ÖØ-öø-ÿœ-ŸŒ\-'’\s]+$/u"
COMMUNE_RULE = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿœ-ŸŒ\-'’\s]+")


def refused_by_the_standard():
    """{INSEE code: name} of every commune of the reference whose name the library refuses."""
    names = Commune.objects.values_list("code_insee", "nom")
    return {code: name for code, name in names if not COMMUNE_RULE.fullmatch(name)}


@needs_library
def test_the_ported_commune_rule_is_the_library_one():
    source = (LIBRARY / "lib" / "cjs" / "models" / "adresse" / "adresse.js").read_text()
    assert f"const COMMUNE_REG_EXP = {LIBRARY_COMMUNE_REGEX};" in source


@needs_library
def test_communes_with_parentheses_are_exported_as_the_standard_accepts(client):
    refused = refused_by_the_standard()
    assert "58062" in refused and len(Commune.objects.all()[:1000]) == 1000  # reference loaded
    for code in refused:
        make_place(commune=code, nom=f"Espace {code}")
    records = json.loads(streamed(client.get(reverse("api:lieux_json"))))
    exported = {record["code_insee"]: record["commune"] for record in records}
    assert set(exported) == set(refused)
    assert all(COMMUNE_RULE.fullmatch(name) for name in exported.values())
    assert exported["58062"] == "Château-Chinon Ville"
    assert exported["64181"] == "Castillon Canton d'Arthez-de-Béarn"
    # Every word of the official name is kept, in order.
    assert all(
        exported[code].split() == refused[code].replace("(", " ").replace(")", " ").split()
        for code in refused
    )
    for name, args in (("api:lieux_json", []), ("api:lieux_csv", ["--csv"])):
        result = _node_check(streamed(client.get(reverse(name))), *args)
        assert json.loads(result.stdout) == {
            "total": len(refused),
            "rejected": [],
            "altered": [],
        }, result.stdout
