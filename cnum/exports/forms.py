from django import forms

FORMATS = [("csv", "CSV (tableur, séparateur point-virgule)"), ("xlsx", "Excel (XLSX)")]


class ExportForm(forms.Form):
    """Filters of one export. A département outside the user's scope is refused, never ignored."""

    departement = forms.CharField(label="Département", required=False, max_length=3)
    status = forms.ChoiceField(label="Statut", required=False)
    format = forms.ChoiceField(label="Format", choices=FORMATS, initial="csv", required=False)

    def __init__(self, *args, dataset, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        self.departements = departements
        self.fields["status"].choices = [("", "Tous")] + list(dataset.statuses)
        self.fields["status"].error_messages["invalid_choice"] = "Ce statut n'existe pas."

    def clean_format(self):
        return self.cleaned_data["format"] or "csv"

    def clean_departement(self):
        code = self.cleaned_data["departement"].strip().upper()
        if code and not self.departements.filter(code=code).exists():
            raise forms.ValidationError(
                f"Le département « {code} » n'est pas dans votre périmètre : vous ne pouvez "
                "exporter que les données de vos départements."
            )
        return code
