import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.communication import resources
from cnum.communication.models import FaqEntry, Resource
from cnum.communication.testing import (
    PDF,
    docx_bytes,
    make_admin,
    make_resource,
    odt_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def create(client, data, name, **fields):
    return client.post(
        reverse("communication:resource_create"),
        {
            "title": "Modèle de délibération",
            "slug": "modele-deliberation",
            "category": "deliberation",
            "roles": [Role.GESTIONNAIRE_STRUCTURE],
            "file": upload(data, name),
            **fields,
        },
    )


@pytest.mark.parametrize(
    ("data", "kind"), [(PDF, "pdf"), (odt_bytes(), "odt"), (docx_bytes(), "docx")]
)
def test_pdf_odt_and_docx_are_recognised_by_their_content(client, data, kind):
    login(client, make_admin())
    response = create(client, data, "Délibération (modèle).bin")
    assert response.status_code == 302
    version = Resource.objects.get().latest()
    assert version.original_name == f"Deliberation-modele.{kind}"
    assert version.number == 1 and version.size == len(data)


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"MZ\x90\x00 not a document", "guide.pdf", "ni un PDF, ni un document ODT"),
        (b"%PDF-1.4 truncated", "guide.pdf", "incomplet ou endommagé"),
        (b"PK\x03\x04 broken zip", "guide.docx", "illisible ou endommagé"),
    ],
)
def test_other_files_are_refused_and_nothing_is_created(client, data, name, error):
    login(client, make_admin())
    page = create(client, data, name).content.decode()
    assert error in page
    assert "modele-deliberation" in page  # what was typed stays
    assert not Resource.objects.exists()


def test_a_file_over_the_limit_is_refused(client, monkeypatch):
    monkeypatch.setattr(resources, "MAX_BYTES", 50)
    login(client, make_admin())
    assert "dépasse 20 Mo" in create(client, PDF, "gros.pdf").content.decode()


def test_a_new_upload_is_a_new_version_and_the_old_ones_stay_listed(client):
    admin = login(client, make_admin())
    resource = make_resource(slug="modele-convention", roles=[Role.GESTIONNAIRE_STRUCTURE])
    client.post(
        reverse("communication:resource_manage", args=[resource.pk]),
        {"action": "version", "file": upload(odt_bytes(), "convention-2027.odt"), "note": "2027"},
    )
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    assert resource.latest().uploaded_by == admin

    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    client.logout()
    login(client, manager)
    page = client.get(reverse("communication:resources")).content.decode()
    assert "Modèle de convention" in page and "Toutes les versions (2)" in page
    latest = client.get(reverse("communication:resource_download", args=["modele-convention"]))
    assert latest["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert latest.content.startswith(b"PK") and "attachment" in latest["Content-Disposition"]
    first = resource.versions.get(number=1)
    old = client.get(reverse("communication:version_download", args=[first.pk]))
    assert old.content == PDF and "attachment" in old["Content-Disposition"]
    # At rest, the file is encrypted like every other document.
    with first.file.open("rb") as stored:
        assert PDF not in stored.read()


def test_a_role_sees_and_downloads_only_its_documents(client):
    make_resource(slug="guide-conseiller", title="Guide du conseiller", roles=[Role.CONSEILLER])
    login(client, make_user(Role.PREFET))
    page = client.get(reverse("communication:resources")).content.decode()
    assert "Guide du conseiller" not in page
    url = reverse("communication:resource_download", args=["guide-conseiller"])
    assert client.get(url).status_code == 404


def test_the_resource_link_tag_points_to_the_latest_version_for_allowed_roles_only():
    make_resource(slug="modele-convention", roles=[Role.GESTIONNAIRE_STRUCTURE])
    template = Template('{% load communication %}{% resource_link "modele-convention" %}|'
                        '{% resource_link "inconnu" %}')  # fmt: skip
    request = RequestFactory().get("/")
    request.user = make_user(Role.GESTIONNAIRE_STRUCTURE)
    html = template.render(Context({"request": request}))
    assert reverse("communication:resource_download", args=["modele-convention"]) in html
    assert "version 1" in html and html.endswith("|")
    request.user = make_user(Role.CONSEILLER)
    assert template.render(Context({"request": request})) == "|"


def test_the_convention_step_lists_its_documents(client):
    from cnum.funding.testing import funded_structure

    make_resource(
        slug="modele-convention", title="Convention type 2027",
        roles=[Role.GESTIONNAIRE_STRUCTURE],
    )  # fmt: skip
    structure, manager = funded_structure()
    login(client, manager)
    page = client.get(reverse("funding:structure", args=[structure.pk])).content.decode()
    assert "Documents et modèles du conventionnement" in page
    assert "Convention type 2027" in page


def test_faq_public_entries_for_everyone_role_entries_for_the_role(client):
    FaqEntry.objects.create(question="Qu'est-ce qu'un conseiller ?", answer="…", is_public=True)
    FaqEntry.objects.create(question="Comment saisir un CRA ?", answer="…", roles=["conseiller"])
    page = client.get(reverse("communication:faq")).content.decode()
    assert "un conseiller ?" in page and "saisir un CRA" not in page
    login(client, make_user(Role.CONSEILLER))
    page = client.get(reverse("communication:faq")).content.decode()
    assert "un conseiller ?" in page and "saisir un CRA" in page


def test_the_administration_writes_the_faq(client):
    login(client, make_admin())
    response = client.post(
        reverse("communication:faq_create"),
        {"question": "Qui contacter ?", "answer": "Votre préfecture.", "position": "1"},
    )
    assert "Choisissez au moins un rôle, ou rendez la question publique." in (
        response.content.decode()
    )
    client.post(
        reverse("communication:faq_create"),
        {"question": "Qui contacter ?", "answer": "Votre préfecture.", "position": "1",
         "is_public": "on"},
    )  # fmt: skip
    assert FaqEntry.objects.get().is_public
