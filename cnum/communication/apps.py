from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.communication"
    verbose_name = "Communication avec le réseau"
