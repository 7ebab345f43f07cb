from django.urls import path

from cnum.training.views import conseillers, documents, imports, organisations, trainees

app_name = "training"

urlpatterns = [
    path("mon-organisme/", organisations.space, name="space"),
    path("organismes/<int:pk>/", organisations.organisation, name="organisation"),
    path("organismes/<int:pk>/sessions/", organisations.session_create, name="session_create"),
    path("organismes/<int:pk>/membres/", organisations.member_invite, name="member_invite"),
    path("organismes/<int:pk>/habilitation/", organisations.habilitation, name="habilitation"),
    path("sessions/<int:pk>/", organisations.session_detail, name="session"),
    path("stagiaires/", trainees.trainees, name="trainees"),
    path("stagiaires/<int:pk>/", trainees.enrolment_detail, name="enrolment"),
    path("stagiaires/<int:pk>/suivi/", trainees.enrolment_progress, name="enrolment_progress"),
    path("stagiaires/<int:pk>/etat/", trainees.enrolment_move, name="enrolment_move"),
    path(
        "stagiaires/<int:pk>/certification/",
        trainees.enrolment_certification,
        name="enrolment_certification",
    ),
    path(
        "stagiaires/<int:pk>/attestation.pdf",
        documents.attestation_pdf,
        name="enrolment_attestation_pdf",
    ),
    path(
        "stagiaires/<int:pk>/certification.pdf",
        documents.certification_pdf,
        name="enrolment_certification_pdf",
    ),
    path("ma-formation/", trainees.mine, name="mine"),
    path(
        "structures/<int:pk>/conseillers/",
        conseillers.structure_conseillers,
        name="structure_conseillers",
    ),
    path(
        "structures/<int:pk>/conseillers/<int:user_pk>/inscrire/",
        conseillers.enrol,
        name="enrol",
    ),
    path(
        "administration/organismes/", organisations.admin_organisations, name="admin_organisations"
    ),
    path("administration/conseillers/", conseillers.admin_conseillers, name="admin_conseillers"),
    path("administration/import/", imports.import_csv, name="import"),
]
