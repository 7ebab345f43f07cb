"""Demo activity records (seed_demo): three weeks of the demo conseiller's CRA. Idempotent: only
seeded when the conseiller has none."""

import datetime

from cnum.accounts.roles import Role
from cnum.activity.enums import AGE_FIELDS, COUNT_FIELDS, GENRE_FIELDS, STATUT_FIELDS, CraType
from cnum.activity.models import Cra
from cnum.activity.policies import conseiller_structure
from cnum.activity.services import today
from cnum.places.models import PlaceConseiller

THEMES = [["email"], ["navigation_sur_internet", "securite_numerique"], ["bureautique"],
          ["aide_aux_demarches_administratives"], ["prendre_en_main_du_materiel"]]  # fmt: skip
AGES = ["soixante_dix_plus", "quarante_cinquante_neuf", "vingt_cinq_trente_neuf"]


def seed(context):
    conseiller = context.get("users", {}).get(Role.CONSEILLER)
    if conseiller is None or Cra.objects.filter(conseiller=conseiller).exists():
        return
    main = PlaceConseiller.objects.filter(conseiller=conseiller, is_main=True).first()
    structure = conseiller_structure(conseiller)
    records = []
    for n in range(20):
        values = dict.fromkeys(COUNT_FIELDS, 0)
        collective = n % 5 == 4
        count = 6 if collective else 1
        values[GENRE_FIELDS["feminin" if n % 2 else "masculin"]] = count
        values[AGE_FIELDS[AGES[n % 3]]] = count
        values[STATUT_FIELDS["retraite" if n % 3 == 0 else "en_emploi"]] = count
        records.append(
            Cra(
                conseiller=conseiller,
                structure=structure,
                type=CraType.COLLECTIF if collective else CraType.INDIVIDUEL,
                date=today() - datetime.timedelta(days=n),
                duree=(30, 45, 60, 90)[n % 4] if not collective else 120,
                type_lieu="lieu_activite" if main else "a_distance",
                place=main.place if main else None,
                thematiques=THEMES[n % 5],
                demarches=["logement"] if n % 5 == 3 else [],
                materiel=["ordinateur"],
                titre="Découvrir la messagerie" if collective else "",
                niveau="debutant" if collective else "",
                participants_anonymes=count,
                **values,
            )
        )
    Cra.objects.bulk_create(records)
    context["cras"] = records
