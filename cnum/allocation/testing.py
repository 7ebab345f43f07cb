"""Test helpers: validated structures holding posts."""

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import CommitteeDecision
from cnum.structures.testing import make_structure


def make_validated_structure(*, posts=1, session=None, decided_by=None, **fields):
    structure = make_structure(status=Status.VALIDATION_COSELEC, **fields)
    CommitteeDecision.objects.create(
        structure=structure,
        session=session,
        opinion=CommitteeOpinion.POSITIF,
        posts_granted=posts,
        decided_by=decided_by or make_user(Role.ADMINISTRATEUR),
    )
    return structure
