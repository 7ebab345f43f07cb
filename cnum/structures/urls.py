from django.urls import path

from cnum.structures.views import administration, coordinators, deciders, public, space

app_name = "structures"

urlpatterns = [
    path("candidater/", public.apply, name="apply"),
    path("candidater/envoyee/", public.apply_sent, name="apply_sent"),
    path("candidater/confirmation/<str:token>/", public.confirm, name="confirm"),
    path("mon-espace/", space.space, name="space"),
    path("mon-espace/<int:pk>/", space.detail, name="detail"),
    path("mon-espace/<int:pk>/postes/", space.amendment_create, name="amendment_create"),
    path(
        "mon-espace/<int:pk>/postes/<int:amendment_pk>/annuler/",
        space.amendment_cancel,
        name="amendment_cancel",
    ),
    path("mon-espace/<int:pk>/retirer/", space.withdraw, name="withdraw"),
    path("mon-espace/<int:pk>/gestionnaires/", space.manager_invite, name="manager_invite"),
    path(
        "mon-espace/<int:pk>/gestionnaires/<int:membership_pk>/retirer/",
        space.manager_remove,
        name="manager_remove",
    ),
    # Coordinator posts (docs/domaine.md#coordinateurs)
    path(
        "mon-espace/<int:pk>/coordinateur/",
        coordinators.request_create,
        name="coordinator_request",
    ),
    path(
        "mon-espace/<int:pk>/coordinateur/<int:request_pk>/retirer/",
        coordinators.request_cancel,
        name="coordinator_request_cancel",
    ),
    path(
        "mon-espace/<int:pk>/coordinateur/designer/",
        coordinators.designate,
        name="coordinator_designate",
    ),
    path(
        "instruction/coordinateurs/<int:request_pk>/avis/",
        coordinators.opinion,
        name="coordinator_opinion",
    ),
    path(
        "administration/coselec/<int:session_pk>/coordinateurs/<int:request_pk>/",
        coordinators.request_decision,
        name="coordinator_request_decision",
    ),
    path("administration/coordinateurs/", coordinators.designations, name="designations"),
    path(
        "administration/coordinateurs/<int:pk>/valider/",
        coordinators.designation_validate,
        name="designation_validate",
    ),
    path(
        "administration/coordinateurs/<int:pk>/refuser/",
        coordinators.designation_refuse,
        name="designation_refuse",
    ),
    path("instruction/", deciders.structure_list, name="decider_list"),
    path("instruction/<int:pk>/", deciders.structure_detail, name="decider_detail"),
    path("instruction/<int:pk>/avis/", deciders.prefet_opinion, name="prefet_opinion"),
    path("instruction/<int:pk>/decision/", deciders.decision, name="decision"),
    path("instruction/<int:pk>/statut/", deciders.status_change, name="status_change"),
    path(
        "instruction/decisions/<int:pk>/corriger/",
        deciders.decision_correct,
        name="decision_correct",
    ),
    path(
        "instruction/postes/<int:amendment_pk>/avis/",
        deciders.amendment_opinion,
        name="amendment_opinion",
    ),
    path(
        "instruction/postes/<int:amendment_pk>/decision/",
        deciders.amendment_decision,
        name="amendment_decision",
    ),
    path("administration/ami/", administration.calls, name="calls"),
    path("administration/ami/<int:pk>/", administration.call_toggle, name="call_toggle"),
    path("administration/coselec/", administration.sessions, name="sessions"),
    path("administration/coselec/<int:pk>/", administration.session, name="session"),
]
