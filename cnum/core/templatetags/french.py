from django import template

from cnum.core import text

register = template.Library()


@register.filter
def de(value):
    """{{ name|de }} → « d'Amélie » or « de Bruno »."""
    return text.de(value)
