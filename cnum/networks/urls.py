"""Hubs and national networks (docs/domaine.md#hubs-et-reseaux), under /reseau/."""

from django.urls import path

from cnum.networks import views

app_name = "networks"

urlpatterns = [
    path("structures/", views.structure_list, name="structures"),
    path("structures/export.<str:fmt>", views.structure_export, name="structures_export"),
    path("conseillers/", views.conseiller_list, name="conseillers"),
    path("conseillers/export.<str:fmt>", views.conseiller_export, name="conseillers_export"),
    # The managed list of networks, kept by the national administration.
    path("grands-reseaux/", views.network_list, name="admin_list"),
    path("grands-reseaux/nouveau/", views.network_create, name="admin_create"),
    path("grands-reseaux/<int:pk>/", views.network_rename, name="admin_rename"),
    path("grands-reseaux/<int:pk>/activation/", views.network_toggle, name="admin_toggle"),
]
