"""Mandate use cases: usager identity, creation (with replacement), renewal, revocation."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cnum.mandates.domains import Domain, Duration, IdentityMethod
from cnum.mandates.mentions import Language
from cnum.mandates.models import Authorisation, JournalEntry, Mandate, Usager
from cnum.mandates.policies import can_create_mandates


class MandateRefused(Exception):
    pass


def establish_identity_manually(*, aidant, organisation, document_checked, **identity):
    """The usager as entered by the aidant, who confirms having checked an identity document."""
    if not document_checked:
        raise MandateRefused("Confirmez avoir vérifié une pièce d'identité de l'usager.")
    if not can_create_mandates(aidant, organisation):
        raise PermissionDenied
    with transaction.atomic():
        usager = Usager.objects.create(
            organisation=organisation,
            identity_method=IdentityMethod.VERIFICATION_MANUELLE,
            identity_checked_by=aidant,
            identity_checked_at=timezone.now(),
            **identity,
        )
        JournalEntry.log_identity_established(
            aidant, usager, method=IdentityMethod.VERIFICATION_MANUELLE
        )
    return usager


def establish_identity_franceconnect(*, aidant, organisation, identity):
    """The usager FranceConnect vouched for: found by its `sub` in the structure, else created.

    FranceConnect is the reference: a returning usager's identity is brought up to date."""
    if not can_create_mandates(aidant, organisation):
        raise PermissionDenied
    fields = {
        "given_names": identity.given_names,
        "family_name": identity.family_name,
        "birth_date": identity.birth_date,
        "birth_place": identity.birth_place,
        "usage_name": identity.usage_name,
        "gender": identity.gender,
        "identity_method": IdentityMethod.FRANCECONNECT,
        "identity_checked_by": aidant,
        "identity_checked_at": timezone.now(),
    }
    mine = Usager.objects.filter(organisation=organisation, franceconnect_sub=identity.sub)
    with transaction.atomic():
        usager = mine.select_for_update(of=("self",)).first()
        if usager is None:
            try:
                with transaction.atomic():
                    usager = Usager.objects.create(
                        organisation=organisation, franceconnect_sub=identity.sub, **fields
                    )
            except IntegrityError:  # the same person identified at the same time elsewhere
                usager = mine.select_for_update(of=("self",)).get()
        for name, value in fields.items():
            setattr(usager, name, value)
        usager.save()
        JournalEntry.log_identity_established(aidant, usager, method=IdentityMethod.FRANCECONNECT)
    return usager


def _check_domains(organisation, domains):
    domains = set(domains)
    if not domains:
        raise MandateRefused("Choisissez au moins un domaine.")
    unknown = domains - set(Domain.values)
    if unknown:
        raise MandateRefused("Domaine inconnu.")
    allowed = set(getattr(getattr(organisation, "habilitation", None), "domains", []) or [])
    if domains - allowed:
        raise MandateRefused("Votre structure n'est pas habilitée pour ce domaine.")
    return sorted(domains)


def _revoke_authorisations(authorisations, *, actor, now, reason):
    """Revoke these authorisations; a mandate left without any active one is revoked too."""
    mandate_ids = set()
    for authorisation in authorisations:
        authorisation.revoked_at = now
        authorisation.save(update_fields=["revoked_at"])
        JournalEntry.log_authorisation_revoked(actor, authorisation, reason=reason)
        mandate_ids.add(authorisation.mandate_id)
    for mandate in Mandate.objects.filter(pk__in=mandate_ids, revoked_at__isnull=True):
        if not mandate.authorisations.filter(revoked_at__isnull=True).exists():
            mandate.revoked_at, mandate.revoked_by = now, actor
            mandate.save(update_fields=["revoked_at", "revoked_by"])
            JournalEntry.log_mandate_revoked(actor, mandate)


def create_mandate(
    *,
    aidant,
    usager,
    domains,
    duration_days,
    consent,
    renewed_from=None,
    signed_at=None,
    language=Language.FR,
):
    """A mandate for `domains` over `duration_days`; replaces same-domain authorisations.

    `language`: the one the usager read the mentions in (docs/aidants-connect.md#langues).
    `signed_at` (demo data only): when the usager signed, if earlier than now."""
    organisation = usager.organisation
    if not can_create_mandates(aidant, organisation):
        raise PermissionDenied
    if not consent:
        raise MandateRefused("L'usager doit donner son consentement au mandat.")
    if duration_days not in Duration.values:
        raise MandateRefused("Durée de mandat non prévue.")
    if language not in Language.values:
        raise MandateRefused("Cette langue n'est pas proposée pour les mentions.")
    domains = _check_domains(organisation, domains)
    now = min(signed_at or timezone.now(), timezone.now())
    with transaction.atomic():
        # Locks the usager: two aidants creating mandates for them at once take turns.
        Usager.objects.select_for_update(of=("self",)).get(pk=usager.pk)
        replaced = list(
            Authorisation.objects.active(now)
            .select_related("mandate")
            .filter(mandate__usager=usager, mandate__organisation=organisation, domain__in=domains)
        )
        _revoke_authorisations(replaced, actor=aidant, now=now, reason="remplacement")
        mandate = Mandate.objects.create(
            organisation=organisation,
            usager=usager,
            created_by=aidant,
            duration_days=duration_days,
            consent_given_at=now,
            created_at=now,
            expires_at=now + datetime.timedelta(days=duration_days),
            renewed_from=renewed_from,
            language=language,
        )
        Authorisation.objects.bulk_create(Authorisation(mandate=mandate, domain=d) for d in domains)
        if renewed_from is not None:
            JournalEntry.log_mandate_renewed(aidant, mandate, previous=renewed_from)
        else:
            JournalEntry.log_mandate_created(aidant, mandate)
    return mandate


def renew_mandate(mandate, *, aidant, duration_days, consent, domains=None):
    """A new mandate for the same usager (by default for the same domains)."""
    if domains is None:
        domains = [a.domain for a in mandate.authorisations.all() if a.revoked_at is None]
    return create_mandate(
        aidant=aidant,
        usager=mandate.usager,
        domains=domains,
        duration_days=duration_days,
        consent=consent,
        renewed_from=mandate,
        language=mandate.language,
    )


def revoke_authorisation(authorisation, *, aidant):
    if not can_create_mandates(aidant, authorisation.mandate.organisation):
        raise PermissionDenied
    if authorisation.revoked_at or not authorisation.mandate.is_active:
        raise MandateRefused("Cette autorisation n'est plus active.")
    with transaction.atomic():
        _revoke_authorisations(
            [authorisation], actor=aidant, now=timezone.now(), reason="revocation"
        )


def revoke_mandate(mandate, *, aidant):
    if not can_create_mandates(aidant, mandate.organisation):
        raise PermissionDenied
    if not mandate.is_active:
        raise MandateRefused("Ce mandat n'est plus actif.")
    now = timezone.now()
    with transaction.atomic():
        authorisations = list(mandate.authorisations.filter(revoked_at__isnull=True))
        for authorisation in authorisations:
            authorisation.revoked_at = now
            authorisation.save(update_fields=["revoked_at"])
            JournalEntry.log_authorisation_revoked(aidant, authorisation, reason="revocation")
        mandate.revoked_at, mandate.revoked_by = now, aidant
        mandate.save(update_fields=["revoked_at", "revoked_by"])
        JournalEntry.log_mandate_revoked(aidant, mandate)
    return mandate
