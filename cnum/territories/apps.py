from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "cnum.territories"
    verbose_name = "Territoires"
