"""The dashboards' filter form (GET): period in months, territory, structure, conseiller, place,
type and thématique.

The form checks the shape of each value only; whether what a value names lies within the
viewer's scope is decided by cnum.stats.scopes (a refusal, never a silent drop). Choice lists
are limited to the scope and, once the filters are known, to what the other filters select.
"""

import datetime
import re

from django import forms
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.activity.enums import CraType, Thematique
from cnum.stats.scopes import Selection

FIRST_MONTH = datetime.date(2020, 1, 1)  # no activity record is older (docs/domaine.md#cra-v1)
DEFAULT_MONTHS = 12
# Longer choice lists are not offered: the viewer narrows the territory or structure first.
MAX_CHOICES = 150
MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")

FIELDS_BY_AUDIENCE = {
    Role.ADMINISTRATEUR: ("region", "departement", "structure", "conseiller", "place"),
    Role.PREFET: ("region", "departement", "structure", "conseiller", "place"),
    Role.HUB: ("region", "departement", "structure", "conseiller", "place"),
    Role.GRAND_RESEAU: ("structure", "conseiller", "place"),
    Role.GESTIONNAIRE_STRUCTURE: ("conseiller", "place"),
    Role.COORDINATEUR: ("conseiller", "place"),
    Role.CONSEILLER: ("place",),
}
SCOPED_FIELDS = ("region", "departement", "structure", "conseiller", "place")


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def default_period(today=None):
    """The last twelve months, the current one included."""
    current = (today or timezone.localdate()).replace(day=1)
    return add_months(current, -(DEFAULT_MONTHS - 1)), current


class MonthField(forms.CharField):
    """A month as « AAAA-MM » (what <input type="month"> sends) or « MM/AAAA »; cleaned to its
    first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value)
        if not match:
            raise forms.ValidationError("Indiquez un mois au format AAAA-MM, par exemple 2025-03.")
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if not 1 <= int(month) <= 12:
            raise forms.ValidationError("Le mois doit être compris entre 01 et 12.")
        day = datetime.date(int(year), int(month), 1)
        if day < FIRST_MONTH:
            raise forms.ValidationError("Les statistiques commencent en janvier 2020.")
        return day

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class ScopedChoiceField(forms.ChoiceField):
    """A select whose options are what the scope offers; any well-formed value passes here, so
    that the scope check (cnum.stats.scopes) answers a value outside it with a refusal."""

    def __init__(self, *, coerce=str, pattern=None, invalid="Valeur invalide.", **kwargs):
        super().__init__(required=False, **kwargs)
        self.coerce, self.pattern, self.invalid = coerce, pattern, invalid

    def valid_value(self, value):
        return True

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise forms.ValidationError(self.invalid)
        return self.coerce(value)


class StatsFilterForm(forms.Form):
    du = MonthField(label="Du", required=False, help_text="Premier mois (AAAA-MM)")
    au = MonthField(label="Au", required=False, help_text="Dernier mois inclus (AAAA-MM)")
    region = ScopedChoiceField(label="Région", pattern=r"\d{2,3}", invalid="Région inconnue.")
    departement = ScopedChoiceField(
        label="Département", pattern=r"\d{2,3}|2[AB]", invalid="Département inconnu."
    )
    structure = ScopedChoiceField(
        label="Structure", coerce=int, pattern=r"\d{1,18}", invalid="Structure inconnue."
    )
    conseiller = ScopedChoiceField(
        label="Conseiller", coerce=int, pattern=r"\d{1,18}", invalid="Conseiller inconnu."
    )
    place = ScopedChoiceField(
        label="Lieu d'activité", coerce=int, pattern=r"\d{1,18}", invalid="Lieu inconnu."
    )
    type = forms.ChoiceField(
        label="Type d'activité", required=False, choices=[("", "Tous"), *CraType.choices]
    )
    thematique = forms.ChoiceField(
        label="Thématique", required=False, choices=[("", "Toutes"), *Thematique.choices]
    )

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        offered = FIELDS_BY_AUDIENCE[scope.audience]
        if scope.is_territorial and not scope.regions().exists():
            offered = tuple(name for name in offered if name != "region")
        # Fields the audience does not offer still parse their value: naming something is
        # then refused by the scope check rather than ignored.
        self.offered = offered

    def clean(self):
        data = super().clean()
        if "du" in self.errors or "au" in self.errors:
            return data
        du, au = data.get("du"), data.get("au")
        start, current = default_period()
        if du is None and au is None:
            du, au = start, current
        elif du is None:
            du = max(add_months(au, -(DEFAULT_MONTHS - 1)), FIRST_MONTH)
        elif au is None:
            au = max(du, current)
        data["du"], data["au"] = du, au
        if du > au:
            self.add_error("au", "Le dernier mois doit suivre le premier.")
        return data

    def limit_choices(self, selection: Selection):
        """Options of the scoped selects, narrowed by what the filters already select."""
        scope, current = self.scope, selection
        regions = scope.regions().order_by("nom")
        departements = scope.departements_qs().order_by("code")
        if current.region is not None:
            departements = departements.filter(region=current.region)
        structures = scope.structures().order_by("name")
        if current.departement is not None:
            structures = structures.filter(departement=current.departement)
        elif current.region is not None:
            structures = structures.filter(departement__region=current.region)
        conseillers = scope.conseillers().order_by("last_name", "first_name", "pk")
        if current.structure is not None:
            conseillers = conseillers.filter(memberships__organisation=current.structure)
        places = scope.places().order_by("nom", "pk")
        if current.structure is not None:
            places = places.filter(structure=current.structure)
        if current.conseiller is not None:
            places = places.filter(conseiller_links__conseiller=current.conseiller)
        self._set("region", [(r.code, r.nom) for r in regions])
        self._set("departement", [(d.code, str(d)) for d in departements])
        self._set_capped(
            "structure",
            structures.only("name"),
            lambda s: s.name,
            current.structure,
            "Choisissez d'abord un département pour lister ses structures.",
        )
        # Territorial viewers list conseillers and places structure by structure: national or
        # départemental lists would be too long to choose from (and to render).
        by_structure = scope.is_territorial and current.structure is None
        self._set_capped(
            "conseiller",
            (conseillers.none() if by_structure else conseillers).only("first_name", "last_name"),
            _person,
            current.conseiller,
            "Choisissez d'abord une structure pour lister ses conseillers.",
            always_hint=by_structure,
        )
        self._set_capped(
            "place",
            (places.none() if by_structure else places.distinct()).only("nom"),
            lambda p: p.nom,
            current.place,
            "Choisissez d'abord une structure pour lister ses lieux.",
            always_hint=by_structure,
        )

    def _set(self, name, options, hint=""):
        self.fields[name].choices = [("", _ALL[name]), *options]
        if hint:
            # The bound field copied the help text when the form was validated.
            self.fields[name].help_text = self[name].help_text = hint

    def _set_capped(self, name, queryset, label, selected, hint, *, always_hint=False):
        """Options of `queryset` (only the columns of its labels: a national viewer's lists are
        read to the cap before being dropped); when too many (or not listed), only the selected
        one."""
        options = list(queryset[: MAX_CHOICES + 1])
        if always_hint or len(options) > MAX_CHOICES:
            options = [selected] if selected is not None else []
        else:
            hint = ""
        self._set(name, [(str(o.pk), label(o)) for o in options], hint)

    @property
    def offered_fields(self):
        return [self[name] for name in self.offered]


_ALL = {
    "region": "Toutes",
    "departement": "Tous",
    "structure": "Toutes",
    "conseiller": "Tous",
    "place": "Tous",
}


def _person(user):
    return user.get_full_name() or f"Conseiller n° {user.pk}"
