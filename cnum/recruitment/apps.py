from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.recruitment"
    verbose_name = "Recrutements"

    def ready(self):
        # Recruitment builds on matching: it plugs what a match move does to contracts, quotas
        # and roles (in the transaction) and the e-mails (after commit) into the match machine.
        from cnum.matching.enums import MatchStatus as S
        from cnum.matching.models import Match
        from cnum.recruitment import effects, notifications

        Match.workflow.extend(
            effects={
                S.RECRUTEE: effects.on_recrutee,
                S.INTERESSEE: effects.on_interessee,
                S.FINALISEE: effects.on_finalisee,
                S.FINALISEE_NON_DISPONIBLE: effects.on_finalisee_non_disponible,
                S.FINALISEE_RUPTURE: effects.on_finalisee_rupture,
                S.TERMINEE: effects.on_terminee,
            },
            on_commit=notifications.notify,
        )
