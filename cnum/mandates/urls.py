from django.urls import path

from cnum.mandates.views import (
    aidant_training,
    documents,
    franceconnect,
    fresh,
    habilitation,
    journal,
    mandates,
    retention,
)

app_name = "mandates"

urlpatterns = [
    path("", mandates.home, name="home"),
    path("verification/", fresh.reverify, name="reverify"),
    path("structure/", franceconnect.structure_switch, name="structure_switch"),
    path("usagers/nouveau/", mandates.usager_create, name="usager_create"),
    path("franceconnect/connexion/", franceconnect.franceconnect_start, name="franceconnect_start"),
    path(
        "franceconnect/retour/",
        franceconnect.franceconnect_callback,
        name="franceconnect_callback",
    ),
    path(
        "franceconnect/deconnexion/",
        franceconnect.franceconnect_logout,
        name="franceconnect_logout",
    ),
    path("usagers/<int:usager_pk>/mandat/", mandates.mandate_create, name="mandate_create"),
    path("mandats/<int:pk>/", mandates.mandate_detail, name="mandate_detail"),
    path("mandats/<int:pk>/renouveler/", mandates.mandate_renew, name="mandate_renew"),
    path("mandats/<int:pk>/revoquer/", mandates.mandate_revoke, name="mandate_revoke"),
    path("mandats/<int:pk>/attestation/", mandates.attestation, name="attestation"),
    path("mandats/<int:pk>/attestation.pdf", documents.attestation_pdf, name="attestation_pdf"),
    path(
        "autorisations/<int:pk>/revoquer/",
        mandates.authorisation_revoke,
        name="authorisation_revoke",
    ),
    path("habilitation/demande/", habilitation.habilitation_request, name="habilitation_request"),
    path("habilitations/", habilitation.habilitation_list, name="habilitation_list"),
    path("habilitations/<int:pk>/", habilitation.habilitation_detail, name="habilitation_detail"),
    path("aidants/", habilitation.aidants, name="aidants"),
    path("aidants/<int:pk>/desactiver/", habilitation.aidant_deactivate, name="aidant_deactivate"),
    path("aidants/<int:pk>/formation/", habilitation.aidant_training, name="aidant_training"),
    path("aidants/<int:pk>/valider/", habilitation.aidant_validate, name="aidant_validate"),
    path("formations/", aidant_training.sessions, name="training_sessions"),
    path("formations/<int:pk>/", aidant_training.session_detail, name="training_session"),
    path(
        "formations/<int:pk>/inscrire/",
        aidant_training.session_register,
        name="training_register",
    ),
    path(
        "formations/inscriptions/<int:pk>/presence/",
        aidant_training.attendance,
        name="training_attendance",
    ),
    path(
        "formations/inscriptions/<int:pk>/attestation/",
        aidant_training.attestation,
        name="training_attestation",
    ),
    path("journal/", journal.journal, name="journal"),
    path("journal/export.csv", journal.journal_export, name="journal_export"),
    path("conservation/", retention.retention, name="retention"),
]
