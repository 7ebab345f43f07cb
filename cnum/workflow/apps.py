from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.workflow"
    verbose_name = "Journal des transitions"
