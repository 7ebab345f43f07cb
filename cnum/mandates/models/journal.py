"""The Aidants Connect journal: append-only, hash-chained, written only through `log_*`.

Each row stores its position, the hash of the previous row and the SHA-256 of its own canonical
content plus that previous hash. `JournalHead` is a single row holding the last position and
hash: appends lock it, which serialises concurrent writers and lets verification notice rows
removed from the end. Foreign keys carry no database constraint: the journal must outlive the
mandates, usagers and accounts it mentions (retention purges them, never the journal).
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

GENESIS_HASH = "0" * 64


class JournalError(Exception):
    pass


# The columns a row's hash covers, in this order (verification reads exactly these).
HASHED_FIELDS = (
    "previous_hash",
    "position",
    "created_at",
    "kind",
    "actor_id",
    "organisation_id",
    "usager_id_ref",
    "mandate_id_ref",
    "authorisation_id_ref",
    "data",
)


def entry_hash(
    previous_hash,
    position,
    created_at,
    kind,
    actor,
    organisation,
    usager,
    mandate,
    authorisation,
    data,
):
    """SHA-256 of the previous hash and the row's canonical JSON content."""
    content = {
        "position": position,
        "created_at": created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "kind": kind,
        "actor": actor,
        "organisation": organisation,
        "usager": usager,
        "mandate": mandate,
        "authorisation": authorisation,
        "data": data,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


class Kind(models.TextChoices):
    LOGIN = "connexion", "Connexion"
    TOTP_CHECK = "verification_totp", "Vérification du second facteur"
    IDENTITY_ESTABLISHED = "identite_etablie", "Identité de l'usager établie"
    MANDATE_CREATED = "mandat_cree", "Mandat créé"
    MANDATE_RENEWED = "mandat_renouvele", "Mandat renouvelé"
    MANDATE_REVOKED = "mandat_revoque", "Mandat révoqué"
    AUTHORISATION_USED = "autorisation_utilisee", "Autorisation utilisée"
    AUTHORISATION_REVOKED = "autorisation_revoquee", "Autorisation révoquée"
    ATTESTATION = "attestation", "Attestation imprimée"
    HABILITATION = "habilitation", "Décision d'habilitation"
    AIDANT_CHANGED = "aidant_modifie", "Aidant ajouté, validé ou désactivé"


class JournalQuerySet(models.QuerySet):
    """Bulk writes are refused too: rows come only from `_append` (the triggers back this)."""

    def _refuse(self, *args, **kwargs):
        raise JournalError("Le journal ne s'écrit que par ses fonctions log_*.")

    update = delete = bulk_create = bulk_update = update_or_create = get_or_create = _refuse


class JournalHead(models.Model):
    """The chain's head (one row, pk=1): position and hash of the last entry."""

    position = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "tête du journal"

    def __str__(self):
        return f"Tête du journal : {self.position}"


def _ref(model):
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )


class JournalEntry(models.Model):
    position = models.BigIntegerField("position", unique=True)
    created_at = models.DateTimeField("date")
    kind = models.CharField("acte", max_length=40, choices=Kind.choices)
    actor = _ref(settings.AUTH_USER_MODEL)
    organisation = _ref("accounts.Organisation")
    usager_id_ref = models.BigIntegerField("usager", null=True)
    mandate_id_ref = models.BigIntegerField("mandat", null=True)
    authorisation_id_ref = models.BigIntegerField("autorisation", null=True)
    data = models.JSONField("détails", default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = JournalQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal"
        ordering = ["position"]
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self):
        return f"#{self.position} {self.get_kind_display()}"

    # Append-only at the model level (the database triggers refuse it too).
    def save(self, *args, **kwargs):
        if self.pk is not None or not getattr(self, "_appending", False):
            raise JournalError(
                "Le journal ne s'écrit que par ses fonctions log_* et ne se modifie pas."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise JournalError("Le journal ne se supprime pas.")

    # Hashing

    def compute_hash(self):
        return entry_hash(*(getattr(self, name) for name in HASHED_FIELDS))

    # The only way in

    @classmethod
    def _append(
        cls,
        kind,
        *,
        actor=None,
        organisation=None,
        usager=None,
        mandate=None,
        authorisation=None,
        data=None,
    ):
        with transaction.atomic():
            head = JournalHead.objects.select_for_update(of=("self",)).filter(pk=1).first()
            if head is None:  # first entry ever: concurrent writers may race to create it
                JournalHead.objects.bulk_create([JournalHead(pk=1)], ignore_conflicts=True)
                head = JournalHead.objects.select_for_update(of=("self",)).get(pk=1)
            # Round-tripped through JSON so the stored value hashes as it was hashed here.
            entry = cls(
                position=head.position + 1,
                created_at=timezone.now(),
                kind=kind,
                actor_id=getattr(actor, "pk", actor),
                organisation_id=getattr(organisation, "pk", organisation),
                usager_id_ref=getattr(usager, "pk", usager),
                mandate_id_ref=getattr(mandate, "pk", mandate),
                authorisation_id_ref=getattr(authorisation, "pk", authorisation),
                data=json.loads(json.dumps(data or {}, default=str)),
                previous_hash=head.last_hash,
            )
            entry.hash = entry.compute_hash()
            entry._appending = True
            entry.save()
            head.position, head.last_hash = entry.position, entry.hash
            head.save(update_fields=["position", "last_hash"])
        return entry

    @classmethod
    def log_login(cls, user, *, organisation=None):
        return cls._append(Kind.LOGIN, actor=user, organisation=organisation)

    @classmethod
    def log_totp_check(cls, user, *, success):
        return cls._append(Kind.TOTP_CHECK, actor=user, data={"succes": bool(success)})

    @classmethod
    def log_identity_established(cls, aidant, usager, *, method):
        return cls._append(
            Kind.IDENTITY_ESTABLISHED,
            actor=aidant,
            organisation=usager.organisation_id,
            usager=usager,
            data={"methode": method},
        )

    @classmethod
    def _mandate_data(cls, mandate, **extra):
        domains = sorted(a.domain for a in mandate.authorisations.all())
        return {
            "domaines": domains,
            "duree_jours": mandate.duration_days,
            "expire_le": mandate.expires_at.isoformat(),
            **extra,
        }

    @classmethod
    def log_mandate_created(cls, aidant, mandate):
        return cls._append(
            Kind.MANDATE_CREATED,
            actor=aidant,
            organisation=mandate.organisation_id,
            usager=mandate.usager_id,
            mandate=mandate,
            data=cls._mandate_data(mandate),
        )

    @classmethod
    def log_mandate_renewed(cls, aidant, mandate, *, previous):
        return cls._append(
            Kind.MANDATE_RENEWED,
            actor=aidant,
            organisation=mandate.organisation_id,
            usager=mandate.usager_id,
            mandate=mandate,
            data=cls._mandate_data(mandate, mandat_precedent=previous.pk),
        )

    @classmethod
    def log_mandate_revoked(cls, aidant, mandate, *, by_usager=False):
        """`by_usager`: from the usager's own space (no actor account then)."""
        return cls._append(
            Kind.MANDATE_REVOKED,
            actor=aidant,
            organisation=mandate.organisation_id,
            usager=mandate.usager_id,
            mandate=mandate,
            data={"par": "usager"} if by_usager else None,
        )

    @classmethod
    def log_authorisation_revoked(cls, aidant, authorisation, *, reason):
        mandate = authorisation.mandate
        return cls._append(
            Kind.AUTHORISATION_REVOKED,
            actor=aidant,
            organisation=mandate.organisation_id,
            usager=mandate.usager_id,
            mandate=mandate,
            authorisation=authorisation,
            data={"domaine": authorisation.domain, "motif": reason},
        )

    @classmethod
    def log_authorisation_used(cls, aidant, authorisation, *, service=""):
        mandate = authorisation.mandate
        return cls._append(
            Kind.AUTHORISATION_USED,
            actor=aidant,
            organisation=mandate.organisation_id,
            usager=mandate.usager_id,
            mandate=mandate,
            authorisation=authorisation,
            data={"domaine": authorisation.domain, "service": service},
        )

    @classmethod
    def log_attestation(cls, user, mandate, *, kind, content_hash, template_version):
        return cls._append(
            Kind.ATTESTATION,
            actor=user,
            organisation=mandate.organisation_id,
            usager=mandate.usager_id,
            mandate=mandate,
            data={"type": kind, "empreinte": content_hash, "version_modele": template_version},
        )

    @classmethod
    def log_habilitation(cls, user, habilitation, *, action, domains=None):
        data = {"action": action, "statut": habilitation.status}
        if domains is not None:  # the domains this act granted, asked for or withdrew
            data["domaines"] = sorted(domains)
        return cls._append(
            Kind.HABILITATION, actor=user, organisation=habilitation.organisation_id, data=data
        )

    @classmethod
    def log_aidant_changed(cls, user, aidant_profile, *, action):
        membership = aidant_profile.membership
        return cls._append(
            Kind.AIDANT_CHANGED,
            actor=user,
            organisation=membership.organisation_id,
            data={"action": action, "aidant": membership.user_id},
        )
