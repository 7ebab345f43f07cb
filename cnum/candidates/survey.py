"""The "toujours disponible ?" survey (docs/domaine.md#mises-en-relation-perimees).

Every AVAILABILITY_SURVEY_MONTHS, an available candidate gets an e-mail with two signed links
(django.core.signing, valid AVAILABILITY_SURVEY_LINK_DAYS): "oui" records the confirmation,
"non" makes the profile unavailable — through set_availability, so matching closes the open
matches at once, as when the candidate edits their profile. Nobody is asked twice within the
period (counted from activation, the last survey or the last "oui"); people holding a post
(registered in BUSY by matching) are never asked.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import PARIS, months_ago, set_availability
from cnum.core.mail import send_templated_email

SALT = "cnum.candidates.availability-survey"
ANSWERS = {"oui": True, "non": False}
CHUNK = 500

# Functions returning a Q on CandidateProfile for people who hold a post (recruitment asked or
# done): never asked, never made available by a "oui". Registered by matching at start-up.
BUSY = []


def _busy():
    found = Q()
    for condition in BUSY:
        found |= Q(condition())
    return found


def _cutoff(now):
    local = now.astimezone(PARIS)
    day = months_ago(local.date(), settings.AVAILABILITY_SURVEY_MONTHS)
    return datetime.datetime.combine(day, local.timetz())


def due(now=None):
    """Available, active candidates with no news for a whole period, holding no post."""
    now = now or timezone.now()
    last_news = Greatest(
        "activated_at",
        Coalesce("availability_asked_at", "activated_at"),
        Coalesce("availability_confirmed_at", "activated_at"),
    )
    return (
        CandidateProfile.objects.active()
        .filter(is_available=True)
        .annotate(last_news=last_news)
        .filter(last_news__lte=_cutoff(now))
        .exclude(_busy())
    )


def link(profile, answer):
    # The issue time is signed in (on the platform's clock, which tests freeze).
    token = signing.dumps({"p": profile.pk, "t": int(timezone.now().timestamp())}, salt=SALT)
    return reverse("candidates:survey", kwargs={"answer": answer, "token": token})


def send(now=None):
    """Ask every candidate due; returns how many. Each chunk is marked asked in the transaction
    that queues its e-mails (sent after commit): a crash never sends twice."""
    now = now or timezone.now()
    ids = list(due(now).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            for profile in CandidateProfile.objects.filter(pk__in=chunk).select_related("user"):
                send_templated_email(
                    "candidates/emails/availability_survey",
                    {
                        "profile": profile,
                        "yes_url": link(profile, "oui"),
                        "no_url": link(profile, "non"),
                        "days": settings.AVAILABILITY_SURVEY_LINK_DAYS,
                    },
                    [profile.user.email],
                )
            CandidateProfile.objects.filter(pk__in=chunk).update(availability_asked_at=now)
    return len(ids)


def profile_of_token(token):
    """The active profile a survey link names, or None if tampered with or expired."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    pk, issued = (data.get("p"), data.get("t")) if isinstance(data, dict) else (None, None)
    if not isinstance(pk, int) or not isinstance(issued, int):
        return None
    age = timezone.now().timestamp() - issued
    if age > datetime.timedelta(days=settings.AVAILABILITY_SURVEY_LINK_DAYS).total_seconds():
        return None
    return CandidateProfile.objects.active().select_related("user").filter(pk=pk).first()


@transaction.atomic
def answer(profile, available):
    """Record the answer; returns the profile's availability afterwards."""
    profile = CandidateProfile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
    if not available:
        set_availability(profile, False)
        return False
    profile.availability_confirmed_at = timezone.now()
    profile.save(update_fields=["availability_confirmed_at"])
    busy = _busy()
    holds_post = bool(busy) and CandidateProfile.objects.filter(busy, pk=profile.pk).exists()
    if not holds_post:
        set_availability(profile, True)  # also counts as activity (retention)
    return profile.is_available
