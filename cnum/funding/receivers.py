"""What other apps' events do to the ledger (connected in FundingConfig.ready).

Each receiver runs inside the sender's transaction: a refused commitment (EnvelopeExceeded, a
ValueError with a French message) rolls the committee decision back with it.
"""

from django.utils import timezone

from cnum.funding import ledger
from cnum.funding.enums import EnvelopePurpose
from cnum.funding.models import FundedConseiller


def on_decision(
    sender,
    decision,
    previous_posts,
    posts,
    previous_coordinator_posts=0,
    coordinator_posts=0,
    **kwargs,
):
    """A decision commits (or an amendment releases) the difference in posts × grid amount.

    A coordinator post is funded like a conseiller post: same grid line, same envelope
    (docs/domaine.md#coordinateurs)."""
    before = previous_posts + previous_coordinator_posts
    after = posts + coordinator_posts
    delta = after - before
    if delta == 0:
        return
    structure = decision.structure
    day = timezone.localdate(decision.decided_at) if decision.decided_at else None
    per_post = ledger.post_amount(structure, ledger.grid_on(day))
    label = str(decision.session) if decision.session_id else "Modification de postes"
    coordinators = (
        f" dont {coordinator_posts} de coordinateur"
        if coordinator_posts or previous_coordinator_posts
        else ""
    )
    reason = (
        f"{label} : {after} poste(s){coordinators} au lieu de {before} × {ledger.euros(per_post)}"
    )
    if delta > 0:
        envelope = ledger.open_envelope(EnvelopePurpose.CONSEILLERS)
        ledger.commit(
            envelope,
            structure,
            delta * per_post,
            author=decision.decided_by,
            reason=reason,
            subject=decision,
        )
    else:
        ledger.release(
            structure,
            -delta * per_post,
            author=decision.decided_by,
            reason=reason,
            subject=decision,
        )


def on_recruitment(sender, match, conseiller, structure, **kwargs):
    today = timezone.localdate()
    version = ledger.grid_on(today)
    FundedConseiller.objects.get_or_create(
        match=match,
        defaults={
            "structure": structure,
            "conseiller": conseiller,
            "grid_version": version,
            "subsidy_cents": ledger.post_amount(structure, version),
            "started_on": today,
        },
    )


def months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(months - (1 if end.day < start.day else 0), 0)


def _release_unworked(match, structure, end, what):
    """Release the post's share for the months after `end`: what can no longer be paid."""
    funded = FundedConseiller.objects.select_related("grid_version").filter(match=match).first()
    if funded is None or funded.ended_on is not None:
        return
    months = funded.grid_version.subsidy_months
    left = max(months - months_between(funded.started_on, end), 0)
    funded.ended_on = end
    funded.save(update_fields=["ended_on"])
    amount = funded.subsidy_cents * left // months
    if amount > 0:
        ledger.release(
            structure,
            amount,
            author=None,
            reason=f"{what} du {end:%d/%m/%Y} : {left} mois non réalisés sur {months}",
            subject=match,
        )


def on_rupture(sender, match, conseiller, structure, rupture_date, **kwargs):
    _release_unworked(match, structure, rupture_date, "Rupture")


def on_contract_ended(sender, match, conseiller, structure, end_date, **kwargs):
    # A contract without an end date (CDI) ended by the administration ends today.
    _release_unworked(match, structure, end_date or timezone.localdate(), "Fin de contrat")
