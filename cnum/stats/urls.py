"""Dashboards (signed-in audiences) and public statistics share the `stats` namespace."""

from django.urls import include, path

app_name = "stats"

urlpatterns = [
    path("", include("cnum.stats.urls_dashboards")),
    path("", include("cnum.stats.urls_public")),
]
