from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.partners"
    verbose_name = "Fournisseur d'identité des services partenaires"
