from cnum.mandates.models.habilitation import (
    AidantProfile,
    Habilitation,
    HabilitationMessage,
    HabilitationStatus,
    StructureType,
)
from cnum.mandates.models.journal import JournalEntry, JournalError, JournalHead, Kind
from cnum.mandates.models.mandates import Authorisation, Mandate, RetentionPolicy, Usager
from cnum.mandates.models.training import AidantTrainingRegistration, AidantTrainingSession

__all__ = [
    "AidantProfile",
    "AidantTrainingRegistration",
    "AidantTrainingSession",
    "Authorisation",
    "Habilitation",
    "HabilitationMessage",
    "HabilitationStatus",
    "JournalEntry",
    "JournalError",
    "JournalHead",
    "Kind",
    "Mandate",
    "RetentionPolicy",
    "StructureType",
    "Usager",
]
