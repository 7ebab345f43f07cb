"""Pre-fill a collective CRA from a workshop of cnum.workshops (optional dependency)."""

from cnum.activity.enums import AGE_FIELDS, GENRE_FIELDS, STATUT_FIELDS
from cnum.core.params import clean_int


def workshop_initial(user, workshop_id):
    """Initial form values for `?atelier=<id>`; {} when unknown, not the user's or unavailable."""
    workshop_id = clean_int(workshop_id)
    if workshop_id is None:
        return {}
    try:
        from cnum.workshops.policies import my_workshop
        from cnum.workshops.services import cra_initial
    except ImportError:
        return {}
    from django.http import Http404

    try:
        values = dict(cra_initial(my_workshop(user, workshop_id)))
    except Http404:
        return {}
    initial = {
        k: values[k] for k in ("type", "date", "duree", "titre", "thematiques") if k in values
    }
    initial["niveau"] = values.get("niveau") or ""
    initial["type_lieu"] = values.get("type_lieu") or ""
    place = values.get("place", values.get("lieu"))
    initial["place"] = place if isinstance(place, int) else None
    count = values.get("nb_participants") or values.get("participants_anonymes") or 0
    initial["participants_anonymes"] = count
    for breakdown in (GENRE_FIELDS, AGE_FIELDS, STATUT_FIELDS):
        initial[breakdown["non_communique"]] = count
    return initial
