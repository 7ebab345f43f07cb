from django import forms

from cnum.documents import codes


class CheckForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=40,
        help_text=(
            "12 caractères, imprimés en bas de chaque page du document (ex. : 7K2M-9QXA-4TBD)"
        ),
        error_messages={"required": "Saisissez le code de vérification du document."},
    )

    def clean_code(self):
        code = codes.normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "Un code de vérification compte 12 lettres et chiffres, par exemple 7K2M-9QXA-4TBD."
            )
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la révocation",
        max_length=500,
        help_text="Affiché sur la page de vérification à toute personne qui détient le code.",
        error_messages={"required": "Indiquez le motif de la révocation."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
