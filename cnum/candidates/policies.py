"""Who may see which candidate, and who may read a CV."""

from cnum.accounts.roles import Role

DECIDER_ROLES = (Role.ADMINISTRATEUR, Role.PREFET)


def can_download_cv(user, profile):
    """The owner, the national administration, and the managers of a structure that
    pre-selected the candidate (match in interessee or later)."""
    if not user.is_authenticated or not profile.has_cv:
        return False
    if profile.user_id == user.pk or user.has_role(Role.ADMINISTRATEUR):
        return True
    from cnum.matching.policies import structures_with_contact

    return (
        user.has_role(Role.GESTIONNAIRE_STRUCTURE)
        and structures_with_contact(user, profile).exists()
    )
