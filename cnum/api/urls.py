"""The administration's pages for API tokens (the API itself is served by cnum.api.router)."""

from django.urls import path

from cnum.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.api_tokens, name="list"),
    path("<int:pk>/revoquer/", views.api_token_revoke, name="revoke"),
]
