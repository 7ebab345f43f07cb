from django.urls import path

from cnum.communication import views

app_name = "communication"

urlpatterns = [
    path("courriels/", views.mailing_list, name="mailing_list"),
    path("courriels/nouveau/", views.mailing_create, name="mailing_create"),
    path("courriels/<int:pk>/", views.mailing_detail, name="mailing_detail"),
    path("courriels/<int:pk>/modifier/", views.mailing_edit, name="mailing_edit"),
    path("courriels/<int:pk>/envoyer/", views.mailing_send, name="mailing_send"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/", views.preferences, name="preferences"),
    path("annonces/", views.announcement_list, name="announcement_list"),
    path("annonces/nouvelle/", views.announcement_create, name="announcement_create"),
    path("annonces/<int:pk>/modifier/", views.announcement_edit, name="announcement_edit"),
    path("annonces/<int:pk>/masquer/", views.announcement_dismiss, name="announcement_dismiss"),
    path("ressources/", views.resources_page, name="resources"),
    path("ressources/gestion/", views.resource_admin, name="resource_admin"),
    path("ressources/gestion/nouveau/", views.resource_create, name="resource_create"),
    path("ressources/gestion/<int:pk>/", views.resource_manage, name="resource_manage"),
    path("ressources/versions/<int:pk>/", views.version_download, name="version_download"),
    path("ressources/<slug:slug>/", views.resource_download, name="resource_download"),
    path("faq/", views.faq, name="faq"),
    path("faq/gestion/", views.faq_admin, name="faq_admin"),
    path("faq/gestion/nouvelle/", views.faq_create, name="faq_create"),
    path("faq/gestion/<int:pk>/modifier/", views.faq_edit, name="faq_edit"),
]
