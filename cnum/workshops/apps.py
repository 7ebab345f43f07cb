from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.workshops"
    verbose_name = "Ateliers"

    def ready(self):
        from cnum.places.services import register_upcoming_workshops_provider
        from cnum.workshops.services import upcoming_at_place

        register_upcoming_workshops_provider(upcoming_at_place)
