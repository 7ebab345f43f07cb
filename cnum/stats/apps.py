from django.apps import AppConfig


class StatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.stats"
    verbose_name = "Statistiques et pilotage"

    def ready(self):
        from cnum.stats import last_activity, upkeep

        upkeep.connect()
        last_activity.connect()
