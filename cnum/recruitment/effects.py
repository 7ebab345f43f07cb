"""What must happen inside the transaction of a match transition (plugged into
Match.workflow by cnum.recruitment.apps, keyed by target status; each gets (match, log))."""

from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts.roles import Role
from cnum.candidates import services as candidates
from cnum.candidates.models import CandidateProfile
from cnum.matching.enums import EMPLOYED, HOLDING_POST, OPEN
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment import signals
from cnum.recruitment.enums import ContractState, RuptureState
from cnum.recruitment.models import Contract, Rupture
from cnum.structures import coordinators
from cnum.structures.enums import Status as StructureStatus
from cnum.workflow.engine import PLATFORM, apply_transition


class RecruitmentRefused(Exception):
    """A recruitment the rules forbid; the message is the French sentence shown to the user."""


def posts_taken(structure):
    return structure.matches.filter(status__in=HOLDING_POST).count()


def check_can_recruit(structure, extra=1):
    """Refuse unless the structure is validated and `extra` more posts fit in its quota.

    Call with the Structure row locked (select_for_update) so that concurrent requests count
    one after the other.
    """
    if structure.status != StructureStatus.VALIDATION_COSELEC:
        raise RecruitmentRefused(
            "La structure doit être validée par le comité de sélection pour recruter."
        )
    posts, taken = structure.current_posts(), posts_taken(structure)
    if taken + extra > posts:
        raise RecruitmentRefused(
            f"Tous les postes attribués à la structure sont pourvus ou en cours de recrutement "
            f"({taken} sur {posts}) : annulez un recrutement en attente ou demandez des postes "
            f"supplémentaires."
        )


def lock_structure(match):
    from cnum.structures.models import Structure

    return Structure.objects.select_for_update(of=("self",)).get(pk=match.structure_id)


def _actor(log):
    """Who made the match move: its consequences are theirs (the platform when no one)."""
    return log.actor or PLATFORM


def _close_contract(match, state, log):
    for contract in Contract.objects.filter(match=match, state=ContractState.CURRENT):
        apply_transition(contract, state, _actor(log))


# Effects, by target status


def on_recrutee(match, log):
    """The quota, checked again with the structure locked, this match already counted."""
    check_can_recruit(lock_structure(match), extra=0)


def on_interessee(match, log):
    if log.from_status == S.RECRUTEE:  # recruitment cancelled: its contract is void
        _close_contract(match, ContractState.DROPPED, log)


def on_finalisee(match, log):
    if log.from_status == S.RECRUTEE:
        _recruitment_validated(match, log)
    elif log.from_status == S.NOUVELLE_RUPTURE:
        _decide_rupture(match, log, RuptureState.CANCELLED)
    elif log.from_status == S.RENOUVELLEMENT_INITIE:
        _settle_renewal(match, log)


def on_finalisee_non_disponible(match, log):
    if log.from_status == S.RECRUTEE:
        _close_contract(match, ContractState.DROPPED, log)


def on_finalisee_rupture(match, log):
    rupture = _decide_rupture(match, log, RuptureState.VALIDATED)
    _close_contract(match, ContractState.PAST, log)
    user = _release_person(match)
    signals.rupture_validated.send(
        sender=type(match),
        match=match,
        conseiller=user,
        structure=match.structure,
        rupture_date=rupture.date if rupture else None,
    )


def on_terminee(match, log):
    contract = Contract.objects.current().filter(match=match).first()
    _close_contract(match, ContractState.PAST, log)
    user = _release_person(match)
    signals.contract_ended.send(
        sender=type(match),
        match=match,
        conseiller=user,
        structure=match.structure,
        end_date=contract.end_date if contract else None,
    )


# Helpers


def _recruitment_validated(match, log):
    """The candidate becomes a conseiller of the structure and leaves every other match."""
    profile = (
        CandidateProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=match.candidate_id)
    )
    user = profile.user
    grants.grant(user, Role.CONSEILLER, match.structure, actor=log.actor)
    # Before the availability change, so that listeners of profile_changed find nothing open.
    others = (
        type(match)
        .objects.filter(candidate_id=profile.pk)
        .exclude(pk=match.pk)
        .filter(status__in=(*OPEN, S.RECRUTEE, S.NON_DISPONIBLE))
    )
    for other in others:
        apply_transition(
            other, S.FINALISEE_NON_DISPONIBLE, PLATFORM, "Candidat recruté par une autre structure"
        )
    candidates.set_availability(profile, False)
    user.__dict__.pop("_roles_cache", None)
    signals.recruitment_validated.send(
        sender=type(match), match=match, conseiller=user, structure=match.structure
    )


def _decide_rupture(match, log, state):
    rupture = Rupture.objects.pending().filter(match=match).first()
    if rupture is not None:
        decided = {"decided_by": log.actor, "decided_at": timezone.now()}
        apply_transition(rupture, state, _actor(log), changes=decided)
    return rupture


def _settle_renewal(match, log):
    """Back to finalisee from a renewal: the approved draft becomes the contract, else dropped."""
    draft = Contract.objects.draft().filter(match=match).first()
    if draft is None:
        return
    if draft.approved_by_id:
        _close_contract(match, ContractState.PAST, log)
        apply_transition(draft, ContractState.CURRENT, _actor(log))
    else:
        apply_transition(draft, ContractState.DROPPED, _actor(log))


def _release_person(match):
    """End of employment: no longer a conseiller here; available again as a former conseiller."""
    profile = (
        CandidateProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=match.candidate_id)
    )
    user = profile.user
    grants.revoke_role(user, Role.CONSEILLER, match.structure)
    coordinators.end_designations(match.structure, user, PLATFORM)
    still_employed = (
        type(match)
        .objects.filter(candidate_id=profile.pk, status__in=EMPLOYED)
        .exclude(pk=match.pk)
        .exists()
    )
    if still_employed:
        return user
    if not profile.is_former_conseiller:
        data = {field: getattr(profile, field) for field in candidates.PROFILE_FIELDS}
        candidates.update_profile(profile, {**data, "is_former_conseiller": True})
    # Through the candidates service: profile_changed fires, and matching reopens the matches
    # closed when the person was recruited.
    candidates.set_availability(profile, True)
    return user
