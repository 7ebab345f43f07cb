from django import forms

from cnum.allocation.models import Scope
from cnum.core import forms as core_forms
from cnum.structures.models import CommitteeSession
from cnum.territories.models import Departement


class LaunchForm(forms.Form):
    scope = forms.ChoiceField(label="Périmètre", choices=Scope.choices, widget=forms.RadioSelect)
    session = core_forms.ModelChoiceField(
        label="Séance du comité",
        queryset=CommitteeSession.objects.all(),
        required=False,
        empty_label="Choisir une séance",
        error_messages={"invalid_choice": "Cette séance n'existe pas."},
    )
    departement = core_forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.all(),
        required=False,
        empty_label="Choisir un département",
        error_messages={"invalid_choice": "Ce département n'existe pas."},
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == Scope.SESSION and not data.get("session"):
            self.add_error("session", "Choisissez la séance du comité.")
        if data.get("scope") == Scope.DEPARTEMENT and not data.get("departement"):
            self.add_error("departement", "Choisissez le département.")
        return data
