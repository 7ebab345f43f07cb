"""What must happen inside the transaction of a match transition (wired in
cnum.matching.transitions.EFFECTS, keyed by target status; each gets (match, log))."""

from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.candidates import services as candidates
from cnum.candidates.models import CandidateProfile
from cnum.core.workflow import PLATFORM, apply_transition
from cnum.matching.enums import EMPLOYED, HOLDING_POST, OPEN
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment import signals
from cnum.recruitment.enums import ContractState, RuptureState
from cnum.recruitment.models import Contract, Rupture
from cnum.structures.enums import Status as StructureStatus


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

    return Structure.objects.select_for_update().get(pk=match.structure_id)


def _close_contract(match, state):
    Contract.objects.filter(match=match, state=ContractState.CURRENT).update(state=state)


# Effects, by target status


def on_recrutee(match, log):
    """The quota, checked again with the structure locked, this match already counted."""
    check_can_recruit(lock_structure(match), extra=0)


def on_interessee(match, log):
    if log.from_status == S.RECRUTEE:  # recruitment cancelled: its contract is void
        _close_contract(match, ContractState.DROPPED)


def on_finalisee(match, log):
    if log.from_status == S.RECRUTEE:
        _recruitment_validated(match, log)
    elif log.from_status == S.NOUVELLE_RUPTURE:
        _decide_rupture(match, log, RuptureState.CANCELLED)
    elif log.from_status == S.RENOUVELLEMENT_INITIE:
        _settle_renewal(match)


def on_finalisee_non_disponible(match, log):
    if log.from_status == S.RECRUTEE:
        _close_contract(match, ContractState.DROPPED)


def on_finalisee_rupture(match, log):
    rupture = _decide_rupture(match, log, RuptureState.VALIDATED)
    _close_contract(match, ContractState.PAST)
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
    _close_contract(match, ContractState.PAST)
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
        CandidateProfile.objects.select_for_update()
        .select_related("user")
        .get(pk=match.candidate_id)
    )
    user = profile.user
    membership, created = Membership.objects.get_or_create(
        user=user,
        role=Role.CONSEILLER,
        organisation_id=match.structure_id,
        defaults={"is_active": True},
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
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
    rupture = Rupture.objects.select_for_update().pending().filter(match=match).first()
    if rupture is not None:
        rupture.state = state
        rupture.decided_by = log.actor
        rupture.decided_at = timezone.now()
        rupture.save(update_fields=["state", "decided_by", "decided_at"])
    return rupture


def _settle_renewal(match):
    """Back to finalisee from a renewal: the approved draft becomes the contract, else dropped."""
    draft = Contract.objects.select_for_update().draft().filter(match=match).first()
    if draft is None:
        return
    if draft.approved_by_id:
        _close_contract(match, ContractState.PAST)
        draft.state = ContractState.CURRENT
    else:
        draft.state = ContractState.DROPPED
    draft.save(update_fields=["state"])


def _release_person(match):
    """End of employment: no longer a conseiller here; available again as a former conseiller."""
    profile = (
        CandidateProfile.objects.select_for_update()
        .select_related("user")
        .get(pk=match.candidate_id)
    )
    user = profile.user
    Membership.objects.filter(
        user=user, role=Role.CONSEILLER, organisation_id=match.structure_id
    ).update(is_active=False)
    user.__dict__.pop("_roles_cache", None)
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
