"""Recruitment pieces shown on other apps' pages: the actions on a candidate, the conseiller's
structure and contract on their dashboard."""

from django import template
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.matching.enums import EMPLOYED
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment.effects import posts_taken
from cnum.recruitment.enums import ContractState
from cnum.structures.enums import Status as StructureStatus

register = template.Library()


@register.simple_tag
def recruitment_state(structure, match):
    """What a structure may do about a candidate now, and if nothing, why (in French)."""
    status = match.status if match is not None else None
    state = {"can_recruit": False, "reason": "", "status": status}
    if status in (None, S.NOUVELLE, S.NON_INTERESSEE, S.EXPIREE):
        state["reason"] = "Présélectionnez ce candidat pour pouvoir le recruter."
    elif status == S.INTERESSEE:
        posts, taken = structure.current_posts(), posts_taken(structure)
        state.update(posts=posts, taken=taken)
        if structure.status != StructureStatus.VALIDATION_COSELEC:
            state["reason"] = "Votre structure doit être validée par le comité pour recruter."
        elif taken >= posts:
            state["reason"] = (
                f"Tous vos postes sont pourvus ou en cours de recrutement ({taken} sur {posts}) : "
                "annulez une demande en attente ou demandez des postes supplémentaires."
            )
        else:
            state["can_recruit"] = True
    elif status in (S.NON_DISPONIBLE, S.FINALISEE_NON_DISPONIBLE):
        state["reason"] = "Ce candidat n'est plus disponible."
    return state


@register.inclusion_tag("recruitment/_dashboard.html")
def recruitment_dashboard(user):
    """On the dashboard: a conseiller's structure and contract; deciders' recruitment pages."""
    return {
        "positions": conseiller_positions(user) if user.has_role(Role.CONSEILLER) else [],
        "is_admin": user.has_role(Role.ADMINISTRATEUR),
        "is_prefet": user.has_role(Role.PREFET),
        "today": timezone.localdate(),  # a contract starting later reads « à partir du »
    }


def conseiller_positions(user):
    """The structures a conseiller works for under a validated recruitment, with the contract."""
    from cnum.matching.models import Match

    matches = (
        Match.objects.filter(candidate__user=user, status__in=EMPLOYED)
        .select_related("structure__commune")
        .order_by("pk")
    )
    positions = []
    for match in matches:
        contracts = {
            c.state: c
            for c in match.contracts.filter(state__in=[ContractState.CURRENT, ContractState.DRAFT])
        }
        positions.append(
            {
                "match": match,
                "structure": match.structure,
                "contract": contracts.get(ContractState.CURRENT),
                "draft": contracts.get(ContractState.DRAFT),
                "managers": match.structure.managers(),
            }
        )
    return positions


@register.filter
def match_status_label(value):
    """The French label of a match status value (history rows store the raw value)."""
    try:
        return S(value).label
    except ValueError:
        return value
