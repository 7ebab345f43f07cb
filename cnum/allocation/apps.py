from django.apps import AppConfig


class AllocationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.allocation"
    verbose_name = "Répartition nationale"
