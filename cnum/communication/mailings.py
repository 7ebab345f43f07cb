"""Segmented mailings: start a send, then the task worker sends it in batches, each recipient
at most once (docs/communication.md#courriels-groupes).

Starting writes one Delivery row per recipient (resolved at that moment). A batch claims its
rows under a row lock that other workers skip, marks them "sending" and commits, and only then
hands each mail to the SMTP server, recording sent or failed. A worker that dies mid-batch
leaves its claimed rows "sending": they are never sent again (a duplicate is worse than a
miss the administration can see), and the rows still waiting are picked up by the next batch,
or by `resume_sending` every quarter of an hour.
"""

import contextlib

import structlog
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from cnum.communication import targeting
from cnum.communication.models import Delivery, DeliveryOutcome, Mailing, MailingStatus
from cnum.core.mail import send_email
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition

log = structlog.get_logger(__name__)

BATCH_SIZE = 100
UNSUBSCRIBE_SALT = "cnum.communication.unsubscribe"


class MailingError(Exception):
    """A mailing that cannot be sent as it is; the message says why, in French."""


def unsubscribe_token(user):
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_token(token):
    """The user id a link was signed for, or None."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def unsubscribe_url(user):
    path = reverse("communication:unsubscribe", kwargs={"token": unsubscribe_token(user)})
    return f"{settings.SITE_URL}{path}"


def render(mailing, user):
    """(subject, body, headers) of the mail as `user` receives it."""
    context = {"mailing": mailing, "user": user, "site_url": settings.SITE_URL}
    headers = {}
    if mailing.is_information:
        url = unsubscribe_url(user)
        context["unsubscribe_url"] = url
        # RFC 8058: mail clients offer their own one-click unsubscribe button.
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    subject = render_to_string("communication/emails/mailing_subject.txt", context).strip()
    body = render_to_string("communication/emails/mailing_body.txt", context)
    return subject, body, headers


def start(mailing, actor):
    """Freeze the recipients and hand the send to the worker. Raises MailingError."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update(of=("self",)).get(pk=mailing.pk)
        if mailing.status != MailingStatus.BROUILLON:
            raise MailingError("Ce courriel a déjà été envoyé.")
        users = list(targeting.recipients(mailing).values_list("pk", "email"))
        if not users:
            raise MailingError("Aucun destinataire : élargissez la cible avant d'envoyer.")
        Delivery.objects.bulk_create(
            [Delivery(mailing=mailing, user_id=pk, email=email) for pk, email in users],
            batch_size=1000,
        )
        started = {"sent_at": timezone.now()}
        apply_transition(mailing, MailingStatus.EN_COURS, actor, changes=started)
    return mailing


def _claim(mailing_id):
    """Mark up to BATCH_SIZE waiting deliveries as being sent; committed before any mail
    leaves. Rows locked by another worker are skipped, never claimed twice."""
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(mailing_id=mailing_id, outcome=DeliveryOutcome.PENDING)
            .order_by("pk")[:BATCH_SIZE]
        )
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            outcome=DeliveryOutcome.SENDING, claimed_at=timezone.now()
        )
    return [row.pk for row in rows]


def _send_one(mailing, delivery):
    subject, body, headers = render(mailing, delivery.user)
    try:
        send_email.call(subject, body, [delivery.email], headers=headers)
    except Exception as error:  # SMTP refusals and outages alike: recorded, the batch goes on
        log.warning("mailing_delivery_failed", mailing=mailing.pk, delivery=delivery.pk)
        Delivery.objects.filter(pk=delivery.pk).update(
            outcome=DeliveryOutcome.FAILED, error=str(error)[:500]
        )
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        outcome=DeliveryOutcome.SENT, sent_at=timezone.now()
    )


@task()
def send_batch(mailing_id: int) -> int:
    """Send one batch of the mailing, then queue the next one (or close the mailing)."""
    mailing = Mailing.objects.filter(pk=mailing_id, status=MailingStatus.EN_COURS).first()
    if mailing is None:
        return 0
    claimed = _claim(mailing_id)
    for delivery in Delivery.objects.filter(pk__in=claimed).select_related("user").order_by("pk"):
        _send_one(mailing, delivery)
    if Delivery.objects.filter(mailing_id=mailing_id, outcome=DeliveryOutcome.PENDING).exists():
        send_batch.enqueue(mailing_id)
    elif claimed:
        _finish(mailing)
    return len(claimed)


def _finish(mailing):
    with contextlib.suppress(InvalidTransition):  # another worker closed it first
        apply_transition(mailing, MailingStatus.ENVOYE, PLATFORM)


def resume_sending():
    """Periodic: queue a batch for every mailing still holding waiting deliveries (a worker
    lost its queue, a task died); close those with nothing left."""
    resumed = 0
    for mailing in Mailing.objects.filter(status=MailingStatus.EN_COURS):
        if mailing.deliveries.filter(outcome=DeliveryOutcome.PENDING).exists():
            send_batch.enqueue(mailing.pk)
            resumed += 1
        else:
            _finish(mailing)
    return f"{resumed} envoi(s) relancé(s)"


def progress(mailing):
    """{outcome: count} of the mailing's deliveries, every outcome present."""
    counts = dict.fromkeys(DeliveryOutcome.values, 0)
    rows = mailing.deliveries.values_list("outcome").annotate(n=Count("pk")).order_by()
    counts.update(dict(rows))
    return counts
