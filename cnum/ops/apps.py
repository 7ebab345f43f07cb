from django.apps import AppConfig


class OpsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.ops"
    verbose_name = "Exploitation"

    def ready(self):
        # Log context and metrics of every background task (started, finished, failed).
        from cnum.ops import tasklog  # noqa: F401
