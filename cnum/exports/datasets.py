"""What can be exported: one queryset per dataset, always built on the user's visible_to scope.

Each dataset reads plain values (values_list) through queryset.iterator(): one query, rows
fetched by chunks, no model instances, whatever the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from cnum.candidates.models import SITUATION_FIELDS, CandidateProfile, PixLevel, Situation
from cnum.matching.enums import HOLDING_POST, MatchStatus
from cnum.matching.models import Match
from cnum.recruitment.models import Contract
from cnum.structures.enums import CommitteeOpinion, PrefetOpinionValue, Status, StructureType
from cnum.structures.models import CommitteeDecision, PrefetOpinion, Structure

CHUNK = 2000


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    statuses: list
    header: list
    rows: object  # function(user, departement code or "", status or "") → iterator of tuples


def _latest(model, field, **extra):
    return Subquery(
        model.objects.filter(structure=OuterRef("pk"), **extra)
        .order_by(*model._meta.ordering)
        .values(field)[:1]
    )


# --- Candidates ------------------------------------------------------------------------------

CANDIDATE_HEADER = [
    "Nom", "Prénom", "Adresse électronique", "Téléphone", "Commune", "Code INSEE",
    "Département", "Situation", "Diplôme", "Disponible à partir du", "Distance maximale (km)",
    "Niveau Pix", "Pix — informations et données", "Pix — communication et collaboration",
    "Pix — création de contenu", "Disponible",
]  # fmt: skip
CANDIDATE_FIELDS = [
    "user__last_name", "user__first_name", "user__email", "phone", "commune__nom", "commune_id",
    "commune__departement_id", *SITUATION_FIELDS.values(), "diploma_name", "availability_date",
    "max_distance_km", "pix_level", "pix_score_1", "pix_score_2", "pix_score_3", "is_available",
]  # fmt: skip
CANDIDATE_STATUSES = [("disponible", "Disponibles"), ("indisponible", "Non disponibles")]


def candidate_rows(user, departement, status):
    # Only confirmed profiles (those deciders see); never the CV nor the motivation.
    profiles = CandidateProfile.objects.visible_to(user).active()
    if departement:
        profiles = profiles.filter(commune__departement=departement)
    if status:
        profiles = profiles.filter(is_available=status == "disponible")
    n_flags = len(SITUATION_FIELDS)
    situations = [Situation(s).label for s in SITUATION_FIELDS]
    pix = dict(PixLevel.choices)
    for row in profiles.order_by("pk").values_list(*CANDIDATE_FIELDS).iterator(CHUNK):
        flags, rest = row[7 : 7 + n_flags], row[7 + n_flags :]
        situation = ", ".join(label for label, on in zip(situations, flags, strict=True) if on)
        yield (*row[:7], situation, rest[0], rest[1], rest[2], pix.get(rest[3]), *rest[4:])


# --- Structures ------------------------------------------------------------------------------

STRUCTURE_HEADER = [
    "Nom", "SIRET", "Type", "Statut", "Commune", "Code INSEE", "Département",
    "Contact — adresse électronique", "Contact — téléphone", "Postes demandés",
    "Postes attribués", "Postes pourvus", "Dernier avis du préfet", "Date de l'avis",
    "Dernière décision du comité", "Séance", "Postes attribués par cette décision",
    "Date de la décision", "ZRR", "QPV", "France Services", "Déposée le",
]  # fmt: skip


def structure_rows(user, departement, status):
    structures = Structure.objects.visible_to(user)
    if departement:
        structures = structures.filter(departement=departement)
    if status:
        structures = structures.filter(status=status)
    filled = (
        Match.objects.filter(structure=OuterRef("pk"), status__in=HOLDING_POST)
        .order_by()
        .values("structure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    structures = structures.with_posts_granted().annotate(
        filled=Coalesce(Subquery(filled, output_field=IntegerField()), 0),
        opinion=_latest(PrefetOpinion, "opinion"),
        opinion_at=_latest(PrefetOpinion, "at"),
        decision=_latest(CommitteeDecision, "opinion"),
        decision_session=_latest(CommitteeDecision, "session__number"),
        decision_posts=_latest(CommitteeDecision, "posts_granted"),
        decision_at=_latest(CommitteeDecision, "decided_at"),
    )
    types, statuses = dict(StructureType.choices), dict(Status.choices)
    opinions, decisions = dict(PrefetOpinionValue.choices), dict(CommitteeOpinion.choices)
    fields = [
        "name", "siret", "type", "status", "commune__nom", "commune_id", "departement_id",
        "contact_email", "contact_phone", "posts_wanted", "posts_granted", "filled", "opinion",
        "opinion_at", "decision", "decision_session", "decision_posts", "decision_at", "zrr",
        "qpv", "france_services", "confirmed_at",
    ]  # fmt: skip
    for row in structures.order_by("pk").values_list(*fields).iterator(CHUNK):
        row = list(row)
        row[2], row[3] = types.get(row[2], row[2]), statuses.get(row[3], row[3])
        row[10] = row[10] or 0
        row[12] = opinions.get(row[12], "")
        row[14] = decisions.get(row[14], "")
        row[15] = f"COSELEC {row[15]}" if row[15] else ""
        yield tuple(row)


# --- Matches and recruitments ----------------------------------------------------------------

MATCH_HEADER = [
    "Candidat — nom", "Candidat — prénom", "Candidat — adresse électronique",
    "Candidat — commune", "Structure", "SIRET", "Département de la structure", "Statut",
    "Créée le",
]  # fmt: skip
CONTRACT_HEADER = ["Type de contrat", "Début du contrat", "Fin du contrat"]


def match_rows(user, departement, status):
    matches = Match.objects.filter(structure__in=Structure.objects.visible_to(user))
    if departement:
        matches = matches.filter(structure__departement=departement)
    if status:
        matches = matches.filter(status=status)
    fields = [
        "candidate__user__last_name", "candidate__user__first_name", "candidate__user__email",
        "candidate__commune__nom", "structure__organisation_ptr__name", "structure__siret",
        "structure__departement_id", "status", "created_at",
    ]  # fmt: skip
    current = Contract.objects.current().filter(match=OuterRef("pk"))
    matches = matches.annotate(
        contract_type=Subquery(current.values("type")[:1]),
        contract_start=Subquery(current.values("start_date")[:1]),
        contract_end=Subquery(current.values("end_date")[:1]),
    )
    fields += ["contract_type", "contract_start", "contract_end"]
    contract_types = dict(Contract._meta.get_field("type").choices)
    statuses = dict(MatchStatus.choices)
    for row in matches.order_by("pk").values_list(*fields).iterator(CHUNK):
        row = list(row)
        row[7] = statuses.get(row[7], row[7])
        row[9] = contract_types.get(row[9], row[9] or "")
        yield tuple(row)


DATASETS = {
    "candidats": Dataset(
        "candidats", "Candidats", CANDIDATE_STATUSES, CANDIDATE_HEADER, candidate_rows
    ),
    "structures": Dataset(
        "structures", "Structures et décisions", Status.choices, STRUCTURE_HEADER, structure_rows
    ),
    "mises-en-relation": Dataset(
        "mises-en-relation",
        "Mises en relation et recrutements",
        MatchStatus.choices,
        MATCH_HEADER + CONTRACT_HEADER,
        match_rows,
    ),
}
