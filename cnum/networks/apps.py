from django.apps import AppConfig


class NetworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.networks"
    verbose_name = "Hubs et grands réseaux"
