from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "cnum.candidates"
    verbose_name = "Candidats"

    def ready(self):
        from cnum.candidates import checks, receivers  # noqa: F401 — registers them
