from django.urls import path

from cnum.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.download, name="download"),
]
