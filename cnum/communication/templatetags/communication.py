"""Links from the steps of the platform to the documents of the resource centre.

`{% resource_link "modele-convention" %}`: a download link to the latest version of the
document with that identifier, for a visitor it is open to; nothing otherwise (a step never
shows a broken link). `{% resource_links "a" "b" … %}`: a short list of them, shown only when
at least one exists.
"""

from django import template
from django.template.loader import render_to_string

from cnum.communication.models import Resource

register = template.Library()


def _open_resources(context, slugs):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    rows = Resource.objects.filter(slug__in=slugs).prefetch_related("versions")
    found = {r.slug: r for r in rows}
    return [
        found[slug]
        for slug in slugs
        if slug in found and found[slug].open_to(user) and found[slug].latest()
    ]


@register.simple_tag(takes_context=True)
def resource_link(context, slug, label=""):
    items = _open_resources(context, [slug])
    if not items:
        return ""
    return render_to_string(
        "communication/_resource_link.html", {"resource": items[0], "label": label}
    )


@register.simple_tag(takes_context=True)
def resource_links(context, *slugs, title="Documents utiles"):
    items = _open_resources(context, list(slugs))
    if not items:
        return ""
    return render_to_string(
        "communication/_resource_links.html", {"resources": items, "title": title}
    )
