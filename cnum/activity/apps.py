from django.apps import AppConfig


class ActivityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.activity"
    verbose_name = "Activité des conseillers"
