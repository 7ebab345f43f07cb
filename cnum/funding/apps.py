from django.apps import AppConfig


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.funding"
    verbose_name = "Financement"

    def ready(self):
        from cnum.funding import receivers
        from cnum.recruitment.signals import (
            contract_ended,
            recruitment_validated,
            rupture_validated,
        )
        from cnum.structures.signals import decision_recorded

        decision_recorded.connect(receivers.on_decision, dispatch_uid="funding")
        recruitment_validated.connect(receivers.on_recruitment, dispatch_uid="funding")
        rupture_validated.connect(receivers.on_rupture, dispatch_uid="funding")
        contract_ended.connect(receivers.on_contract_ended, dispatch_uid="funding")
