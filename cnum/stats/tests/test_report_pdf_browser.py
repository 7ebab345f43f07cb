"""A conseiller downloads the PDF of their statistics in a real browser, then anyone checks its
verification code on the public page."""

import re

import pytest
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.documents.testing import read_pdf
from cnum.navigation.testing import follow_header_link
from cnum.stats.tests.dashboard_data import make_world

pytestmark = BROWSER_TEST


@pytest.fixture
def world(live_server):
    return make_world()


def test_a_conseiller_downloads_their_report_and_its_code_checks_out(page, live_server, world):
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    log_in(page, live_server, world.conseillers["c1"].email)
    follow_header_link(page, "Statistiques d'activité")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger en PDF").click()
    download = download_info.value
    assert re.fullmatch(r"statistiques-.+\.pdf", download.suggested_filename)
    pdf = read_pdf(open(download.path(), "rb").read())  # noqa: SIM115 - read at once
    assert "Personnes accompagnées 8 " in pdf.text

    page.goto(f"{live_server.url}/documents/verifier/")
    page.get_by_label("Code de vérification").fill(pdf.code.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Document authentique")).to_be_visible()
    expect(page.get_by_text("Rapport statistique d'activité")).to_be_visible()
    assert_accessible(page)
