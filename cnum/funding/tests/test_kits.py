"""Mediation kits: catalogue, requests, grant charged to the kits envelope, delivery."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.funding import ledger, services
from cnum.funding.enums import KitStatus as K
from cnum.funding.models import Envelope, KitRequest, KitType, LedgerEntry
from cnum.funding.testing import funded_structure, make_kit_type
from cnum.structures.testing import make_structure
from cnum.territories.models import Commune
from cnum.workflow.engine import apply_transition

pytestmark = pytest.mark.django_db


def _kit_request(structure, manager, quantity=2, kit_type=None):
    return services.request_kit(
        structure,
        manager,
        kit_type=kit_type or make_kit_type(),
        quantity=quantity,
        place_name="Médiathèque Jean-Macé",
        commune=Commune.objects.get(code_insee="69123"),
        justification="Aucun ordinateur en libre accès dans le quartier.",
    )


def test_a_granted_kit_is_charged_to_the_kits_envelope(send_emails, mailoutbox):
    structure, manager = funded_structure()
    operator = make_user(Role.OPERATEUR_FINANCIER)
    kit = _kit_request(structure, manager, quantity=2)
    assert kit.cost_cents == 300_000
    with send_emails():
        services.decide_kit(kit, operator, grant=True)
    kits = Envelope.objects.get(code="kits-2020")
    assert kits.committed_cents == 300_000
    assert LedgerEntry.objects.get(envelope=kits).subject == kit
    assert "accordé" in mailoutbox[-1].subject.lower()
    services.advance_delivery(kit, operator)
    services.confirm_delivery(kit, manager)
    assert KitRequest.objects.get(pk=kit.pk).status == K.LIVREE


def test_a_kit_beyond_the_kits_envelope_stays_waiting():
    structure, manager = funded_structure()
    Envelope.objects.filter(code="kits-2020").update(ceiling_cents=200_000)
    kit = _kit_request(structure, manager, quantity=2)
    with pytest.raises(ledger.EnvelopeExceeded):
        services.decide_kit(kit, make_user(Role.OPERATEUR_FINANCIER), grant=True)
    assert KitRequest.objects.get(pk=kit.pk).status == K.DEMANDEE
    assert not LedgerEntry.objects.filter(envelope__code="kits-2020").exists()


def test_a_refusal_needs_its_reason():
    structure, manager = funded_structure()
    kit = _kit_request(structure, manager)
    operator = make_user(Role.OPERATEUR_FINANCIER)
    with pytest.raises(services.FundingError, match="motif"):
        services.decide_kit(kit, operator, grant=False)
    services.decide_kit(kit, operator, grant=False, reason="Lieu déjà équipé en 2025.")
    kit.refresh_from_db()
    assert kit.status == K.REFUSEE and kit.decision_reason == "Lieu déjà équipé en 2025."


def test_only_a_validated_structure_asks_for_an_active_kit():
    manager = make_user()
    structure = make_structure(manager=manager)
    with pytest.raises(services.FundingError, match="validée par le comité"):
        _kit_request(structure, manager)
    funded, funded_manager = funded_structure()
    retired = KitType.objects.create(
        name="Ancien kit", contents="…", unit_cost_cents=100, is_active=False
    )
    with pytest.raises(services.FundingError, match="plus proposé"):
        _kit_request(funded, funded_manager, kit_type=retired)


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (K.DEMANDEE, K.ACCORDEE, {Role.OPERATEUR_FINANCIER}),
        (K.DEMANDEE, K.REFUSEE, {Role.OPERATEUR_FINANCIER}),
        (K.DEMANDEE, K.ANNULEE, {"manager"}),
        (K.ACCORDEE, K.EXPEDIEE, {Role.OPERATEUR_FINANCIER}),
        (K.EXPEDIEE, K.LIVREE, {Role.OPERATEUR_FINANCIER, "manager"}),
    ],
)
@pytest.mark.parametrize("actor_kind", [Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR, "manager"])
def test_each_kit_transition_per_role(start, to, allowed, actor_kind):
    structure, manager = funded_structure()
    kit = _kit_request(structure, manager)
    KitRequest.objects.filter(pk=kit.pk).update(status=start)
    kit.refresh_from_db()
    actor = manager if actor_kind == "manager" else make_user(actor_kind)
    if actor_kind in allowed:
        apply_transition(kit, to, actor, "Motif")
        assert KitRequest.objects.get(pk=kit.pk).status == to
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(kit, to, actor)
        assert KitRequest.objects.get(pk=kit.pk).status == start


def test_the_kit_request_form(client):
    structure, manager = funded_structure()
    kit_type = make_kit_type()
    login(client, manager)
    url = reverse("funding:kit_request", args=[structure.pk])
    assert kit_type.name in client.get(url).content.decode()
    response = client.post(
        url, {"kit_type": kit_type.pk, "quantity": "0", "place_name": "", "commune": "Nulle-part"}
    )
    assert response.status_code == 400
    assert not KitRequest.objects.exists()
    response = client.post(
        url,
        {
            "kit_type": kit_type.pk,
            "quantity": "3",
            "place_name": "Maison de quartier",
            "commune": "69123",
            "justification": "Ouverture d'un espace numérique.",
        },
    )
    assert response.status_code == 302
    kit = KitRequest.objects.get()
    assert kit.cost_cents == 450_000 and kit.commune_id == "69123"


def test_the_manager_cancels_a_waiting_request_once_confirmed(client):
    structure, manager = funded_structure()
    kit = _kit_request(structure, manager)
    login(client, manager)
    cancel = reverse("funding:kit_cancel", args=[kit.pk])
    page = client.post(cancel).content.decode()  # the button of the funding page
    assert "Annuler la demande de kit" in page and 'name="confirm" value="1"' in page
    assert KitRequest.objects.get(pk=kit.pk).status == K.DEMANDEE
    client.post(cancel, {"confirm": "1"})
    assert KitRequest.objects.get(pk=kit.pk).status == K.ANNULEE


def test_the_operator_grants_through_the_page(client):
    structure, manager = funded_structure()
    kit = _kit_request(structure, manager)
    login(client, make_user(Role.OPERATEUR_FINANCIER))
    url = reverse("funding:kit", args=[kit.pk])
    assert "Médiathèque Jean-Macé" in client.get(url).content.decode()
    assert client.post(url, {"decision": "accorder"}).status_code == 302
    client.post(reverse("funding:kit_delivery", args=[kit.pk]))
    assert KitRequest.objects.get(pk=kit.pk).status == K.EXPEDIEE


def test_the_catalogue_is_administered(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("funding:kit_types")
    response = client.post(url, {"name": "Kit itinérant", "contents": "Valise", "unit_cost": "abc"})
    assert response.status_code == 400 and "montant en euros" in response.content.decode()
    data = {
        "name": "Kit itinérant",
        "contents": "Valise",
        "unit_cost": "2 499,90",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    kit_type = KitType.objects.get(name="Kit itinérant")
    assert kit_type.unit_cost_cents == 249_990
    edit = reverse("funding:kit_type_edit", args=[kit_type.pk])
    assert "2499,90" in client.get(edit).content.decode()
    client.post(edit, {"name": "Kit itinérant", "contents": "Valise", "unit_cost": "2600"})
    kit_type.refresh_from_db()
    assert kit_type.unit_cost_cents == 260_000 and not kit_type.is_active
