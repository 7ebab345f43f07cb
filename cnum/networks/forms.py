from django import forms

from cnum.networks.lists import structures_in_scope
from cnum.territories.models import Departement


class ScopeFilterForm(forms.Form):
    """Filters of the lists (GET): only what lies in the viewer's scope is offered, and a value
    outside it is refused like any other unknown choice."""

    departement = forms.ChoiceField(label="Département", required=False)
    structure = forms.ChoiceField(label="Structure", required=False)

    def __init__(self, data=None, *, user, with_structure=True):
        super().__init__(data)
        structures = structures_in_scope(user)
        departements = Departement.objects.filter(
            code__in=structures.values("departement_id")
        ).order_by("code")
        self.fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, f"{d.code} — {d.nom}") for d in departements
        ]
        if not with_structure:
            del self.fields["structure"]
            return
        self.fields["structure"].choices = [("", "Toutes les structures")] + [
            (str(pk), name)
            for pk, name in structures.order_by("name", "pk").values_list("pk", "name")
        ]

    def filters(self):
        data = self.cleaned_data
        return {
            "departement": data.get("departement") or None,
            "structure": int(data["structure"]) if data.get("structure") else None,
        }


class NetworkNameForm(forms.Form):
    name = forms.CharField(
        label="Nom du réseau",
        max_length=100,
        help_text="Tel que les structures le reconnaîtront, par exemple « Croix-Rouge française ».",
        error_messages={"required": "Indiquez le nom du réseau."},
    )
