"""Test helpers: a candidate outside the structure's list who accepted its contact request."""

from cnum.matching import contact


def accepted_contact(structure, candidate, manager):
    """Request contact as `manager`, accepted by the candidate (through the workflow)."""
    request = contact.request_contact(structure, candidate, manager)
    return contact.answer(request, True, candidate.user)
