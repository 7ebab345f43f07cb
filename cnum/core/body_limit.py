"""Refuse a request whose declared body is too large, before anything reads or spools it."""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader


def declared_length(request):
    """CONTENT_LENGTH as an int; 0 when absent or unreadable (Django then reads no body)."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    return int(raw) if raw.isascii() and raw.isdigit() else 0


class RequestBodyLimitMiddleware:
    """Answer 413 when the declared body exceeds MAX_REQUEST_BODY_BYTES.

    The proxy in front should refuse such bodies first (nginx `client_max_body_size`); this keeps
    the application safe without it, and keeps uploads in memory up to the same size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_BYTES
        if declared_length(request) > limit:
            html = loader.get_template("413.html").render({"limit_mb": limit // (1024 * 1024)})
            return HttpResponse(html, status=413)
        return self.get_response(request)
