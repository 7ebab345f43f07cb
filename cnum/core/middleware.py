"""Requests the service refuses before any view reads them."""

from django.http import Http404, HttpResponseBadRequest
from django.template import loader

from cnum.core.params import ID_MAX, has_nul

# Multipart bodies are left to the forms (their CharFields refuse NUL): parsing them here would
# run the upload handlers before any later middleware could choose them.
URLENCODED = "application/x-www-form-urlencoded"


def _carries_nul(request):
    if has_nul(request.path):
        return True
    parts = [request.GET, request.COOKIES]
    if request.method == "POST" and request.content_type == URLENCODED:
        parts.append(request.POST)
    for part in parts:
        for key in part:
            values = part.getlist(key) if hasattr(part, "getlist") else [part[key]]
            if has_nul(key) or any(has_nul(value) for value in values):
                return True
    return False


class HostileInputMiddleware:
    """Answer 400 to a NUL byte in the path, a parameter, a form field or a cookie, and 404 to an
    id in the path beyond what a database integer holds.

    No text of the service may hold a NUL byte and PostgreSQL refuses them; SQLite cannot even
    compare a column with an integer beyond 64 bits: refusing both here keeps every view, form
    and query from meeting one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            return HttpResponseBadRequest(loader.get_template("400.html").render())
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= ID_MAX:
                raise Http404
        return None
