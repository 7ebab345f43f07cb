"""Daily digest of what waits for each préfet (run by `manage.py send_prefet_digest`)."""

from django_tasks import task

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.structures.enums import AWAITING_DECISION, AmendmentStatus
from cnum.structures.models import PostAmendment, Structure


def waiting_for(user):
    """Applications without an opinion yet and amendments without the préfet's opinion."""
    scope = Structure.objects.visible_to(user)
    structures = list(
        scope.filter(status__in=AWAITING_DECISION, opinions__isnull=True)
        .select_related("commune")
        .order_by("confirmed_at")
    )
    amendments = list(
        PostAmendment.objects.filter(
            structure__in=scope, status=AmendmentStatus.DEMANDEE, prefet_opinion=""
        ).select_related("structure")
    )
    return structures, amendments


def send_prefet_digests():
    """One e-mail per préfet with something waiting; returns the number sent."""
    sent = 0
    users = {
        m.user
        for m in Membership.objects.filter(role=Role.PREFET, is_active=True).select_related("user")
        if m.user.is_active
    }
    for user in sorted(users, key=lambda u: u.pk):
        structures, amendments = waiting_for(user)
        if structures or amendments:
            send_templated_email(
                "structures/emails/prefet_digest",
                {
                    "structures": structures,
                    "amendments": amendments,
                    "total": len(structures) + len(amendments),
                },
                [user.email],
            )
            sent += 1
    return sent


@task()
def prefet_digest_task() -> int:
    return send_prefet_digests()
