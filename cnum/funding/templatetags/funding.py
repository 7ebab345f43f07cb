from django import template

from cnum.funding.ledger import euros as format_euros

register = template.Library()


@register.filter
def euros(cents):
    """Integer cents as « 1 234,56 € »."""
    return "—" if cents is None else format_euros(cents)
