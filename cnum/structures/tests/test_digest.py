import pytest
from django.core.management import call_command

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import make_organisation, make_user
from cnum.structures.enums import Status
from cnum.structures.models import PostAmendment, PrefetOpinion
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def prefet(departement):
    organisation = make_organisation(OrganisationKind.PREFECTURE, departement=departement)
    return make_user(Role.PREFET, organisation=organisation)


def test_digest_lists_what_waits_for_each_prefet(send_emails, mailoutbox):
    lyon_prefet, paris_prefet, _ = prefet("69"), prefet("75"), prefet("13")
    make_structure(departement="69", name="Mairie en attente")
    reviewed = make_structure(departement="69", name="Mairie déjà vue")
    PrefetOpinion.objects.create(
        structure=reviewed, opinion="FAVORABLE", comment="Bon dossier.", author=lyon_prefet
    )
    make_structure(departement="69", name="Mairie refusée", status=Status.REFUS_COSELEC)
    validated = make_structure(
        departement="75",
        name="Paris validée",
        status=Status.VALIDATION_COSELEC,
        manager=make_user(),
    )
    PostAmendment.objects.create(
        structure=validated,
        kind="AJOUT",
        number=1,
        motif="autre",
        requested_by=validated.managers().get().user,
    )
    with send_emails():
        call_command("send_prefet_digest", verbosity=0)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {lyon_prefet.email, paris_prefet.email}
    lyon = by_recipient[lyon_prefet.email].body
    assert "Mairie en attente" in lyon
    assert "déjà vue" not in lyon and "refusée" not in lyon and "Paris" not in lyon
    assert "Paris validée" in by_recipient[paris_prefet.email].body


def test_digest_can_be_enqueued(
    django_capture_on_commit_callbacks, run_tasks, send_emails, mailoutbox
):
    user = prefet("69")
    make_structure(departement="69")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_prefet_digest", "--enqueue", verbosity=0)
    # The digest task runs in the worker and enqueues the e-mail, which the next run sends.
    with send_emails():
        run_tasks()
    assert [m.to for m in mailoutbox] == [[user.email]]
