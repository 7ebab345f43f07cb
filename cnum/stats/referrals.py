"""Referral figures of a dashboard (docs/orientations.md#statistiques): the same scope and
filters as the activity figures, read from the referrals table (cnum.referrals.figures)."""

from cnum.referrals.figures import figures, referrals_in


def dashboard_referrals(activity):
    """ReferralFigures for an ActivityFilter; None when a filter cannot apply to referrals (a
    place: a referral is not tied to the place of an activity)."""
    if activity is None or activity.place_id is not None:
        return None
    return figures(
        referrals_in(
            start=activity.start,
            end=activity.end,
            departements=activity.departements,
            structure_ids=activity.structure_ids,
            conseiller_ids=activity.conseiller_ids,
            theme=activity.thematique,
        )
    )
