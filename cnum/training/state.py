"""The conseiller's state, computed in one place from their enrolments."""

from cnum.training.enums import ConseillerState, EnrolmentStatus

S = EnrolmentStatus
# Which enrolment speaks for the conseiller: an open one, else the latest finished, else the
# latest abandoned (a cancelled enrolment never counts).
_PRIORITY = {S.INSCRITE: 0, S.EN_COURS: 0, S.TERMINEE: 1, S.ABANDONNEE: 2}


def state_of(enrolment):
    """ConseillerState for a conseiller whose current enrolment is `enrolment` (or None)."""
    if enrolment is None or enrolment.status in (S.ABANDONNEE, S.ANNULEE):
        return ConseillerState.A_PROGRAMMER
    if enrolment.status == S.TERMINEE:
        return ConseillerState.EN_ACTIVITE
    return ConseillerState.EN_FORMATION


def pick_current(enrolments):
    """The enrolment that speaks for one conseiller among all of theirs (or None)."""
    ranked = [e for e in enrolments if e.status in _PRIORITY]
    ranked.sort(key=lambda e: (_PRIORITY[e.status], -e.created_at.timestamp(), -e.pk))
    return ranked[0] if ranked else None


def current_enrolments(user_ids):
    """{user id: current enrolment} for many conseillers, in one query."""
    from cnum.training.models import Enrolment

    by_user = {}
    queryset = (
        Enrolment.objects.filter(conseiller_id__in=list(user_ids))
        .exclude(status=S.ANNULEE)
        .select_related("organisation", "session")
    )
    for enrolment in queryset:
        by_user.setdefault(enrolment.conseiller_id, []).append(enrolment)
    return {user_id: pick_current(found) for user_id, found in by_user.items()}


def conseiller_state(user):
    """(state, current enrolment or None) of one conseiller."""
    enrolment = current_enrolments([user.pk]).get(user.pk)
    return state_of(enrolment), enrolment


def state_condition(state, conseiller="user"):
    """The rule of `state_of` as a query condition on rows whose `conseiller` field (a user
    reference) names a conseiller, so that states can be counted in one grouped query."""
    from django.db.models import Exists, OuterRef, Q

    from cnum.training.models import Enrolment

    mine = Enrolment.objects.filter(conseiller=OuterRef(conseiller))
    open_ = Exists(mine.filter(status__in=(S.INSCRITE, S.EN_COURS)))
    done = Exists(mine.filter(status=S.TERMINEE))
    return {
        ConseillerState.EN_FORMATION: Q(open_),
        ConseillerState.EN_ACTIVITE: ~Q(open_) & Q(done),
        ConseillerState.A_PROGRAMMER: ~Q(open_) & ~Q(done),
    }[state]
