from django.apps import AppConfig


class AllocationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.allocation"
    verbose_name = "Répartition nationale"

    def ready(self):
        # Allocation builds on matching: the structure's candidates screen highlights the
        # latest allocation's suggestions.
        from cnum.allocation.services import suggestions_for
        from cnum.matching import screen

        screen.SUGGESTION_SOURCES.append(suggestions_for)
