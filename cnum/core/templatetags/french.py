from django import template

from cnum.core import text

register = template.Library()


@register.filter
def de(value):
    """{{ name|de }} → « d'Amélie » or « de Bruno »."""
    return text.de(value)


@register.filter
def fields_in_error(form):
    """The visible fields of `form` that carry an error, for the error summary."""
    return [field for field in form.visible_fields() if field.errors]


@register.filter(is_safe=True)
def nombre(value):
    """{{ 1234567|nombre }} → « 1 234 567 » (see text.nombre)."""
    return text.nombre(value)


@register.filter(is_safe=True)
def dixieme(value):
    """{{ 12.25|dixieme }} → « 12,3 » (see text.dixieme)."""
    return text.dixieme(value)
