"""Demo places (seed_demo): places of the demo structures in several départements, with
real-looking hours, and the demo conseiller's main and secondary places. Idempotent: keyed by
(structure, name)."""

from cnum.accounts.roles import Role
from cnum.places import hours as osm_hours
from cnum.places.enums import (
    Dispositif,
    Frais,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    Service,
)
from cnum.places.models import ConseillerListing, Place
from cnum.places.outreach import save_listing
from cnum.places.services import set_conseiller_places
from cnum.territories.models import Commune

S, P, A, M = Service, Public, ModaliteAcces, ModaliteAccompagnement
BASE = [S.DEMARCHES, S.OUTILS_QUOTIDIEN, S.SECURITE]
# structure key (None: the demo manager's own), name, INSEE, address, (dlat, dlon), hours,
# services, publics, access modes, itinerant, typologie
DEMO_PLACES = [
    (
        None,
        "Espace numérique de la Guillotière",
        "69387",
        "12 rue de Marseille",
        (0.001, 0.002),
        "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
        BASE + [S.ACCES_INTERNET],
        [P.SENIORS],
        [A.SE_PRESENTER, A.TELEPHONER],
        False,
        "ASSO",
    ),
    (
        None,
        "Permanence de la médiathèque Croix-Rousse",
        "69384",
        "5 place Joannès Ambre",
        (-0.001, 0.001),
        "Tu,Th 14:00-18:00; Sa 10:00-12:30",
        [S.OUTILS_QUOTIDIEN, S.LOISIRS],
        [P.JEUNES, P.FAMILLES],
        [A.SE_PRESENTER],
        False,
        "BIB",
    ),
    (
        None,
        "Bus numérique des monts du Lyonnais",
        "69204",
        "Place de l'Église",
        (0.0, 0.0),
        "Mo 09:00-12:00; We 14:00-17:00; Fr 09:00-12:00",
        [S.DEMARCHES, S.OUTILS_QUOTIDIEN],
        [],
        [A.TELEPHONER, A.MAIL],
        True,
        "ASSO",
    ),
    (
        None,
        "Bureaux de l'association (sans accueil)",
        "69383",
        "40 cours Gambetta",
        (0.0, 0.0),
        "",
        [],
        [],
        [],
        False,
        "ASSO",
    ),
    (
        "Mairie de Villeurbanne (démo)",
        "France Services de Villeurbanne",
        "69266",
        "Place Lazare Goujon",
        (0.0, 0.001),
        "Mo-Fr 08:30-12:00,13:30-17:00; PH off",
        BASE + [S.INSERTION_PRO],
        [],
        [A.SE_PRESENTER, A.RDV_EN_LIGNE],
        False,
        "MSAP",
    ),
    (
        "Centre social de Vénissieux (démo)",
        "Atelier numérique du centre social",
        "69259",
        "18 avenue Jean Cagne",
        (0.002, -0.001),
        "Mo,We 14:00-18:00; Sa 09:30-12:00",
        [S.PARENTALITE, S.OUTILS_QUOTIDIEN],
        [P.FAMILLES, P.FEMMES],
        [A.SE_PRESENTER],
        False,
        "CSC",
    ),
    (
        "Ville de Paris (démo)",
        "Point numérique de la mairie du 18e",
        "75118",
        "1 place Jules Joffrin",
        (0.0, 0.0),
        "Mo-Fr 08:30-17:00; Th 08:30-19:30; Sa 09:00-12:30",
        BASE,
        [P.SENIORS],
        [A.SE_PRESENTER, A.TELEPHONER],
        False,
        "MUNI",
    ),
    (
        "Emmaüs Connect Paris (démo)",
        "Espace solidaire Emmaüs Connect",
        "75120",
        "71 rue des Haies",
        (0.001, 0.0),
        "Tu-Fr 09:30-12:30,13:30-17:00",
        [S.MATERIEL_SOLIDAIRE, S.ACCES_INTERNET, S.OUTILS_QUOTIDIEN],
        [],
        [A.PRESCRIPTION],
        False,
        "ASSO",
    ),
    (
        "Association Marseille Connectée (démo)",
        "Cyberbase du Panier",
        "13202",
        "10 rue du Refuge",
        (0.0, 0.0),
        "Mo-Fr 10:00-12:30,14:00-18:00",
        BASE + [S.LOISIRS],
        [P.JEUNES],
        [A.SE_PRESENTER],
        False,
        "EPN",
    ),
    (
        "GIP Bretagne numérique (démo)",
        "Tiers-lieu numérique de Rennes",
        "35238",
        "3 rue Saint-Hélier",
        (0.001, -0.002),
        "Mo-Sa 09:00-19:00; PH off",
        [S.COMPREHENSION, S.LOISIRS, S.ACCES_INTERNET],
        [P.ETUDIANTS],
        [A.SE_PRESENTER],
        False,
        "TIERS_LIEUX",
    ),
    (
        "Ville de Basse-Terre (démo)",
        "Maison du numérique de Basse-Terre",
        "97105",
        "Rue Baudot",
        (0.0, 0.0),
        "Mo-Fr 07:30-12:30; We 14:00-17:00",
        BASE,
        [],
        [A.SE_PRESENTER, A.TELEPHONER],
        False,
        "MUNI",
    ),
    (
        "Ville de Saint-Denis de La Réunion (démo)",
        "Case numérique du Chaudron",
        "97411",
        "Rue Roland Garros",
        (-0.01, 0.02),
        "Mo-Fr 08:00-12:00,13:00-16:00",
        BASE + [S.INSERTION_PRO],
        [P.JEUNES],
        [A.SE_PRESENTER],
        False,
        "CSC",
    ),
]


def _values(structure, commune, address, offset, hours, services, publics, access, itinerant):
    return {
        "pivot": structure.siret,
        "adresse": address,
        "commune": commune,
        "code_postal": commune.codes_postaux[0],
        "latitude": round(commune.latitude + offset[0], 6),
        "longitude": round(commune.longitude + offset[1], 6),
        "telephone": "04 72 00 00 00" if commune.departement_id == "69" else "01 44 00 00 00",
        "courriels": ["contact@lieux.demo.conseiller-numerique.fr"],
        "horaires": osm_hours.normalise(hours),
        "presentation_resume": "Des conseillers numériques vous accompagnent, gratuitement.",
        "services": services,
        "publics_specifiquement_adresses": publics,
        "prise_en_charge_specifique": [PriseEnCharge.HANDICAPS_MOTEURS] if services else [],
        "frais_a_charge": [Frais.GRATUIT] if services else [],
        "modalites_acces": access,
        "modalites_accompagnement": [M.INDIVIDUEL, M.ATELIER] if services else [],
        "itinerance": ["Itinérant"] if itinerant else (["Fixe"] if services else []),
        "dispositif_programmes_nationaux": [Dispositif.CONSEILLERS],
    }


def seed(context):
    own = context["organisations"]["structure"]
    structures = context.get("structures", {})
    places = []
    for (
        key,
        name,
        insee,
        address,
        offset,
        hours,
        services,
        publics,
        access,
        itinerant,
        kind,
    ) in DEMO_PLACES:
        structure = own if key is None else structures.get(key)
        if structure is None:
            continue
        commune = Commune.objects.get(code_insee=insee)
        place, _ = Place.objects.get_or_create(
            structure=structure,
            nom=name,
            defaults={
                **_values(
                    structure, commune, address, offset, hours, services, publics, access, itinerant
                ),
                "typologie": [kind],
            },
        )
        places.append(place)
    conseiller = context.get("users", {}).get(Role.CONSEILLER)
    own_places = [place for place in places if place.structure_id == own.pk and place.services]
    if conseiller is not None and own_places and not conseiller.place_links.exists():
        set_conseiller_places(conseiller, own_places[1:2], main=own_places[0])
    if (
        conseiller is not None
        and not ConseillerListing.objects.filter(conseiller=conseiller).exists()
    ):
        # Shown on the pages of their places, as a conseiller who opted in would be.
        save_listing(
            conseiller,
            visible=True,
            phone="04 72 00 00 01",
            email=conseiller.email,
            booking_url="https://rdv.demo.conseiller-numerique.fr/conseiller",
        )
    context["places"] = places
