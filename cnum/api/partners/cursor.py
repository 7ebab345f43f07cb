"""Opaque, signed cursors of the partner lists (docs/api.md#pagination).

A cursor carries the last key of the page it ends: the next page reads the keys after it
through an index (the primary key, or (date, id) for dated lists), so a page costs the same at
any depth and nothing is repeated when rows are added meanwhile. The signature stops a client
from forging a key; each list signs with its own salt, so a cursor of one list is refused by
another.
"""

import datetime

from django.core import signing
from django.db.models import Q
from ninja import Field, Schema
from ninja.errors import ValidationError

DEFAULT_SIZE = 100
MAX_SIZE = 500
INVALID = "Curseur invalide : reprenez la valeur « suivant » de la page précédente, telle quelle."


class PageParams(Schema):
    curseur: str | None = Field(
        None,
        max_length=200,
        description="Valeur « suivant » de la page précédente ; absent pour la première page.",
    )
    taille: int = Field(
        DEFAULT_SIZE,
        ge=1,
        le=MAX_SIZE,
        description=f"Nombre d'éléments par page (1 à {MAX_SIZE}, {DEFAULT_SIZE} par défaut).",
    )


def encode(salt, key):
    return signing.dumps(key, salt=f"cnum.api.cursor.{salt}", compress=False)


def _invalid():
    return ValidationError([{"loc": ["query", "curseur"], "msg": INVALID, "type": "value_error"}])


def decode(salt, cursor):
    """The key after which to read (None: first page); a forged or foreign cursor is a 400."""
    if not cursor:
        return None
    try:
        return signing.loads(cursor, salt=f"cnum.api.cursor.{salt}")
    except signing.BadSignature:
        raise _invalid() from None


def _after_pk(queryset, key):
    if key is None:
        return queryset
    if not isinstance(key, int) or key < 0:
        raise _invalid()
    return queryset.filter(pk__gt=key)


def _after_date(field):
    """Rows after (date, pk) = key: the `date >= day` bound lets the database start its
    (date, id) index range at that day instead of filtering the whole period."""

    def after(queryset, key):
        if key is None:
            return queryset
        try:
            day, pk = datetime.date.fromisoformat(key[0]), int(key[1])
        except (TypeError, ValueError, IndexError, KeyError):
            raise _invalid() from None
        return queryset.filter(**{f"{field}__gte": day}).filter(
            Q(**{f"{field}__gt": day}) | Q(pk__gt=pk)
        )

    return after


def _value(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def page(queryset, salt, params, serialise, *, date_field=None):
    """One page of `queryset` (model instances or values() dicts with "pk") as {"resultats",
    "suivant"}: by pk, or with `date_field` by (date, pk)."""
    order = (date_field, "pk") if date_field else ("pk",)
    after = _after_date(date_field) if date_field else _after_pk
    key = decode(salt, params.curseur)
    rows = list(after(queryset, key).order_by(*order)[: params.taille + 1])
    more = len(rows) > params.taille
    rows = rows[: params.taille]
    last = rows[-1] if rows else None
    if not more:
        following = None
    elif date_field:
        following = encode(salt, [_value(last, date_field).isoformat(), _value(last, "pk")])
    else:
        following = encode(salt, _value(last, "pk"))
    return {"resultats": serialise(rows), "suivant": following}
