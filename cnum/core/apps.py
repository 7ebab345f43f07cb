from django import forms
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cnum.core"
    verbose_name = "Socle"

    def ready(self):
        from cnum.core.params import validate_sane_date

        # Every date field of every form (model forms included) refuses a year near 1 or 9999:
        # such a date overflows as soon as a duration is added to it.
        for field in (forms.DateField, forms.DateTimeField):
            if validate_sane_date not in field.default_validators:
                field.default_validators = [*field.default_validators, validate_sane_date]

        # One date widget everywhere: the native date picker (cnum.core.forms.DateInput).
        from cnum.core.forms import DateInput

        forms.DateField.widget = DateInput

        # No « --------- » in a French select: the empty choice of every model field's choices
        # (model forms) reads as DSFR's invitation. Django passes this very list as the default.
        from django.db.models import fields as model_fields

        from cnum.core.forms import EMPTY_CHOICE

        model_fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
