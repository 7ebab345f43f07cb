"""Logs: one JSON object per line in production, readable text in development (LOG_FORMAT).

Everything goes through structlog's formatter, Django's and the libraries' log records too, so
every line carries the context bound for the request or task (request_id, user_id, task).
"""

import logging
import sys

import structlog

FORMATS = ("json", "text")

SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(log_format="json"):
    """A logging formatter rendering JSON lines, or text (coloured on a terminal)."""
    if log_format == "json":
        renderer = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        renderer = [structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )


def logging_settings(log_format, level):
    """Configure structlog and return the LOGGING setting."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": formatter, "log_format": log_format}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # Misfires are warnings; each tick is logged by cnum.ops (job_enqueued).
            "apscheduler": {"level": "WARNING"},
            # Each request is logged once, with its duration and status, by the middleware.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": logging.WARNING},
            # PDF rendering (cnum.documents) logs every step of every document at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
