from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from cnum.mandates.forms import DomainsField

MAX_REDIRECT_URIS = 10


def _schemes():
    return ["http", "https"] if settings.DEBUG else ["https"]


class PartnerServiceForm(forms.Form):
    name = forms.CharField(label="Nom du service", max_length=255)
    redirect_uris = forms.CharField(
        label="Adresses de retour (redirect URI)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Une adresse https complète par ligne, exactement celle que le service envoie.",
    )
    domains = DomainsField(label="Domaines que le service traite")

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_redirect_uris(self):
        uris = [line.strip() for line in self.cleaned_data["redirect_uris"].splitlines()]
        uris = list(dict.fromkeys(uri for uri in uris if uri))
        if not uris:
            raise ValidationError("Indiquez au moins une adresse de retour.")
        if len(uris) > MAX_REDIRECT_URIS:
            raise ValidationError(f"Au plus {MAX_REDIRECT_URIS} adresses de retour.")
        validate = URLValidator(schemes=_schemes())
        for uri in uris:
            try:
                validate(uri)
            except ValidationError:
                raise ValidationError(
                    f"« {uri} » n'est pas une adresse {' ou '.join(_schemes())} valide."
                ) from None
            if urlsplit(uri).fragment or "#" in uri:
                raise ValidationError(f"« {uri} » ne doit pas contenir de fragment (#).")
        return uris


class PartnerServiceEditForm(PartnerServiceForm):
    is_active = forms.BooleanField(
        label="Service actif (décoché : plus aucune connexion ni appel accepté)", required=False
    )
