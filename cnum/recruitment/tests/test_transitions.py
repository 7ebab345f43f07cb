"""Every move of the match table, tried by every kind of actor: allowed exactly as
docs/domaine.md#statuts-mise-en-relation says, refused otherwise (403, nothing changes, nothing
logged)."""

import pytest
from django.core.exceptions import PermissionDenied

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.matching.transitions import MATCH_TRANSITIONS
from cnum.recruitment.testing import make_match, make_validated_structure
from cnum.workflow.engine import PLATFORM, apply_transition
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

STRUCTURE, ADMIN, PLATFORM_ONLY = {"manager"}, {"admin"}, {"platform"}
BOTH = {"manager", "admin"}
SORTING = [S.NOUVELLE, S.INTERESSEE, S.NON_INTERESSEE]
# Who may make each move, from the table of docs/domaine.md#statuts-mise-en-relation.
EXPECTED = {
    **{(a, b): STRUCTURE for a in SORTING for b in SORTING if a != b},
    (S.INTERESSEE, S.RECRUTEE): STRUCTURE,
    (S.RECRUTEE, S.INTERESSEE): BOTH,
    (S.RECRUTEE, S.FINALISEE): ADMIN,
    (S.FINALISEE, S.NOUVELLE_RUPTURE): STRUCTURE,
    (S.NOUVELLE_RUPTURE, S.FINALISEE): BOTH,
    (S.NOUVELLE_RUPTURE, S.FINALISEE_RUPTURE): ADMIN,
    (S.FINALISEE, S.RENOUVELLEMENT_INITIE): STRUCTURE,
    (S.RENOUVELLEMENT_INITIE, S.FINALISEE): BOTH,
    (S.FINALISEE, S.TERMINEE): {"admin", "platform"},
    **{(a, S.NON_DISPONIBLE): PLATFORM_ONLY for a in SORTING},
    (S.NON_DISPONIBLE, S.NOUVELLE): PLATFORM_ONLY,
    **{
        (a, S.FINALISEE_NON_DISPONIBLE): PLATFORM_ONLY
        for a in (*SORTING, S.RECRUTEE, S.NON_DISPONIBLE)
    },
    (S.FINALISEE_NON_DISPONIBLE, S.NOUVELLE): PLATFORM_ONLY,
    # Stale matches (docs/domaine.md#mises-en-relation-perimees).
    (S.NOUVELLE, S.EXPIREE): PLATFORM_ONLY,
    (S.INTERESSEE, S.EXPIREE): PLATFORM_ONLY,
    **{(S.EXPIREE, b): STRUCTURE for b in SORTING},
    (S.EXPIREE, S.NON_DISPONIBLE): PLATFORM_ONLY,
    (S.EXPIREE, S.FINALISEE_NON_DISPONIBLE): PLATFORM_ONLY,
}
ACTORS = ["manager", "other_manager", "admin", "prefet", "candidate", "platform"]


def test_the_table_has_exactly_the_moves_of_the_domain():
    assert set(MATCH_TRANSITIONS) == set(EXPECTED)


def make_actor(kind, match):
    if kind == "manager":
        return match.structure.managers().first().user
    if kind == "other_manager":
        return make_validated_structure(manager=make_user()).managers().first().user
    if kind == "admin":
        return make_user(Role.ADMINISTRATEUR)
    if kind == "prefet":
        return make_user(Role.PREFET)  # the Rhône, where the structure is
    if kind == "candidate":
        return match.candidate.user
    return PLATFORM


@pytest.mark.parametrize("actor_kind", ACTORS)
@pytest.mark.parametrize("move", sorted(EXPECTED), ids=lambda move: f"{move[0]}->{move[1]}")
def test_each_move_is_allowed_to_its_actors_only(move, actor_kind):
    frm, to = move
    match = make_match(make_validated_structure(manager=make_user()), status=frm)
    actor = make_actor(actor_kind, match)
    allowed = actor_kind in EXPECTED[move]
    assert Match.workflow.can(match, to, actor) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            apply_transition(match, to, actor)
        match.refresh_from_db()
        assert match.status == frm
        assert not TransitionLog.objects.for_object(match).exists()


@pytest.mark.parametrize("frm,to", [(a, b) for a in SORTING for b in SORTING if a != b])
def test_sorting_moves_apply_and_are_logged(frm, to):
    match = make_match(make_validated_structure(manager=make_user()), status=frm)
    manager = match.structure.managers().first().user
    log = apply_transition(match, to, manager, "tri")
    match.refresh_from_db()
    assert match.status == to
    assert (log.from_status, log.to_status, log.actor, log.comment) == (frm, to, manager, "tri")
