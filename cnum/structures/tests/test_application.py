import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, login, make_user
from cnum.core import throttling
from cnum.structures import services
from cnum.structures.enums import Audience, Status
from cnum.structures.models import CallForInterest, Structure
from cnum.structures.testing import make_siret, make_structure
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
APPLY = reverse("structures:apply")


def application(**overrides):
    data = {
        "name": "Mairie de Villeurbanne",
        "type": "COMMUNE",
        "siret": make_siret(),
        "address": "Place Lazare-Goujon",
        "commune": "69266",
        "contact_first_name": "Nadia",
        "contact_last_name": "Benali",
        "contact_role": "Directrice générale des services",
        "contact_email": "Nadia.Benali@Villeurbanne.fr",
        "contact_phone": "04 78 03 67 67",
        "posts_wanted": "3",
        "mission_start": (timezone.localdate() + datetime.timedelta(days=20)).strftime("%d/%m/%Y"),
        "coordinator_post": "TEMPS_PARTIEL",
        "motivation": "Nos habitants sont nombreux à ne pas utiliser le numérique.",
        "qpv": "on",
        "commitments_accepted": "on",
    }
    return {**data, **overrides}


def confirmation_path(mail):
    return re.search(r"https?://[^/\s]+(/structures/candidater/confirmation/\S+/)", mail.body)[1]


def test_application_then_confirmation_creates_the_structure_and_its_first_manager(
    client, open_call, send_emails, mailoutbox
):
    with send_emails():
        response = client.post(APPLY, application())
    assert response.status_code == 302
    assert response["Location"] == reverse("structures:apply_sent")
    structure = Structure.objects.get()
    assert structure.confirmed_at is None
    assert structure.call == open_call
    # Département and région come from the commune (Villeurbanne, 69).
    assert (structure.departement_id, structure.region_id) == ("69", "84")
    assert structure.kind == "structure"
    assert not Structure.objects.visible_to(make_user(Role.ADMINISTRATEUR)).exists()
    assert mailoutbox[0].to == ["nadia.benali@villeurbanne.fr"]

    # Opening the link (as a mail scanner would) files nothing: its button does.
    page = client.get(confirmation_path(mailoutbox[0]))
    assert "Déposer la demande" in page.content.decode()
    structure.refresh_from_db()
    assert structure.confirmed_at is None and len(mailoutbox) == 1
    with send_emails():
        response = client.post(confirmation_path(mailoutbox[0]))
    assert "Demande déposée" in response.content.decode()
    structure.refresh_from_db()
    assert structure.confirmed_at is not None
    assert structure.status == Status.CREEE
    user = User.objects.get(email="nadia.benali@villeurbanne.fr")
    assert Membership.objects.filter(
        user=user, organisation=structure, role=Role.GESTIONNAIRE_STRUCTURE
    ).exists()
    # The new account gets a set-password link that works.
    link = re.search(
        r"https?://[^/\s]+(/compte/mot-de-passe/reinitialiser/\S+/)", mailoutbox[1].body
    )
    assert link, mailoutbox[1].body
    response = client.get(link[1], follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url,
        {
            "new_password1": "Un-mot-de-passe-neuf-2026",
            "new_password2": "Un-mot-de-passe-neuf-2026",
        },
    )
    user.refresh_from_db()
    assert user.check_password("Un-mot-de-passe-neuf-2026")
    # A second click changes nothing.
    client.post(confirmation_path(mailoutbox[0]))
    assert Membership.objects.filter(organisation=structure).count() == 1


def test_existing_account_is_attached_not_duplicated(client, open_call, send_emails, mailoutbox):
    existing = make_user(email="nadia.benali@villeurbanne.fr")
    with send_emails():
        client.post(APPLY, application())
    with send_emails():
        client.post(confirmation_path(mailoutbox[0]))
    assert User.objects.filter(email="nadia.benali@villeurbanne.fr").count() == 1
    assert existing.check_password(PASSWORD)
    assert Structure.objects.managed_by(existing).count() == 1
    assert "Connectez-vous" in mailoutbox[1].body


def test_forged_or_tampered_link_is_refused(client, open_call, send_emails, mailoutbox):
    with send_emails():
        client.post(APPLY, application())
    path = confirmation_path(mailoutbox[0])
    for send in (client.get, client.post):
        response = send(path[:-3] + "x/")
        assert "Lien invalide" in response.content.decode()
    assert Structure.objects.get().confirmed_at is None


def test_the_confirmation_needs_the_page_csrf_token(client, open_call, send_emails, mailoutbox):
    from django.test import Client

    with send_emails():
        client.post(APPLY, application())
    csrf_client = Client(enforce_csrf_checks=True)
    path = confirmation_path(mailoutbox[0])
    assert csrf_client.post(path).status_code == 403
    assert Structure.objects.get().confirmed_at is None
    token = csrf_client.get(path).context["csrf_token"]
    csrf_client.post(path, {"csrfmiddlewaretoken": str(token)})
    assert Structure.objects.get().confirmed_at is not None


def apply_and_confirm(client, send_emails, mailoutbox, **overrides):
    with send_emails():
        response = client.post(APPLY, application(**overrides))
    assert response.status_code == 302  # accepted, never refused for its SIRET
    link = confirmation_path(mailoutbox[-1])
    with send_emails():
        client.post(link)
    return Structure.objects.get(contact_email=overrides["contact_email"])


def test_a_siret_already_held_goes_to_the_administration_as_a_duplicate(
    client, open_call, send_emails, mailoutbox
):
    squatter = make_structure(
        manager=make_user(email="squat@exemple.org"), contact_email="squat@exemple.org"
    )
    squatter_managers = set(squatter.manager_emails())
    real = apply_and_confirm(
        client, send_emails, mailoutbox, siret=squatter.siret, contact_email="nadia@exemple.fr"
    )
    assert real.status == Status.DOUBLON and real.duplicate_of == squatter
    assert real.confirmed_at is not None
    # Flagged by the platform: nobody gains access to the other structure.
    assert set(squatter.manager_emails()) == squatter_managers
    log = TransitionLog.objects.for_object(real).get()
    assert log.actor is None and "Doublon possible" in log.comment
    # The administration sees both contacts, on either page.
    login(client, make_user(Role.ADMINISTRATEUR))
    for pk in (real.pk, squatter.pk):
        html = client.get(reverse("structures:decider_detail", args=[pk])).content.decode()
        assert "squat@exemple.org" in html and "nadia@exemple.fr" in html
    # Not a duplicate after all: the squatter's file is cancelled, the real one reopened.
    url = reverse("structures:status_change", args=[real.pk])
    client.post(url, {"to": Status.CREEE, "comment": "Vraie mairie", "confirm": "1"})
    real.refresh_from_db()
    assert real.status == Status.DOUBLON  # two live applications with one SIRET: refused
    services.change_status(squatter, make_user(Role.ADMINISTRATEUR), Status.ANNULEE)
    client.post(url, {"to": Status.CREEE, "comment": "Vraie mairie", "confirm": "1"})
    real.refresh_from_db()
    assert real.status == Status.CREEE


def test_an_unconfirmed_application_reserves_nothing(client, open_call, send_emails, mailoutbox):
    siret = make_siret()
    with send_emails():
        client.post(APPLY, application(siret=siret, contact_email="first@exemple.fr"))
        client.post(APPLY, application(siret=siret, contact_email="second@exemple.fr"))
    assert Structure.objects.filter(siret=siret, confirmed_at__isnull=True).count() == 2
    first_link, second_link = (confirmation_path(m) for m in mailoutbox)
    # The later application is confirmed first: it holds the SIRET.
    with send_emails():
        client.post(second_link)
        client.post(first_link)
    second = Structure.objects.get(contact_email="second@exemple.fr")
    first = Structure.objects.get(contact_email="first@exemple.fr")
    assert second.status == Status.CREEE and second.duplicate_of is None
    assert first.status == Status.DOUBLON and first.duplicate_of == second


def test_the_database_holds_one_live_confirmed_application_per_siret():
    from django.db import IntegrityError, transaction

    held = make_structure()
    make_structure(siret=held.siret, confirmed=False)
    make_structure(siret=held.siret, status=Status.DOUBLON, duplicate_of=held)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_structure(siret=held.siret)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "12345678901234", "n&#x27;existe pas"),
        ("siret", "1234", "14 chiffres"),
        ("posts_wanted", "0", "au moins un conseiller"),
        ("mission_start", "01/01/2020", "ne peut pas être passée"),
        ("mission_start", "31/02/2030", "JJ/MM/AAAA"),
        ("commune", "Xyzzyville", ""),
        ("contact_phone", "abc", "numéro de téléphone"),
        ("commitments_accepted", "", "accepter les engagements"),
        ("type", "MINISTERE", ""),
    ],
)
def test_form_rules(client, open_call, field, value, message):
    response = client.post(APPLY, application(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'id="id_{field}-messages"' in response.content.decode()
    assert not Structure.objects.exists()


def test_outside_any_call_the_page_says_when_the_next_opens(client):
    now = timezone.now()
    CallForInterest.objects.create(
        name="AMI été",
        audience=Audience.PUBLIC,
        opens_at=now + datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=40),
    )
    response = client.get(APPLY)
    html = response.content.decode()
    assert "Aucun appel à manifestation d'intérêt n'est ouvert" in html
    assert "AMI été" in html
    assert client.post(APPLY, application()).status_code == 200
    assert not Structure.objects.exists()


def test_no_call_planned(client):
    assert "Aucun nouvel appel n'est prévu" in client.get(APPLY).content.decode()


def test_a_closed_call_accepts_nothing(client):
    now = timezone.now()
    CallForInterest.objects.create(
        name="Ancien",
        audience=Audience.BOTH,
        opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=1),
    )
    client.post(APPLY, application())
    assert not Structure.objects.exists()


@pytest.mark.parametrize(
    ("audience", "structure_type", "accepted"),
    [
        (Audience.PUBLIC, "COMMUNE", True),
        (Audience.PUBLIC, "PRIVATE", False),
        (Audience.PRIVATE, "PRIVATE", True),
        (Audience.PRIVATE, "EPCI", False),
        (Audience.BOTH, "GIP", True),
    ],
)
def test_call_audience(client, audience, structure_type, accepted):
    now = timezone.now()
    CallForInterest.objects.create(
        name="AMI",
        audience=audience,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    response = client.post(APPLY, application(type=structure_type))
    assert Structure.objects.exists() == accepted
    if not accepted:
        assert (
            "Aucun appel à manifestation d&#x27;intérêt n&#x27;est ouvert"
            in response.content.decode()
        )


def test_public_submissions_are_throttled_per_ip(client, open_call):
    for _ in range(throttling.APPLY_LIMIT):
        client.post(APPLY, application(siret="1"))
    response = client.post(APPLY, application())
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert not Structure.objects.exists()
    other = client.post(APPLY, application(), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302
