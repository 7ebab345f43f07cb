from django.apps import AppConfig


class MandatesConfig(AppConfig):
    name = "cnum.mandates"
    verbose_name = "Aidants Connect"

    def ready(self):
        from cnum.mandates import signals  # noqa: F401 — connects the login journal
