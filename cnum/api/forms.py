"""The administration's form that issues an API token."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cnum.api.models import Scope
from cnum.api.services import PARIS
from cnum.core.dates import add_years

# A key is renewed at least this often; a later expiry is a typing mistake.
API_TOKEN_MAX_YEARS = 2


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du client",
        max_length=100,
        help_text="Le service ou le partenaire qui utilisera ce jeton.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scopes = forms.MultipleChoiceField(
        label="Portées",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une portée."},
    )
    expires_on = forms.DateField(
        label="Date d'expiration (facultative)",
        required=False,
        help_text="Le jeton cesse de fonctionner à la fin de ce jour. Format attendu : JJ/MM/AAAA",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.now().astimezone(PARIS).date()
        if day and day < today:
            raise ValidationError("La date d'expiration ne peut pas être passée.")
        if day and day > add_years(today, API_TOKEN_MAX_YEARS):
            raise ValidationError(
                f"Un jeton vaut au plus {API_TOKEN_MAX_YEARS} ans : choisissez une date "
                f"d'expiration au plus tard le {add_years(today, API_TOKEN_MAX_YEARS):%d/%m/%Y}."
            )
        return day
