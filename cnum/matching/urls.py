from django.urls import path

from cnum.matching import views

app_name = "matching"

urlpatterns = [
    path("structures/<int:pk>/candidats/", views.candidates, name="candidates"),
    path("structures/<int:pk>/candidats/lot/", views.batch_action, name="batch"),
    path("structures/<int:pk>/recherche/", views.search, name="search"),
    path(
        "structures/<int:pk>/candidats/<int:candidate_pk>/",
        views.candidate_detail,
        name="candidate",
    ),
    path(
        "structures/<int:pk>/candidats/<int:candidate_pk>/notes/",
        views.note_create,
        name="note_create",
    ),
    path(
        "structures/<int:pk>/candidats/<int:candidate_pk>/action/",
        views.match_action,
        name="action",
    ),
    path("structures/<int:pk>/candidats/<int:candidate_pk>/cv/", views.cv_download, name="cv"),
    path("demandes-de-contact/", views.contact_requests, name="requests"),
    path("demandes-de-contact/<int:request_pk>/reponse/", views.contact_answer, name="answer"),
    path("consultations/", views.reveal_list, name="reveals"),
]
