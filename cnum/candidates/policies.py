"""Who may see which candidate, and who may read a CV."""

from cnum.accounts.roles import Role

DECIDER_ROLES = (Role.ADMINISTRATEUR, Role.PREFET)


# Further grounds on which someone may read a candidate's CV, each a function(user, profile),
# registered at start-up by the apps that build on candidates (matching: the managers of a
# structure in contact with the candidate).
CV_READERS = []


def can_download_cv(user, profile):
    """The owner, the national administration, and whoever a registered ground lets in."""
    if not user.is_authenticated or not profile.has_cv:
        return False
    if profile.user_id == user.pk or user.has_role(Role.ADMINISTRATEUR):
        return True
    return any(ground(user, profile) for ground in CV_READERS)
