from django.urls import path

from cnum.activity import views

app_name = "activity"

urlpatterns = [
    path("", views.history, name="history"),
    path("saisie/", views.entry, name="entry"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("beneficiaires/", views.beneficiaries, name="beneficiaries"),
    path("beneficiaires/<int:pk>/", views.beneficiary_detail, name="beneficiary_detail"),
]
