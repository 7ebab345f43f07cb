from django.urls import path

from cnum.places import public_views, views

app_name = "places"

urlpatterns = [
    path("carte/", views.map_view, name="map"),
    path("carte/recherche-guidee/", public_views.guided_search, name="guided_search"),
    path("carte/integration/", public_views.embed, name="embed"),
    path("carte/integrer/", public_views.embed_help, name="embed_help"),
    path("lieux/<int:pk>/", views.detail, name="detail"),
    path("lieux/<int:pk>/envoyer/", public_views.send_sheet, name="send_sheet"),
    path("lieux/<int:pk>/signaler/", public_views.report, name="report"),
    path("lieux/gestion/", views.manage_list, name="manage"),
    path("lieux/gestion/nouveau/", views.create, name="create"),
    path("lieux/gestion/<int:pk>/", views.edit, name="edit"),
    path("lieux/gestion/<int:pk>/suppression/", views.delete, name="delete"),
    path("lieux/mes-lieux/", views.my_places, name="my_places"),
    path("lieux/mes-lieux/carte/", views.my_listing, name="my_listing"),
    path("lieux/moderation/", views.moderation_queue, name="moderation"),
    path("lieux/moderation/<int:pk>/decision/", views.moderate, name="moderate"),
    path("lieux/moderation/signalements/", views.reports, name="reports"),
    path(
        "lieux/moderation/signalements/<int:pk>/traite/",
        views.report_handled,
        name="report_handled",
    ),
]
