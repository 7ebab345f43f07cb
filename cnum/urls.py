from django.urls import include, path

from cnum.api.router import api_urls

urlpatterns = [
    path("", include("cnum.core.urls")),
    path("compte/", include("cnum.accounts.urls")),
    path("territoires/", include("cnum.territories.urls")),
    path("candidats/", include("cnum.candidates.urls")),
    path("structures/", include("cnum.structures.urls")),
    path("aidants-connect/", include("cnum.mandates.urls")),
    path("api/v1/", api_urls()),
]

handler403 = "cnum.core.views.permission_denied"
handler404 = "cnum.core.views.page_not_found"
handler500 = "cnum.core.views.server_error"
