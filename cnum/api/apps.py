from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cnum.api"
    verbose_name = "API"
