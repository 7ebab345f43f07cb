from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "cnum.backups"
    verbose_name = "Sauvegardes"
