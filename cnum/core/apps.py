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

        # One date widget everywhere: the native pickers (cnum.core.forms).
        from cnum.core.forms import DateInput, DateTimeInput

        forms.DateField.widget = DateInput
        forms.DateTimeField.widget = DateTimeInput

        # No « --------- » in a French select: the empty choice of every model field's choices
        # (model forms) reads as DSFR's invitation. Django passes this very list as the default.
        from django.db.models import fields as model_fields

        from cnum.core.forms import EMPTY_CHOICE

        model_fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
        # The same for the selects of foreign keys that model forms build.
        forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE
