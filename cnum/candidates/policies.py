"""Who may see which candidate, and who may read a CV."""

from cnum.accounts.roles import Role

DECIDER_ROLES = (Role.ADMINISTRATEUR, Role.PREFET)


def can_download_cv(user, profile):
    """The owner and the national administration; structures that pre-selected the candidate
    will be added by matching (extend here, one place)."""
    if not user.is_authenticated or not profile.has_cv:
        return False
    return profile.user_id == user.pk or user.has_role(Role.ADMINISTRATEUR)
