"""Request logging: a request id for every request (the caller's X-Request-ID when sane),
echoed in the response header, bound to every log line of the request and to the tasks and
e-mails it starts; the user's id only (never an e-mail or a name); the duration."""

import re
import time
import uuid

from django.dispatch import receiver
from django_prometheus.middleware import PrometheusAfterMiddleware
from django_prometheus.utils import Time
from django_structlog import signals
from django_structlog.middlewares.request import RequestMiddleware

HEADER = "X-Request-ID"
# What a proxy or a client may hand us: short, no spaces, nothing that could forge a log line.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_for(request):
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


class RequestLogMiddleware(RequestMiddleware):
    def prepare(self, request):
        request.started_at = time.perf_counter()
        request.request_id = request_id_for(request)
        # django-structlog reads the id from the header (DJANGO_STRUCTLOG_TRUST_UPSTREAM_
        # REQUEST_ID): hand it the checked one.
        request.META["HTTP_X_REQUEST_ID"] = request.request_id
        request.__dict__.pop("headers", None)
        super().prepare(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The user is known from here on (authentication ran): bind it for the view's log lines
        # and the tasks it enqueues.
        self.bind_user_id(request)

    def handle_response(self, request, response):
        response.headers[HEADER] = request.request_id
        super().handle_response(request, response)

    @staticmethod
    def format_request(request):
        # The path without its query string, which may hold personal data (a searched name).
        return f"{request.method} {request.path}"


@receiver(signals.bind_extra_request_finished_metadata)
def add_duration(sender, request, log_kwargs, **kwargs):
    if started := getattr(request, "started_at", None):
        log_kwargs["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if match := getattr(request, "resolver_match", None):
        log_kwargs["view"] = match.view_name


class MetricsMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's per-view metrics, which must not turn a malformed Content-Length
    (answered by Django's own checks) into a server error."""

    def process_request(self, request):
        try:
            super().process_request(request)
        except ValueError:  # int() of the header: only the body size goes unrecorded
            request.prometheus_after_middleware_event = Time()
