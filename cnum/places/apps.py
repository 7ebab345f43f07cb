from django.apps import AppConfig


class PlacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.places"
    verbose_name = "Lieux de médiation numérique"
