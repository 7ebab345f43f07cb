"""Small pieces of the administration's account screens."""

from django import template
from django.utils.html import format_html

from cnum.accounts import grants
from cnum.accounts.roles import Role

register = template.Library()


@register.filter
def territory(organisation):
    return grants.territory_label(organisation)


@register.simple_tag
def two_factor_badge(enabled, must_enrol=False):
    if must_enrol:
        return _badge("warning", "À réactiver")
    if enabled:
        return _badge("success", "Activée")
    return _badge("info", "Non activée")


def _badge(kind, label):
    return format_html('<span class="fr-badge fr-badge--sm fr-badge--{}">{}</span>', kind, label)


@register.filter
def role_label(value):
    try:
        return Role(value).label
    except ValueError:
        return value or ""
