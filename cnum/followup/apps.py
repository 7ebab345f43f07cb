from django.apps import AppConfig


class FollowupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.followup"
    verbose_name = "Suivi du réseau"
