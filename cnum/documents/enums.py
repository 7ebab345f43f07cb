"""Kinds of documents the platform issues (docs/documents.md#documents)."""

from django.db import models


class DocumentKind(models.TextChoices):
    STATISTIQUES = "statistiques", "Rapport statistique d'activité"
    ATTESTATION_FORMATION = "attestation_formation", "Attestation de formation"
    RELEVE_CERTIFICATION = "releve_certification", "Relevé de certification"
    ATTESTATION_MANDAT = "attestation_mandat", "Attestation de mandat"
    ATTESTATION_REVOCATION = "attestation_revocation", "Attestation de révocation de mandat"
    ATTESTATION_FORMATION_AIDANT = (
        "attestation_formation_aidant",
        "Attestation de formation d'aidant",
    )
    AVIS_VERSEMENT = "avis_versement", "Avis de versement"
    SYNTHESE_CONVENTION = "synthese_convention", "Synthèse de convention"
