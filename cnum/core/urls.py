from django.urls import path

from cnum.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_page, {"page": "mentions_legales"}, name="legal"),
    path("accessibilite/", views.legal_page, {"page": "accessibilite"}, name="accessibility"),
    path(
        "donnees-personnelles/",
        views.legal_page,
        {"page": "donnees_personnelles"},
        name="privacy",
    ),
    path("api/", views.api_page, name="api"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
]
