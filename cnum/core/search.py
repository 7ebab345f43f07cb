"""Text search of the administration's lists: every word typed must match one of the fields."""

from functools import reduce
from operator import or_

from django.db.models import Q

from cnum.core.params import clean_str

MAX_WORDS = 5


def text_search(queryset, text, fields):
    """Rows where each word of `text` (at most MAX_WORDS) is found, case-insensitively, in one
    of `fields` ("Alix Lyon" finds Alix Durand of Lyon). Bound parameters, never SQL text."""
    words = clean_str(text, max_length=100).split()[:MAX_WORDS]
    for word in words:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields)))
    return queryset
