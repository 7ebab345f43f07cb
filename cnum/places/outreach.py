"""The public side of a place page (docs/domaine.md#lieux-public): conseillers who chose to
appear on it, the orientation sheet sent by e-mail, and the errors the public reports."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.places import hours as osm_hours
from cnum.places.models import ConseillerListing, PlaceReport
from cnum.places.services import next_opening_text

# --- Conseillers on the map ----------------------------------------------------------------------


def listing_of(conseiller):
    """The conseiller's choice, unsaved and off when they never made one."""
    return ConseillerListing.objects.filter(conseiller=conseiller).first() or ConseillerListing(
        conseiller=conseiller
    )


@transaction.atomic
def save_listing(conseiller, *, visible, phone="", email="", booking_url=""):
    listing, _ = ConseillerListing.objects.update_or_create(
        conseiller=conseiller,
        defaults={"visible": visible, "phone": phone, "email": email, "booking_url": booking_url},
    )
    return listing


def listed_conseillers(place):
    return list(ConseillerListing.objects.shown_at(place))


# --- The orientation sheet -----------------------------------------------------------------------


def directions_url(place):
    """The place on OpenStreetMap, where the public finds the way there."""
    query = urlencode({"mlat": place.latitude, "mlon": place.longitude})
    return f"https://www.openstreetmap.org/?{query}#map=18/{place.latitude}/{place.longitude}"


def sheet_context(place, now=None):
    """What a printed or mailed sheet tells: where, when, what, how to get in."""
    now = now or timezone.now()
    hours = place.opening_hours
    return {
        "place": place,
        "week": osm_hours.week_table(hours) if not hours.is_empty else [],
        "holidays_note": osm_hours.holidays_note(hours),
        "open_now": place.is_open_at(now),
        "next_opening": next_opening_text(place, now),
        "directions_url": directions_url(place),
    }


def send_sheet(place, *, to, note=""):
    """Mail the place's orientation sheet to `to`, with the sender's note."""
    context = {
        **sheet_context(place),
        "note": note.strip(),
        "page_path": reverse("places:detail", args=[place.pk]),
    }
    send_templated_email("places/emails/sheet", context, [to])


# --- Errors reported by the public ---------------------------------------------------------------


@transaction.atomic
def report_error(place, *, kind, details, contact_email=""):
    """Store the report and tell the structure's managers (the administration lists it)."""
    report = PlaceReport.objects.create(
        place=place, kind=kind, details=details.strip(), contact_email=contact_email
    )
    emails = place.structure.manager_emails()
    if emails:
        send_templated_email("places/emails/report", {"report": report, "place": place}, emails)
    return report


@transaction.atomic
def mark_handled(report_pk, actor):
    """The administration has dealt with the report; False when it already was."""
    if not actor.has_role(Role.ADMINISTRATEUR):
        raise PermissionDenied
    updated = PlaceReport.objects.pending().filter(pk=report_pk)
    return bool(updated.update(handled_at=timezone.now(), handled_by=actor))
