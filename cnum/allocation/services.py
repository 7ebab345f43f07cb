"""National allocation of available candidates to vacant posts."""


def suggestions_for(structure):
    """Ids of the candidate profiles the latest allocation suggests for `structure`."""
    return set()
