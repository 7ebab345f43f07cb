"""A match ("mise en relation"): one candidate, one structure, and where they stand.

It records the relation and its status only (the history is in TransitionLog) — never a copy
of the candidate's or the structure's data (the historical platform's copies went out of sync).
Eligible candidates with no match row yet are computed live (cnum.matching.eligibility); a row
is created when someone acts on the relation.
"""

from django.db import models

from cnum.core.workflow import Workflow
from cnum.matching import transitions
from cnum.matching.enums import MatchStatus


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

    workflow = Workflow(
        transitions=transitions.MATCH_TRANSITIONS,
        effects=transitions.EFFECTS,
        on_commit=lambda match, log: transitions.notify(match, log),
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
