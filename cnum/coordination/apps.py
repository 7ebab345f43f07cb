from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.coordination"
    verbose_name = "Coordination"
