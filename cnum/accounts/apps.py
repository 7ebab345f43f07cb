from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cnum.accounts"
    verbose_name = "Comptes"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from hijack.signals import hijack_ended, hijack_started

        from cnum.accounts.sessions import start_activity
        from cnum.accounts.signals import (
            impersonation_ended,
            impersonation_ended_by_logout,
            impersonation_started,
        )

        user_logged_in.connect(start_activity, dispatch_uid="accounts_start_activity")
        hijack_started.connect(impersonation_started, dispatch_uid="accounts_hijack_started")
        hijack_ended.connect(impersonation_ended, dispatch_uid="accounts_hijack_ended")
        user_logged_out.connect(
            impersonation_ended_by_logout, dispatch_uid="accounts_hijack_ended_by_logout"
        )
