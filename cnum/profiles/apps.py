from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.profiles"
    verbose_name = "Mon compte"

    def ready(self):
        from cnum.profiles import receivers  # noqa: F401
