from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.matching"
    verbose_name = "Mises en relation"

    def ready(self):
        from cnum.matching import receivers  # noqa: F401 (connects the signal receivers)
