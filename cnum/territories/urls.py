from django.urls import path

from cnum.territories import views

app_name = "territories"

urlpatterns = [
    path("communes/", views.search, name="search"),
]
