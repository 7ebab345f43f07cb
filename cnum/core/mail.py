"""E-mails leave through a background task, enqueued once the transaction commits."""

import structlog
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email(subject: str, body: str, to: list[str], headers: dict | None = None) -> int:
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    return message.send()


def trace_headers():
    """The id of the request (or task) asking for the e-mail, to follow it through the logs."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    return {"X-Request-ID": request_id} if request_id else {}


def send_templated_email(template, context, to):
    """Render `<template>_subject.txt` and `<template>_body.txt`, send after commit."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_body.txt", context)
    headers = trace_headers()  # now: the request may be over when the transaction commits
    transaction.on_commit(lambda: send_email.enqueue(subject, body, list(to), headers=headers))
