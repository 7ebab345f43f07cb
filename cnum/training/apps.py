from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.training"
    verbose_name = "Formation"

    def ready(self):
        from cnum.training import receivers  # noqa: F401 — connects the signal receivers
