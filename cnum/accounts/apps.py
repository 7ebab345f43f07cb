from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cnum.accounts"
    verbose_name = "Comptes"
