from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.matching"
    verbose_name = "Mises en relation"

    def ready(self):
        from cnum.candidates import policies as candidate_policies
        from cnum.candidates import services as candidate_services
        from cnum.candidates import survey
        from cnum.matching import (
            personal_data,
            policies,
            receivers,  # noqa: F401 (connects the signal receivers)
        )

        # Matching builds on candidates: it adds its own grounds and data to theirs.
        candidate_policies.CV_READERS.append(policies.manages_structure_in_contact)
        candidate_services.EXPORT_PARTS.append(personal_data.structures_data)
        survey.BUSY.append(policies.holds_post)
