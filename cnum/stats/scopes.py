"""Who sees which activity statistics: the one place turning (viewer, filters) into an
ActivityFilter.

Each audience has a scope: the national administration everything; a préfet the départements
of their préfecture (or of its région); a hub the départements of its régions; a national
network the structures that declared it; a structure manager the structures they manage; a
coordinator the conseillers of their team (cnum.stats.teams); a conseiller their
own activity. A user holding several roles gets the widest one. Filters always narrow the
scope: a filter naming something that exists but lies outside it is refused (`OutOfScope`, a
403 with a French sentence), never silently dropped; a filter naming nothing is a 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.places.models import Place
from cnum.stats import teams
from cnum.stats.queries import ActivityFilter
from cnum.structures.models import Structure
from cnum.territories.models import Departement, Region

# Audiences, widest first.
AUDIENCES = (
    Role.ADMINISTRATEUR,
    Role.PREFET,
    Role.HUB,
    Role.GRAND_RESEAU,
    Role.GESTIONNAIRE_STRUCTURE,
    Role.COORDINATEUR,
    Role.CONSEILLER,
)
TERRITORIAL = (Role.ADMINISTRATEUR, Role.PREFET, Role.HUB)
# Audiences scoped to a set of structures (their conseillers and places follow).
BY_STRUCTURE = (Role.GESTIONNAIRE_STRUCTURE, Role.GRAND_RESEAU)


class OutOfScope(PermissionDenied):
    """A filter outside the viewer's scope; the message says what was refused."""


@dataclass(frozen=True)
class Scope:
    audience: str  # a Role value of AUDIENCES
    label: str  # what the viewer sees, in French: « France entière », « Rhône (69) »…
    departements: tuple | None = None  # None: all of France
    structure_ids: tuple | None = None
    conseiller_ids: tuple | None = None

    @property
    def is_territorial(self):
        return self.audience in TERRITORIAL

    def as_filter(self, **narrowing):
        return ActivityFilter(
            departements=self.departements,
            structure_ids=self.structure_ids,
            conseiller_ids=self.conseiller_ids,
            **narrowing,
        )

    # What may be chosen in the filters (querysets, so the form and the checks agree).

    def regions(self):
        if not self.is_territorial:
            return Region.objects.none()
        if self.departements is None:
            return Region.objects.all()
        # A région is offered only when the scope covers all of it.
        outside = (
            Departement.objects.exclude(code__in=self.departements)
            .filter(region__isnull=False)  # NOT IN with a NULL would exclude every région
            .values("region_id")
        )
        inside = Departement.objects.filter(code__in=self.departements).values("region_id")
        return Region.objects.filter(code__in=inside).exclude(code__in=outside)

    def departements_qs(self):
        if not self.is_territorial:
            return Departement.objects.none()
        if self.departements is None:
            return Departement.objects.all()
        return Departement.objects.filter(code__in=self.departements)

    def structures(self):
        structures = Structure.objects.submitted()
        if self.audience == Role.ADMINISTRATEUR:
            return structures
        if self.is_territorial:
            return structures.filter(departement_id__in=self.departements)
        if self.audience in BY_STRUCTURE:
            return structures.filter(pk__in=self.structure_ids)
        return structures.none()  # coordinators and conseillers choose among conseillers

    def conseillers(self):
        """Users who are or were conseillers, within the scope."""
        conseillers = User.objects.filter(memberships__role=Role.CONSEILLER)
        if self.audience == Role.ADMINISTRATEUR:
            return conseillers.distinct()
        if self.is_territorial:
            return conseillers.filter(
                memberships__organisation__departement_id__in=self.departements
            ).distinct()
        if self.audience in BY_STRUCTURE:
            return conseillers.filter(
                memberships__organisation_id__in=self.structure_ids
            ).distinct()
        return User.objects.filter(pk__in=self.conseiller_ids)

    def places(self):
        if self.audience == Role.ADMINISTRATEUR:
            return Place.objects.all()
        if self.is_territorial:
            return Place.objects.filter(structure__departement_id__in=self.departements)
        if self.audience in BY_STRUCTURE:
            return Place.objects.filter(structure_id__in=self.structure_ids)
        return Place.objects.filter(conseiller_links__conseiller_id__in=self.conseiller_ids)


def viewer_scope(user):
    """The scope of `user`'s widest audience; PermissionDenied when they have none."""
    if not user.is_authenticated:
        raise PermissionDenied
    audience = next((role for role in AUDIENCES if user.has_role(role)), None)
    if audience is None:
        raise PermissionDenied
    return _SCOPES[audience](user)


def audience_scope(user, audience):
    """`user`'s scope as one audience they hold (a coordinator's team, even if they also
    manage a structure); PermissionDenied when they do not hold it."""
    if not user.has_role(audience):
        raise PermissionDenied
    return _SCOPES[audience](user)


def _national(user):
    return Scope(Role.ADMINISTRATEUR, "France entière")


def _prefet(user):
    covered = user.memberships.filter(is_active=True, role=Role.PREFET).values_list(
        "organisation__departement_id", "organisation__region_id"
    )
    codes, names = set(), []
    for departement, region in covered:
        if departement:
            dep = Departement.objects.get(code=departement)
            codes.add(dep.code)
            names.append(str(dep))
        elif region:
            codes.update(_codes(Departement.objects.filter(region_id=region)))
            names.append(Region.objects.get(code=region).nom)
    if not codes:
        raise PermissionDenied
    return Scope(Role.PREFET, ", ".join(names), departements=tuple(sorted(codes)))


def _hub(user):
    """The départements of the régions the hub covers (docs/domaine.md#hubs-et-reseaux)."""
    regions = Region.objects.filter(
        pk__in=user.memberships.filter(is_active=True, role=Role.HUB).values(
            "organisation__region_id"
        )
    ).order_by("nom")
    codes = tuple(_codes(Departement.objects.filter(region__in=regions)))
    if not codes:
        raise PermissionDenied
    return Scope(Role.HUB, ", ".join(r.nom for r in regions), departements=codes)


def _network(user):
    """The structures that declared the user's national network(s)."""
    held = user.memberships.filter(is_active=True, role=Role.GRAND_RESEAU)
    names = sorted(held.values_list("organisation__name", flat=True))
    structures = Structure.objects.submitted().filter(network_id__in=held.values("organisation_id"))
    return Scope(
        Role.GRAND_RESEAU,
        f"Réseau {', '.join(names)}",
        structure_ids=tuple(structures.order_by("pk").values_list("pk", flat=True)),
    )


def _structure(user):
    structures = list(Structure.objects.managed_by(user).order_by("name"))
    label = ", ".join(s.name for s in structures) or "Aucune structure"
    return Scope(Role.GESTIONNAIRE_STRUCTURE, label, structure_ids=tuple(s.pk for s in structures))


def _coordinator(user):
    team = teams.team_ids(user)  # named conseillers and territories, in post (live)
    if user.has_role(Role.CONSEILLER):
        team.add(user.pk)  # a coordinator who is also a conseiller sees their own activity
    return Scope(Role.COORDINATEUR, "Votre équipe", conseiller_ids=tuple(sorted(team)))


def _conseiller(user):
    return Scope(Role.CONSEILLER, "Votre activité", conseiller_ids=(user.pk,))


_SCOPES = {
    Role.ADMINISTRATEUR: _national,
    Role.PREFET: _prefet,
    Role.HUB: _hub,
    Role.GRAND_RESEAU: _network,
    Role.GESTIONNAIRE_STRUCTURE: _structure,
    Role.COORDINATEUR: _coordinator,
    Role.CONSEILLER: _conseiller,
}


# --- Filters within the scope -------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The objects the filters name (None when not filtered), for titles and drill-down."""

    region: Region | None = None
    departement: Departement | None = None
    structure: Structure | None = None
    conseiller: User | None = None
    place: Place | None = None


def activity_filter(scope, data):
    """The ActivityFilter of the scope narrowed by the form's cleaned `data`, and the
    Selection it names. Raises Http404 for an unknown object, OutOfScope for one outside."""
    region = _region(scope, data.get("region"))
    departement = _departement(scope, data.get("departement"), region)
    conseillers = User.objects.filter(memberships__role=Role.CONSEILLER)
    selection = Selection(
        region=region,
        departement=departement,
        structure=_pick(
            scope.structures(),
            Structure.objects.submitted(),
            data.get("structure"),
            "Cette structure n'est pas dans votre périmètre.",
        ),
        conseiller=_pick(
            scope.conseillers(),
            conseillers,
            data.get("conseiller"),
            "Ce conseiller n'est pas dans votre périmètre.",
        ),
        place=_pick(
            scope.places(),
            Place.objects.all(),
            data.get("place"),
            "Ce lieu n'est pas dans votre périmètre.",
        ),
    )
    departements = scope.departements
    if departement is not None:
        departements = (departement.code,)
    elif region is not None:
        departements = tuple(_codes(Departement.objects.filter(region=region)))
    structure_ids = scope.structure_ids
    if selection.structure is not None:
        structure_ids = (selection.structure.pk,)
    conseiller_ids = scope.conseiller_ids
    if selection.conseiller is not None:
        conseiller_ids = (selection.conseiller.pk,)
    activity = ActivityFilter(
        start=data.get("du"),
        end=data.get("au"),
        departements=departements,
        structure_ids=structure_ids,
        conseiller_ids=conseiller_ids,
        place_id=selection.place.pk if selection.place else None,
        type=data.get("type") or None,
        thematique=data.get("thematique") or None,
    )
    return activity, selection


def _region(scope, code):
    if not code:
        return None
    if not scope.is_territorial:
        raise OutOfScope("Le filtre par territoire n'est pas disponible pour votre profil.")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("Région inconnue.")
    if not scope.regions().filter(code=code).exists():
        raise OutOfScope("Cette région n'est pas entièrement dans votre périmètre.")
    return region


def _departement(scope, code, region):
    if not code:
        return None
    if not scope.is_territorial:
        raise OutOfScope("Le filtre par territoire n'est pas disponible pour votre profil.")
    departement = Departement.objects.filter(code=code).first()
    if departement is None:
        raise Http404("Département inconnu.")
    if not scope.departements_qs().filter(code=code).exists():
        raise OutOfScope("Ce département n'est pas dans votre périmètre.")
    if region is not None and departement.region_id != region.code:
        raise OutOfScope("Ce département n'est pas dans la région choisie.")
    return departement


def _pick(in_scope, existing, pk, refusal):
    if pk is None:
        return None
    found = in_scope.filter(pk=pk).first()
    if found is not None:
        return found
    if existing.filter(pk=pk).exists():
        raise OutOfScope(refusal)
    raise Http404


def _codes(departements):
    return departements.order_by("code").values_list("code", flat=True)
