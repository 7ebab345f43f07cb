"""Finding the place of the directory a person was redirected to: by its name, its commune or
its postal code, nearest to the conseiller's main place first (the nearest-first search of
cnum.places)."""

from django.db.models import Q

from cnum.core.params import ID_MAX, clean_int  # noqa: F401 (ID_MAX read by the forms)
from cnum.places.models import Place
from cnum.places.services import places_near
from cnum.territories.services import parse_postal_code, search_communes

RESULTS = 10
QUERY_MAX = 100


def public_places():
    """Public places offering a service: the directory (docs/domaine.md#lieux-visibilite)."""
    return Place.objects.public().exclude(services=[])


def public_place(pk):
    """The public place `pk` (an id as typed: any text), or None."""
    pk = clean_int(pk)
    if pk is None:
        return None
    return public_places().select_related("commune").filter(pk=pk).first()


def label(place):
    return f"{place.nom} — {place.commune.nom} ({place.code_postal})"


def search(text, origin=None, limit=RESULTS):
    """Public places whose name, commune or postal code matches `text`, nearest to `origin` (a
    Place, or None: by name) first. Fewer than two characters: nothing."""
    text = " ".join(str(text or "").split())[:QUERY_MAX]
    if len(text) < 2:
        return []
    matching = Q(nom__icontains=text)
    communes = [c.pk for c in search_communes(text, limit=20)]
    if communes:
        matching |= Q(commune__in=communes)
    code = parse_postal_code(text)
    if code:
        matching |= Q(code_postal=code)
    queryset = public_places().filter(matching)
    if origin is None:
        return list(queryset.select_related("commune").order_by("nom", "pk")[:limit])
    point = (origin.latitude, origin.longitude)
    found = [near.place for near in places_near(point, limit=limit, queryset=queryset).items]
    if len(found) < limit:
        # Beyond the widest ring of the nearest-first search (overseas places from the mainland).
        farther = queryset.exclude(pk__in=[p.pk for p in found]).select_related("commune")
        found += list(farther.order_by("nom", "pk")[: limit - len(found)])
    return found
