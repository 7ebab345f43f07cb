"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only, public
from cnum.accounts.roles import Role


def place_kwargs():
    from cnum.places.testing import make_place

    return {"pk": make_place().pk}


def report_kwargs():
    from cnum.places.models import PlaceReport

    report = PlaceReport.objects.create(place=make_place_for_rows(), kind="autre", details="x")
    return {"pk": report.pk}


def make_place_for_rows():
    from cnum.places.testing import make_place

    return make_place()


MANAGERS = (Role.GESTIONNAIRE_STRUCTURE, Role.CONSEILLER)

ROWS = {
    "places:map": ({}, public()),
    "places:detail": (place_kwargs, public()),
    "places:manage": ({}, only(*MANAGERS)),
    # A fresh manager or conseiller has no submitted structure: a page that says so.
    "places:create": ({}, only(*MANAGERS)),
    # Someone else's place: managers and conseillers get a 404, never its data.
    "places:edit": (place_kwargs, only(*MANAGERS, status=404)),
    "places:delete": (place_kwargs, only(*MANAGERS, status=404)),
    "places:my_places": ({}, only(Role.CONSEILLER)),
    "places:my_listing": ({}, only(Role.CONSEILLER)),
    "places:guided_search": ({}, public()),
    "places:embed": ({}, public()),
    "places:embed_help": ({}, public()),
    "places:send_sheet": (place_kwargs, public()),
    "places:report": (place_kwargs, public()),
    "places:reports": ({}, only(Role.ADMINISTRATEUR)),
    # Marking a report handled is POSTed; anyone else is refused before the method is looked at.
    "places:report_handled": (report_kwargs, only(Role.ADMINISTRATEUR, status=405)),
    "places:moderation": ({}, only(Role.ADMINISTRATEUR)),
    # Decisions are POSTed; anyone else is refused before the method is looked at.
    "places:moderate": (place_kwargs, only(Role.ADMINISTRATEUR, status=405)),
    "api:lieux_json": ({}, public()),
    "api:lieux_csv": ({}, public()),
}
