from django.urls import path

from cnum.allocation import views

app_name = "allocation"

urlpatterns = [
    path("", views.runs, name="runs"),
    path("<int:pk>/", views.run, name="run"),
    path("<int:pk>/departements/<str:code>/", views.run_departement, name="run_departement"),
]
