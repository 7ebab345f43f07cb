"""Habilitation use cases: request, decisions (one transition table), aidants and domains."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.mandates.models import AidantProfile, Habilitation, HabilitationMessage, JournalEntry
from cnum.mandates.models import HabilitationStatus as S
from cnum.workflow.engine import apply_transition


class TransitionRefused(Exception):
    pass


# (action, label): states it may start from → state it leads to. Administration only.
TRANSITIONS = {
    "accepter": ({S.DEMANDEE, S.MODIFICATIONS_DEMANDEES}, S.ACCEPTEE),
    "refuser": ({S.DEMANDEE, S.MODIFICATIONS_DEMANDEES}, S.REFUSEE),
    "demander_modifications": ({S.DEMANDEE}, S.MODIFICATIONS_DEMANDEES),
    "accepter_extension": ({S.EXTENSION_DEMANDEE}, S.ACCEPTEE),
    "refuser_extension": ({S.EXTENSION_DEMANDEE}, S.ACCEPTEE),
}
ACTION_LABELS = {
    "accepter": "Accepter",
    "refuser": "Refuser",
    "demander_modifications": "Demander des modifications",
    "accepter_extension": "Accepter les nouveaux domaines",
    "refuser_extension": "Refuser les nouveaux domaines",
}
# The structure's own moves: asking for more domains once accepted, or withdrawing that ask.
STRUCTURE_TRANSITIONS = {
    "demande_extension": ({S.ACCEPTEE, S.EXTENSION_DEMANDEE}, S.EXTENSION_DEMANDEE),
    "retrait_extension": ({S.EXTENSION_DEMANDEE}, S.ACCEPTEE),
}


def _move(habilitation, action, table, actor):
    """Apply one action of `table` to a locked habilitation, through the workflow engine."""
    sources, target = table[action]
    if habilitation.status not in sources:
        raise TransitionRefused("Cette décision n'est pas possible dans l'état actuel.")
    label = ACTION_LABELS.get(action, "")
    apply_transition(habilitation, target, actor, label)


def request_habilitation(
    *, organisation, referent, siret, structure_type, aidants_to_train, domains
):
    """Create the request, or resubmit it after the administration asked for changes."""
    with transaction.atomic():
        habilitation = (
            Habilitation.objects.select_for_update(of=("self",))
            .filter(organisation=organisation)
            .first()
        )
        if habilitation and habilitation.status != S.MODIFICATIONS_DEMANDEES:
            raise TransitionRefused("Une demande d'habilitation existe déjà pour cette structure.")
        corrected = habilitation is not None
        habilitation = habilitation or Habilitation(organisation=organisation)
        habilitation.referent = referent
        habilitation.siret = siret
        habilitation.structure_type = structure_type
        habilitation.aidants_to_train = aidants_to_train
        habilitation.domains = sorted(domains)
        habilitation.pending_domains = []
        habilitation.commitments_accepted_at = timezone.now()
        habilitation.full_clean()
        habilitation.save()
        if corrected:
            apply_transition(habilitation, S.DEMANDEE, referent)
        JournalEntry.log_habilitation(referent, habilitation, action="demande")
    return habilitation


def decide(habilitation, *, action, actor, message):
    if not actor.has_role(Role.ADMINISTRATEUR):
        raise PermissionDenied
    if action not in TRANSITIONS:
        raise TransitionRefused("Action inconnue.")
    with transaction.atomic():
        habilitation = Habilitation.objects.select_for_update(of=("self",)).get(pk=habilitation.pk)
        _move(habilitation, action, TRANSITIONS, actor)
        settled = habilitation.pending_domains
        if action == "accepter_extension":
            habilitation.domains = sorted(set(habilitation.domains) | set(settled))
        if action in ("accepter_extension", "refuser_extension"):
            habilitation.pending_domains = []
        habilitation.decided_at = timezone.now()
        habilitation.save(update_fields=["decided_at", "domains", "pending_domains"])
        HabilitationMessage.objects.create(
            habilitation=habilitation, author=actor, action=action, body=message
        )
        extension = action.endswith("_extension")
        JournalEntry.log_habilitation(
            actor, habilitation, action=action, domains=settled if extension else None
        )
    return habilitation


def post_message(habilitation, *, author, body):
    return HabilitationMessage.objects.create(habilitation=habilitation, author=author, body=body)


def add_aidant(organisation, *, actor, email, first_name, last_name, is_referent=False):
    """Give `email` the aidant role in the structure (creating the account if needed)."""
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, first_name=first_name, last_name=last_name)
        membership = grants.grant(user, Role.AIDANT, organisation, actor=actor)
        profile, _ = AidantProfile.objects.get_or_create(membership=membership)
        if is_referent and not profile.is_referent:
            profile.is_referent = True
            profile.save(update_fields=["is_referent"])
        JournalEntry.log_aidant_changed(actor, profile, action="ajout")
    return profile


def deactivate_aidant(profile, *, actor):
    with transaction.atomic():
        grants.revoke(profile.membership, actor=actor)
        JournalEntry.log_aidant_changed(actor, profile, action="desactivation")


def record_training(profile, *, actor, training_date, pix_validated):
    profile.training_date = training_date
    profile.pix_validated = pix_validated
    profile.save(update_fields=["training_date", "pix_validated"])
    JournalEntry.log_aidant_changed(actor, profile, action="formation")


def validate_aidant(profile, *, actor):
    if not actor.has_role(Role.ADMINISTRATEUR):
        raise PermissionDenied
    if not profile.is_trained:
        raise TransitionRefused(
            "Cet aidant ne peut être validé qu'après sa formation et sa certification Pix."
        )
    with transaction.atomic():
        profile.validated_at = timezone.now()
        profile.validated_by = actor
        profile.save(update_fields=["validated_at", "validated_by"])
        JournalEntry.log_aidant_changed(actor, profile, action="validation")


def set_domains(habilitation, *, actor, domains):
    """The domains the structure handles.

    Before acceptance they are part of the request the administration has yet to decide on.
    Once accepted, a removed domain goes at once (no new mandate in it); an added one waits
    for the administration, while the domains already accepted stay usable: the review is
    about what is added, not about what was granted.
    """
    chosen = set(domains)
    with transaction.atomic():
        habilitation = Habilitation.objects.select_for_update(of=("self",)).get(pk=habilitation.pk)
        if not habilitation.is_accepted:
            habilitation.domains = sorted(chosen)
            habilitation.save(update_fields=["domains"])
            JournalEntry.log_habilitation(
                actor, habilitation, action="domaines", domains=habilitation.domains
            )
            return habilitation
        accepted, pending = set(habilitation.domains), set(habilitation.pending_domains)
        removed, added = accepted - chosen, chosen - accepted
        if added and added != pending:
            _move(habilitation, "demande_extension", STRUCTURE_TRANSITIONS, actor)
        elif pending and not added:
            _move(habilitation, "retrait_extension", STRUCTURE_TRANSITIONS, actor)
        habilitation.domains = sorted(accepted - removed)
        habilitation.pending_domains = sorted(added)
        habilitation.save(update_fields=["domains", "pending_domains"])
        if removed:
            JournalEntry.log_habilitation(
                actor, habilitation, action="retrait_domaines", domains=sorted(removed)
            )
        if added != pending:
            action = "demande_extension" if added else "retrait_extension"
            JournalEntry.log_habilitation(
                actor, habilitation, action=action, domains=sorted(added or pending)
            )
    return habilitation
