from django.urls import path

from cnum.activity import views

app_name = "activity"

urlpatterns = [
    path("", views.history, name="history"),
    path("saisie/", views.entry, name="entry"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("annuaire/", views.directory_search, name="directory_search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("beneficiaires/", views.beneficiaries, name="beneficiaries"),
    path("beneficiaires/<int:pk>/", views.beneficiary_detail, name="beneficiary_detail"),
    path("beneficiaires/<int:pk>/modifier/", views.beneficiary_edit, name="beneficiary_edit"),
    path("beneficiaires/<int:pk>/supprimer/", views.beneficiary_delete, name="beneficiary_delete"),
]
