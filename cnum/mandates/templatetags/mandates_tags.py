from django import template

from cnum.mandates.policies import aidant_structures, current_structure_id

register = template.Library()


@register.inclusion_tag("mandates/_structure_picker.html", takes_context=True)
def structure_picker(context):
    """The structure the aidant acts for, and a way to switch when they have several."""
    request = context["request"]
    structures = aidant_structures(request.user)
    current = current_structure_id(request)
    return {
        "structures": structures,
        "current": next((s for s in structures if s.pk == current), None),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def journal_details(data):
    """« Domaines : Logement, Justice ; Expire le : 06/06/2027 à 14:00 » from an entry's data."""
    from cnum.mandates.journal_display import describe

    return " ; ".join(f"{label} : {text}" for label, text in describe(data))
