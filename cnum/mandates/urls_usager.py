"""The usager's own space, under /mon-espace-usager/ (docs/aidants-connect.md#espace-usager)."""

from django.urls import path

from cnum.mandates.views import usager_space

app_name = "usager_space"

urlpatterns = [
    path("", usager_space.home, name="home"),
    path("connexion/", usager_space.sign_in, name="sign_in"),
    path("retour/", usager_space.callback, name="callback"),
    path("deconnexion/", usager_space.sign_out, name="sign_out"),
    path("mandats/<int:pk>/revoquer/", usager_space.mandate_revoke, name="mandate_revoke"),
    path(
        "autorisations/<int:pk>/revoquer/",
        usager_space.authorisation_revoke,
        name="authorisation_revoke",
    ),
]
