"""Places as data·inclusion structures and services (PyPI `data-inclusion-schema`, v1): the
services directory other platforms (DORA, orientation) read."""

from django.utils import timezone

from cnum.places.enums import Frais, ModaliteAcces, ModaliteAccompagnement, Public, Service
from cnum.places.models import SOURCE

# National service → data·inclusion thématiques (« numerique--… »).
THEMATIQUES = {
    Service.DEMARCHES: ["numerique--acceder-a-des-services-en-ligne"],
    Service.OUTILS_QUOTIDIEN: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.INSERTION_PRO: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.SECURITE: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.PARENTALITE: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.LOISIRS: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.COMPREHENSION: ["numerique--maitriser-les-fondamentaux-du-numerique"],
    Service.ACCES_INTERNET: ["numerique--acceder-a-une-connexion-internet"],
    Service.MATERIEL_SOLIDAIRE: ["numerique--acquerir-un-equipement"],
}
PUBLICS = {
    Public.JEUNES: "jeunes",
    Public.ETUDIANTS: "etudiants",
    Public.FAMILLES: "familles",
    Public.SENIORS: "seniors",
    Public.FEMMES: "femmes",
}
MOBILISATION = {
    ModaliteAcces.SE_PRESENTER: "se-presenter",
    ModaliteAcces.TELEPHONER: "telephoner",
    ModaliteAcces.MAIL: "envoyer-un-courriel",
    ModaliteAcces.PRESCRIPTION: "envoyer-un-courriel",
    ModaliteAcces.RDV_EN_LIGNE: "utiliser-lien-mobilisation",
}


def structure_id(place):
    return f"{SOURCE}--{place.pk}"


def _address(place):
    return {
        "commune": place.commune.nom,
        "code_postal": place.code_postal,
        "code_insee": place.commune_id,
        "adresse": place.adresse,
        "complement_adresse": place.complement_adresse or None,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "telephone": place.telephone or None,
        "courriel": place.courriels[0] if place.courriels else None,
        "horaires_accueil": place.horaires or None,
    }


def to_structure(place):
    pivot = place.pivot if place.pivot.isdigit() else None
    return {
        "source": SOURCE,
        "id": structure_id(place),
        "nom": place.nom.rstrip("."),
        "date_maj": timezone.localdate(place.updated_at).isoformat(),
        "description": place.presentation_detail or place.presentation_resume or None,
        "siret": pivot,
        "site_web": place.site_web or None,
        "accessibilite_lieu": place.fiche_acces_libre or None,
        **_address(place),
    }


def _frais(place):
    if not place.frais_a_charge:
        return None
    return "payant" if place.frais_a_charge == [Frais.PAYANT] else "gratuit"


def _modes_accueil(place):
    modes = {"en-presentiel"}
    if ModaliteAccompagnement.DISTANCE in place.modalites_accompagnement:
        modes.add("a-distance")
        if place.modalites_accompagnement == [ModaliteAccompagnement.DISTANCE]:
            modes.discard("en-presentiel")
    return sorted(modes)


def _mobilisation(place):
    modes = {MOBILISATION[mode] for mode in place.modalites_acces if mode in MOBILISATION}
    if not place.prise_rdv:
        modes.discard("utiliser-lien-mobilisation")
    return sorted(modes) or None


def to_services(place):
    """One data·inclusion service per national service the place offers."""
    publics = sorted({PUBLICS[p] for p in place.publics_specifiquement_adresses if p in PUBLICS})
    collective_only = place.modalites_accompagnement == [ModaliteAccompagnement.ATELIER]
    description = place.presentation_detail or place.presentation_resume
    services = []
    for index, service in enumerate(place.services, 1):
        services.append(
            {
                "source": SOURCE,
                "structure_id": structure_id(place),
                "id": f"{structure_id(place)}--{index}",
                "nom": service,
                "description": description or f"{service} au lieu « {place.nom} ».",
                "date_maj": timezone.localdate(place.updated_at).isoformat(),
                "type": "atelier" if collective_only else "accompagnement",
                "thematiques": THEMATIQUES.get(service, []),
                "frais": _frais(place),
                "publics": publics or ["tous-publics"],
                "modes_accueil": _modes_accueil(place),
                "modes_mobilisation": _mobilisation(place),
                "mobilisable_par": ["usagers", "professionnels"],
                "lien_mobilisation": place.prise_rdv or None,
                "zone_eligibilite": [place.commune.departement_id],
                **_address(place),
            }
        )
    return services
