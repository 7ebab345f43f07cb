"""Use cases of activity records: defaults of a new record, save, soft delete; followed
beneficiaries: edit and delete (their records keep counting them as anonymous participants)."""

from urllib.parse import urlencode

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cnum.activity.enums import (
    AGE_FIELDS,
    COUNT_FIELDS,
    GENRE_FIELDS,
    STATUT_FIELDS,
    CraType,
    Genre,
    Statut,
    TypeLieu,
    tranche_for_age,
)
from cnum.activity.models import Beneficiary, Cra
from cnum.activity.policies import conseiller_structure
from cnum.activity.signals import records_changed, records_changing
from cnum.places.models import PlaceConseiller


def today():
    return timezone.localdate()


def last_record(user):
    return Cra.objects.alive().filter(conseiller=user).order_by("-created_at", "-pk").first()


def initial_values(user, *, repeat=False):
    """Defaults of the entry screen: today, the main place, the last duration; with `repeat`,
    every field of the last record (but the date and personal data)."""
    main = (
        PlaceConseiller.objects.filter(conseiller=user, is_main=True)
        .values_list("place_id", flat=True)
        .first()
    )
    initial = {"type": CraType.INDIVIDUEL, "date": today(), "duree": 30, "autonomie": ""}
    if main is not None:
        initial.update(type_lieu=TypeLieu.LIEU_ACTIVITE, place=main)
    last = last_record(user)
    if last is None:
        return initial
    initial["duree"] = last.duree
    if repeat:
        initial.update(record_initial(last))
        initial["date"] = today()
    return initial


# What « Enregistrer et saisir un autre » keeps for the next record.
NEXT_FIELDS = ("type", "type_lieu", "place", "commune", "duree")


def next_query(cra):
    """The query string of the entry screen for a next record like `cra`."""
    values = {
        "type": cra.type,
        "type_lieu": cra.type_lieu,
        "place": cra.place_id or "",
        "commune": cra.commune_id or "",
        "duree": cra.duree,
    }
    return urlencode(values)


def next_initial(query):
    """Initial values from a `next_query` (only its fields: the form checks them on saving)."""
    if not query.get("type"):
        return {}
    return {name: query.get(name) or None for name in NEXT_FIELDS}


def record_initial(cra):
    values = {
        name: getattr(cra, name)
        for name in (
            "type", "date", "duree", "notes", "type_lieu", "materiel", "thematiques", "demarches",
            "autonomie", "oriente", "orientation_kind", "precision_demarche", "titre", "niveau",
            "participants_anonymes", *COUNT_FIELDS,
        )
    }  # fmt: skip
    values.update(
        place=cra.place_id,
        commune=cra.commune_id,
        orientation_place=cra.orientation_place_id,
        beneficiary=cra.beneficiary_id,
    )
    if cra.type == CraType.INDIVIDUEL and cra.beneficiary_id is None:
        # The anonymous person's single values, from the counts of one.
        for name, fields in (
            ("genre", GENRE_FIELDS),
            ("tranche_age", AGE_FIELDS),
            ("statut", STATUT_FIELDS),
        ):
            values[name] = next((v for v, f in fields.items() if getattr(cra, f)), None)
    return values


@transaction.atomic
def save_record(user, values, beneficiaries=(), cra=None):
    """Create (or update `cra`) from validated `values` (model field values)."""
    if cra is not None:
        records_changing.send(sender=Cra, queryset=Cra.objects.filter(pk=cra.pk))
    created = cra is None
    cra = cra or Cra(conseiller=user, structure=conseiller_structure(user))
    for name, value in values.items():
        setattr(cra, name, value)
    cra.save()
    if cra.type == CraType.COLLECTIF or not created:  # a new individual record has none
        cra.beneficiaries.set(beneficiaries if cra.type == CraType.COLLECTIF else [])
    records_changed.send(sender=Cra, queryset=Cra.objects.filter(pk=cra.pk))
    return cra


@transaction.atomic
def soft_delete(cra):
    """The record leaves every list and statistic but stays in the database for audit."""
    records_changing.send(sender=Cra, queryset=Cra.objects.filter(pk=cra.pk))
    cra.deleted_at = timezone.now()
    cra.save(update_fields=["deleted_at", "updated_at"])
    records_changed.send(sender=Cra, queryset=Cra.objects.filter(pk=cra.pk))


# --- Followed beneficiaries ----------------------------------------------------------------------

# What a CRA counts of its followed beneficiaries: changing one of these changes statistics.
COUNTED_FIELDS = ("genre", "annee_naissance", "statut")
ERASED_NAME = "Bénéficiaire supprimé"


def beneficiary_records(beneficiary):
    """Every record counting `beneficiary` (soft-deleted ones included), as a plain pk filter
    that stays valid once the beneficiary has been taken out of them."""
    pks = Cra.objects.filter(Q(beneficiary=beneficiary) | Q(beneficiaries=beneficiary))
    return Cra.objects.filter(pk__in=list(pks.values_list("pk", flat=True).distinct()))


@transaction.atomic
def update_beneficiary(beneficiary, values):
    """Store the edited `values`; the records counting the person follow any change of gender,
    birth year or status."""
    before = Beneficiary.objects.select_for_update(of=("self",)).get(pk=beneficiary.pk)
    counted = any(getattr(before, name) != values.get(name) for name in COUNTED_FIELDS)
    records = beneficiary_records(beneficiary) if counted else None
    if counted:
        records_changing.send(sender=Cra, queryset=records)
    for name, value in values.items():
        setattr(beneficiary, name, value)
    beneficiary.save()
    if counted:
        records_changed.send(sender=Cra, queryset=records)
    return beneficiary


def tranche_at(beneficiary, day):
    """The age bracket of `beneficiary` on `day` (from the birth year only)."""
    if beneficiary.annee_naissance is None or beneficiary.annee_naissance > day.year:
        return tranche_for_age(None)
    return tranche_for_age(day.year - beneficiary.annee_naissance)


@transaction.atomic
def delete_beneficiary(beneficiary):
    """Erase the personal data of `beneficiary`; the records that counted them now count an
    anonymous participant of the same gender, age bracket (on each record's date) and status."""
    beneficiary = Beneficiary.objects.select_for_update(of=("self",)).get(pk=beneficiary.pk)
    records = beneficiary_records(beneficiary)
    records_changing.send(sender=Cra, queryset=records)
    _count_as_anonymous(beneficiary)
    beneficiary.prenom = ""
    beneficiary.nom = ERASED_NAME
    beneficiary.telephone = beneficiary.email = ""
    beneficiary.genre, beneficiary.statut = Genre.NON_COMMUNIQUE, Statut.NON_COMMUNIQUE
    beneficiary.annee_naissance = beneficiary.commune = None
    beneficiary.deleted_at = timezone.now()
    beneficiary.save()
    records_changed.send(sender=Cra, queryset=records)


def _count_as_anonymous(beneficiary):
    genre, statut = GENRE_FIELDS[beneficiary.genre], STATUT_FIELDS[beneficiary.statut]
    now = timezone.now()
    individual = Cra.objects.filter(beneficiary=beneficiary)
    collective = Cra.objects.filter(beneficiaries=beneficiary)
    for tranche, pks in _pks_by_tranche(beneficiary, individual).items():
        # One statement per row set: the breakdown sums hold at every statement.
        Cra.objects.filter(pk__in=pks).update(
            beneficiary=None,
            participants_anonymes=1,
            updated_at=now,
            **{genre: 1, AGE_FIELDS[tranche]: 1, statut: 1},
        )
    for tranche, pks in _pks_by_tranche(beneficiary, collective).items():
        Cra.objects.filter(pk__in=pks).update(
            participants_anonymes=F("participants_anonymes") + 1,
            updated_at=now,
            **{name: F(name) + 1 for name in (genre, AGE_FIELDS[tranche], statut)},
        )
    Cra.beneficiaries.through.objects.filter(beneficiary=beneficiary).delete()


def _pks_by_tranche(beneficiary, records):
    found = {}
    for pk, day in records.values_list("pk", "date"):
        found.setdefault(tranche_at(beneficiary, day), []).append(pk)
    return found
