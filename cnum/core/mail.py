"""E-mails leave through a background task, enqueued once the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email(subject: str, body: str, to: list[str]) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def send_templated_email(template, context, to):
    """Render `<template>_subject.txt` and `<template>_body.txt`, send after commit."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(subject, body, list(to)))
