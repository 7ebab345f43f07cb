from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cnum.accounts"
    verbose_name = "Comptes"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from cnum.accounts.sessions import start_activity

        user_logged_in.connect(start_activity, dispatch_uid="accounts_start_activity")
