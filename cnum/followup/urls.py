from django.urls import path

from cnum.followup import views

app_name = "followup"

urlpatterns = [
    path("sans-activite/", views.inactive, name="inactive"),
    path("contrats-a-renouveler/", views.renewal_list, name="renewals"),
    path(
        "contrats-a-renouveler/<int:pk>/non-renouvellement/",
        views.non_renewal,
        name="non_renewal",
    ),
    path("absences/", views.leaves, name="leaves"),
    path("absences/<int:pk>/supprimer/", views.leave_delete, name="leave_delete"),
]
