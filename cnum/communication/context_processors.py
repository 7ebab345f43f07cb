"""The banners of the current visitor, for the base template (communication/_banners.html)."""

from django.utils.functional import SimpleLazyObject

from cnum.communication.announcements import for_user


def announcements(request):
    # Lazy: a response that never renders the base template reads nothing.
    return {"communication_banners": SimpleLazyObject(lambda: for_user(request.user))}
