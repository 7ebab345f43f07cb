"""Requests the service refuses before any view reads them."""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve

from cnum.core.params import ID_MAX, has_nul
from cnum.core.views import page_not_found


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
        # The API's error shape (cnum.core.api_errors): machine clients read JSON, not a page.
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


class FrenchNotFoundMiddleware:
    """With DEBUG on (`make run`, the demo), answer a missing page with the site's French 404,
    as in production, instead of Django's English technical page. A developer gets the
    technical page back with DEBUG_TECHNICAL_404=1. Without DEBUG, Django's handler404 already
    does this, and the middleware steps aside."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _active():
        return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_404", False)

    def __call__(self, request):
        if self._active():
            try:
                resolve(request.path_info)
            except Resolver404:
                return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if self._active() and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
