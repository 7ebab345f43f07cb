from django.apps import AppConfig


class StructuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.structures"
    verbose_name = "Structures d'accueil"
