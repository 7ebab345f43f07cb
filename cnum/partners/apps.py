from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.partners"
    verbose_name = "Fournisseur d'identité des services partenaires"

    def ready(self):
        from cnum.partners import checks  # noqa: F401  (registers the deploy check)
