"""structures 0004_network: the free-text « grand réseau » becomes rows of the managed list."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("structures", "0003_alter_committeedecision_opinion_decisioncorrection")
AFTER = ("structures", "0004_network")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_declared_names_become_networks_by_case_insensitive_name():
    try:
        old = _migrate(BEFORE)
        Structure = old.get_model("structures", "Structure")
        Commune = old.get_model("territories", "Commune")
        commune = Commune.objects.get(code_insee="69123")
        declared = ["La Poste", "la poste ", "LA  POSTE", "Croix-Rouge française", "", "  "]
        for index, text in enumerate(declared):
            Structure.objects.create(
                kind="structure",
                name=f"Structure {index}",
                departement_id="69",
                region_id="84",
                type="COMMUNE",
                siret=f"{index:014d}",
                address="1 place de la Mairie",
                commune=commune,
                contact_first_name="Alex",
                contact_last_name="Durand",
                contact_role="Direction",
                contact_email="contact@exemple.fr",
                contact_phone="0102030405",
                posts_wanted=1,
                mission_start="2027-01-01",
                motivation="Accompagner.",
                grand_reseau=text,
            )
        new = _migrate(AFTER)
        Network = new.get_model("structures", "Network")
        assert sorted(Network.objects.values_list("name", "slug", "kind", "active")) == [
            ("Croix-Rouge française", "croix-rouge-francaise", "reseau", True),
            ("La Poste", "la-poste", "reseau", True),
        ]
        Structure = new.get_model("structures", "Structure")
        members = dict(Structure.objects.values_list("name", "network__name"))
        assert members == {
            "Structure 0": "La Poste",
            "Structure 1": "La Poste",
            "Structure 2": "La Poste",
            "Structure 3": "Croix-Rouge française",
            "Structure 4": None,
            "Structure 5": None,
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
