"""A match ("mise en relation"): one candidate, one structure, and where they stand.

It records the relation and its status only (the history is in TransitionLog) — never a copy
of the candidate's or the structure's data (the historical platform's copies went out of sync).
Eligible candidates with no match row yet are computed live (cnum.matching.eligibility); a row
is created when someone acts on the relation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from cnum.matching import transitions
from cnum.matching.enums import HOLDING_POST, ContactStatus, MatchStatus, RevealKind
from cnum.workflow.engine import Workflow

NOTE_MAX_LENGTH = 2000


class MatchQuerySet(models.QuerySet):
    def holding_post(self):
        """Matches that count against their structure's quota of posts."""
        return self.filter(status__in=HOLDING_POST)


class Match(models.Model):
    candidate = models.ForeignKey(
        "candidates.CandidateProfile",
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name="candidat",
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="matches",
        verbose_name="structure",
    )
    status = models.CharField(
        "statut", max_length=30, choices=MatchStatus.choices, default=MatchStatus.NOUVELLE
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    # Set aside by the structure until that day (batch "reporter"): hidden from its tab and not
    # closed as stale before then (docs/domaine.md#mises-en-relation-perimees).
    postponed_until = models.DateField("reportée jusqu'au", null=True, blank=True)

    objects = MatchQuerySet.as_manager()

    workflow = Workflow(
        transitions=transitions.MATCH_TRANSITIONS,
        labels=transitions.MATCH_LABELS,
    )

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        constraints = [
            models.UniqueConstraint(fields=["candidate", "structure"], name="one_match_per_pair")
        ]
        indexes = [
            models.Index(fields=["structure", "status"], name="match_structure_status"),
            models.Index(fields=["candidate", "status"], name="match_candidate_status"),
        ]

    def __str__(self):
        return f"{self.candidate} → {self.structure} ({self.get_status_display()})"


SOFT_SKILLS = {
    "adaptability": "Adaptabilité",
    "emotional_intelligence": "Intelligence émotionnelle",
    "digital_understanding": "Compréhension des enjeux du numérique",
}


def rating_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, choices=[(n, f"{n} / 5") for n in range(1, 6)]
    )


class CandidateNote(models.Model):
    """A private note of a structure's managers on a candidate: seen by them only."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="candidate_notes"
    )
    candidate = models.ForeignKey(
        "candidates.CandidateProfile", on_delete=models.CASCADE, related_name="structure_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("note", max_length=NOTE_MAX_LENGTH)
    adaptability = rating_field(SOFT_SKILLS["adaptability"])
    emotional_intelligence = rating_field(SOFT_SKILLS["emotional_intelligence"])
    digital_understanding = rating_field(SOFT_SKILLS["digital_understanding"])
    created_at = models.DateTimeField("écrite le", auto_now_add=True)

    class Meta:
        verbose_name = "note sur un candidat"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["structure", "candidate"], name="note_structure_candidate")]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), NOTE_MAX_LENGTH), name="note_text_length"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"note_{name}_range",
                )
                for name in SOFT_SKILLS
            ),
        ]

    def __str__(self):
        return f"Note du {self.created_at:%d/%m/%Y}"

    def ratings(self):
        """(label, value) of the soft skills rated in this note."""
        return [
            (label, getattr(self, name))
            for name, label in SOFT_SKILLS.items()
            if getattr(self, name) is not None
        ]


class ContactRequest(models.Model):
    """A structure asks a candidate found outside the candidate's own zone for contact; the
    candidate's answer (through the workflow) decides whether contact details are shown."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="contact_requests"
    )
    candidate = models.ForeignKey(
        "candidates.CandidateProfile", on_delete=models.CASCADE, related_name="contact_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        "réponse", max_length=20, choices=ContactStatus.choices, default=ContactStatus.EN_ATTENTE
    )
    created_at = models.DateTimeField("demandée le", auto_now_add=True)

    workflow = Workflow(
        transitions=transitions.CONTACT_TRANSITIONS,
        on_commit=lambda request, log: transitions.notify_contact(request, log),
    )

    class Meta:
        verbose_name = "demande de contact"
        verbose_name_plural = "demandes de contact"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "candidate"], name="one_contact_request_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.structure} → {self.candidate} ({self.get_status_display()})"


class ImmutableReveal(Exception):
    """Reveal rows are a record: never changed nor removed."""


class RevealQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableReveal("Une consultation enregistrée ne se modifie pas.")

    def delete(self):
        raise ImmutableReveal("Une consultation enregistrée ne se supprime pas.")


def _reference(model, name, label):
    # No database constraint and no cascade: the record outlives the rows it names (append-only).
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=label,
        db_column=f"{name}_id",
    )


class CandidateReveal(models.Model):
    """One showing of a candidate's contact details, or one CV download, to a structure."""

    candidate = _reference("candidates.CandidateProfile", "candidate", "candidat")
    structure = _reference("structures.Structure", "structure", "structure")
    viewer = _reference(settings.AUTH_USER_MODEL, "viewer", "consulté par")
    kind = models.CharField("donnée consultée", max_length=20, choices=RevealKind.choices)
    at = models.DateTimeField("le", default=timezone.now)

    objects = RevealQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation des coordonnées d'un candidat"
        verbose_name_plural = "consultations des coordonnées de candidats"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["structure", "at"], name="reveal_structure_at"),
            models.Index(fields=["candidate", "at"], name="reveal_candidate_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} le {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableReveal("Une consultation enregistrée ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableReveal("Une consultation enregistrée ne se supprime pas.")


class EligibleTally(models.Model):
    """How many active, available candidates live in one commune with one maximum distance.

    Kept by database triggers in the transaction of every write to a candidate profile
    (cnum.matching.tally), whatever the path (ORM, bulk, raw SQL): the candidates screen reads
    its counts here instead of counting candidates (docs/mises-en-relation.md#compteurs).
    `manage.py rebuild_matches --check` compares it with a live count, `--fix` rebuilds it.
    """

    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name="commune",
    )
    max_distance_km = models.PositiveSmallIntegerField("distance maximale (km)")
    n = models.IntegerField("candidats", default=0)

    class Meta:
        verbose_name = "effectif de candidats éligibles"
        verbose_name_plural = "effectifs de candidats éligibles"
        constraints = [
            models.UniqueConstraint(
                fields=["max_distance_km", "commune"], name="eligible_tally_key"
            )
        ]
        indexes = [
            # The screen reads a commune's rows of every distance in one probe (PostgreSQL:
            # from the index alone).
            models.Index(
                fields=["commune", "max_distance_km"],
                include=["n"],
                name="eligible_tally_by_commune",
            ),
        ]

    def __str__(self):
        return f"{self.commune_id} · {self.max_distance_km} km : {self.n}"


class EligibleDepartementTally(models.Model):
    """The same count per département (kept by the same triggers): the "whole territory" tranche
    of the screen (2 000 km) sums a hundred rows at most instead of every commune's."""

    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name="département",
    )
    max_distance_km = models.PositiveSmallIntegerField("distance maximale (km)")
    n = models.IntegerField("candidats", default=0)

    class Meta:
        verbose_name = "effectif de candidats éligibles par département"
        verbose_name_plural = "effectifs de candidats éligibles par département"
        constraints = [
            models.UniqueConstraint(
                fields=["max_distance_km", "departement"], name="eligible_departement_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.departement_id} · {self.max_distance_km} km : {self.n}"
