"""Requests the service refuses before any view reads them."""

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.template import loader

from cnum.core.params import ID_MAX, has_nul


def _any_nul(data):
    """True when a key or a value of a QueryDict (or a plain dict, the cookies) holds NUL."""
    for key in data:
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        if has_nul(key) or any(has_nul(value) for value in values):
            return True
    return False


UNREADABLE = "La requête contient un caractère invisible (nul) que le service ne peut pas lire."


def _refused(request):
    if request.path.startswith("/api/"):
        # The API's error shape (cnum.api.errors): machine clients read JSON, not a page.
        error = {"loc": [], "msg": UNREADABLE, "type": "value_error"}
        return JsonResponse({"detail": [error]}, status=400)
    return HttpResponseBadRequest(loader.get_template("400.html").render())


class HostileInputMiddleware:
    """Answer 400 to a NUL byte in the path, a query parameter or a cookie, and 404 to an id in
    the path beyond what a database integer holds.

    No text of the service may hold a NUL byte and PostgreSQL refuses them; SQLite cannot even
    compare a column with an integer beyond 64 bits. Posted forms are left to the forms, which
    show a French error next to the field and keep what was typed (Django's CharField refuses
    NUL; values read outside a form go through cnum.core.params).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request.path) or _any_nul(request.GET) or _any_nul(request.COOKIES):
            return _refused(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= ID_MAX:
                raise Http404
        return None
