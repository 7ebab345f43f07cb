"""Use cases of activity records: defaults of a new record, save, soft delete."""

from django.db import transaction
from django.utils import timezone

from cnum.activity.enums import (
    AGE_FIELDS,
    COUNT_FIELDS,
    GENRE_FIELDS,
    STATUT_FIELDS,
    CraType,
    TypeLieu,
)
from cnum.activity.models import Cra
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
    initial = {"type": CraType.INDIVIDUEL, "date": today(), "duree": 30}
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
    cra = cra or Cra(conseiller=user, structure=conseiller_structure(user))
    for name, value in values.items():
        setattr(cra, name, value)
    cra.save()
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
