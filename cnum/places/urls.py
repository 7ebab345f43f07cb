from django.urls import path

from cnum.places import views

app_name = "places"

urlpatterns = [
    path("carte/", views.map_view, name="map"),
    path("lieux/<int:pk>/", views.detail, name="detail"),
    path("lieux/gestion/", views.manage_list, name="manage"),
    path("lieux/gestion/nouveau/", views.create, name="create"),
    path("lieux/gestion/<int:pk>/", views.edit, name="edit"),
    path("lieux/gestion/<int:pk>/suppression/", views.delete, name="delete"),
    path("lieux/mes-lieux/", views.my_places, name="my_places"),
    path("lieux/moderation/", views.moderation_queue, name="moderation"),
    path("lieux/moderation/<int:pk>/decision/", views.moderate, name="moderate"),
]
