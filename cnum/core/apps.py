from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cnum.core"
    verbose_name = "Socle"
