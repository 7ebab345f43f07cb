from django.urls import path

from cnum.profiles import views

app_name = "profiles"

urlpatterns = [
    path("", views.account, name="account"),
    path("adresse/", views.email_change, name="email_change"),
    path("adresse/envoyee/", views.email_change_sent, name="email_change_sent"),
    path("adresse/confirmer/<str:token>/", views.email_confirm, name="email_confirm"),
    path("mes-donnees.json", views.export_json, name="export_json"),
    path("mes-donnees.csv", views.export_csv, name="export_csv"),
    path("suppression/", views.delete, name="delete"),
    path("supprime/", views.deleted, name="deleted"),
    path("mon-emploi/", views.my_job, name="my_job"),
    path("structures/<int:pk>/", views.structure_contact, name="structure_contact"),
    path("structures/<int:pk>/correction/", views.correction_request, name="correction_request"),
    path("corrections-de-structures/", views.corrections, name="corrections"),
    path(
        "corrections-de-structures/<int:pk>/",
        views.correction_decide,
        name="correction_decide",
    ),
]
