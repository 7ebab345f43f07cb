"""A commune picker for any form: an accessible combobox with suggestions (htmx), which stays a
plain text field resolved on the server when JavaScript is off."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.html import format_html

from cnum.territories.models import Commune
from cnum.territories.services import CommuneNotResolved, resolve_commune


class CommuneWidget(forms.TextInput):
    """Text input with role="combobox", its listbox and a live region (ARIA 1.2 pattern).

    htmx fetches the options from `territories:autocomplete`; static/territories/combobox.js
    handles the keyboard (up, down, Enter, Escape) and announces the number of results.
    """

    suggestions_url = reverse_lazy("territories:autocomplete")

    class Media:
        js = ["django_htmx/htmx-2.min.js", "territories/combobox.js"]

    def __init__(self, attrs=None):
        defaults = {"class": "fr-input", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Commune):
            return value.libelle
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        # Rendered in Python rather than from a template: the widget then works with any form
        # renderer and in tests that restrict the available apps (the browser journeys).
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.setdefault("id", f"id_{name}")
        listbox_id, status_id = f"{base_id}-suggestions", f"{base_id}-statut"
        value = self.format_value(value)
        attrs.update(
            {
                "type": self.input_type,
                "name": name,
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": listbox_id,
                "hx-get": str(self.suggestions_url),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": f"#{listbox_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        if value is not None:
            attrs["value"] = value
        return format_html(
            '<div class="cnum-combobox" data-commune-combobox>'
            "<input{}>"
            '<ul class="cnum-combobox__list" role="listbox" id="{}" '
            'aria-label="Communes proposées" hidden></ul>'
            '<p class="fr-sr-only" id="{}" role="status" aria-live="polite" aria-atomic="true" '
            "data-combobox-status></p>"
            "</div>",
            flatatt(attrs),
            listbox_id,
            status_id,
        )


class CommuneField(forms.Field):
    """Cleans to a Commune. Accepts what the combobox writes (« Ajaccio (2A) »), an exact name,
    a postal code or an INSEE code; an unknown or ambiguous text is an error listing candidates.

    `queryset` restricts the communes allowed, as for a ModelChoiceField.
    """

    widget = CommuneWidget
    default_error_messages = {"required": "Indiquez une commune."}

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("label", "Commune")
        kwargs.setdefault("help_text", "Nom, code postal ou code INSEE")
        self.queryset = Commune.objects.all() if queryset is None else queryset
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return value.libelle
        return value

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return resolve_commune(value, self.queryset)
        except CommuneNotResolved as exc:
            raise ValidationError(exc.message, code="commune") from exc

    def has_changed(self, initial, data):
        initial = initial.libelle if isinstance(initial, Commune) else (initial or "")
        return str(initial) != str(data or "")


RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (30, "30 km")]
DEFAULT_RADIUS = 10


class RadiusField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Communes voisines dans un rayon de")
        super().__init__(
            choices=RADIUS_CHOICES,
            coerce=int,
            required=False,
            empty_value=DEFAULT_RADIUS,
            initial=DEFAULT_RADIUS,
            error_messages={"invalid_choice": "Choisissez un rayon de 5, 10, 20 ou 30 km."},
            # Radio buttons, not a <select>: a select is a combobox too, and the page has one.
            widget=forms.RadioSelect,
            **kwargs,
        )


class CommuneSearchForm(forms.Form):
    commune = CommuneField()
    rayon = RadiusField()


class RadiusForm(forms.Form):
    rayon = RadiusField()
