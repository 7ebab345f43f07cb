"""Public statistics and open data (no login), and the steering page (préfets, administration)."""

from django.urls import path

from cnum.stats import public_views

urlpatterns = [
    path("publiques/", public_views.public_statistics, name="public"),
    path("publiques/<slug:niveau>.csv", public_views.public_csv, name="public_csv"),
    path("pilotage/", public_views.steering_page, name="steering"),
]
