"""Forms of the coordination screens: the team's territory, the search of conseillers to name,
the filters of "Mon équipe" and the coordinator's own activities."""

from django import forms
from django.utils import timezone

from cnum.coordination.models import CoordinatorActivity
from cnum.coordination.policies import reach_departements, reach_regions, reach_structures
from cnum.core.params import validate_sane_date
from cnum.territories.models import Departement, Region
from cnum.training.enums import ConseillerState


class TerritoryForm(forms.Form):
    departements = forms.ModelMultipleChoiceField(
        label="Départements de l'équipe",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tous les conseillers en poste dans ces départements font partie de l'équipe.",
    )
    region = forms.ModelChoiceField(
        label="Ou toute la région",
        queryset=None,
        required=False,
        empty_label="Aucune",
    )

    def __init__(self, *args, coordinator, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        if national:  # the administration: any territory
            departements, regions = Departement.objects.order_by("code"), Region.objects.all()
            self.fields["region"].label = "Ou toute une région"
        else:
            departements, regions = reach_departements(coordinator), reach_regions(coordinator)
        self.fields["departements"].queryset = departements
        self.fields["departements"].label_from_instance = lambda d: f"{d.nom} ({d.code})"
        self.fields["region"].queryset = regions.order_by("nom")

    def clean(self):
        data = super().clean()
        if data.get("departements") and data.get("region"):
            raise forms.ValidationError(
                "Choisissez des départements ou une région entière, pas les deux."
            )
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label="Nom du conseiller", max_length=100, min_length=2)


INACTIVE_LABEL = "Sans activité depuis un mois"


class TeamFilterForm(forms.Form):
    structure = forms.ChoiceField(label="Structure", required=False)
    departement = forms.ChoiceField(label="Département", required=False)
    formation = forms.ChoiceField(
        label="Formation",
        required=False,
        choices=[("", "Tous")] + list(ConseillerState.choices),
    )
    sans_activite = forms.BooleanField(label=INACTIVE_LABEL, required=False)

    def __init__(self, *args, members, with_activity=True, **kwargs):
        super().__init__(*args, **kwargs)
        structures = {s.pk: s.name for m in members for s in m.structures}
        departements = {m.departement.code: str(m.departement) for m in members if m.departement}
        self.fields["structure"].choices = [("", "Toutes")] + sorted(
            ((str(pk), name) for pk, name in structures.items()), key=lambda c: c[1]
        )
        self.fields["departement"].choices = [("", "Tous")] + sorted(departements.items())
        for name in ("structure", "departement", "formation"):
            self.fields[name].optional_mark = False  # filters: empty means all
        if not with_activity:  # no last-activity dates to filter on
            del self.fields["sans_activite"]


class ActivityForm(forms.ModelForm):
    date = forms.DateField(
        label="Date",
        validators=[validate_sane_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = CoordinatorActivity
        fields = [
            "kind",
            "title",
            "date",
            "duration",
            "participants",
            "structure",
            "departement",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, coordinator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = reach_structures(coordinator).order_by(
            "organisation_ptr__name"
        )
        self.fields["departement"].queryset = reach_departements(coordinator)
        self.fields["departement"].label_from_instance = lambda d: f"{d.nom} ({d.code})"
        self.fields["participants"].required = False
        self.fields["participants"].help_text = "0 si l'activité n'en compte pas."

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                "Une activité se déclare une fois faite : la date ne peut pas être à venir."
            )
        return date

    def clean_participants(self):
        return self.cleaned_data.get("participants") or 0
