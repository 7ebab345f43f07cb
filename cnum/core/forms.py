"""Form fields of the whole site where Django's own let a hostile value through to the database."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from cnum.core.params import clean_int


def _unreadable_id(field, value):
    """True for a posted text that cannot be an integer id of the field's model (`²`, 2⁶⁶, -1):
    SQLite raises OverflowError on ids beyond 64 bits where it should find nothing."""
    if field.to_field_name or not isinstance(value, str) or value in field.empty_values:
        return False
    pk = field.queryset.model._meta.pk
    pk = pk.target_field if pk.is_relation else pk
    return isinstance(pk, models.IntegerField) and clean_int(value) is None


class DateInput(forms.DateInput):
    """The one date widget of the site: the browser's native date picker (shown as 01/02/2027
    in French), its value in ISO as the date input requires. Set on every DateField by
    CoreConfig.ready; fields still accept a typed « 01/02/2027 »."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The one date-and-time widget: the browser's native picker, set on every DateTimeField by
    CoreConfig.ready; fields still accept a typed « 01/02/2027 14:30 »."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%dT%H:%M")


# The empty option of selects (DSFR wording), instead of Django's « --------- ».
EMPTY_CHOICE = "Sélectionner une option"


class ModelChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, *, empty_label=EMPTY_CHOICE, **kwargs):
        super().__init__(queryset, empty_label=empty_label, **kwargs)

    def to_python(self, value):
        if _unreadable_id(self, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if _unreadable_id(self, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
