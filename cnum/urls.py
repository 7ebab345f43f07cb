from django.urls import include, path

from cnum.api.router import api_urls

urlpatterns = [
    path("", include("cnum.core.urls")),
    path("compte/", include("cnum.accounts.urls")),
    path("documents/", include("cnum.documents.urls")),
    path("compte/jetons-api/", include("cnum.api.urls")),
    path("territoires/", include("cnum.territories.urls")),
    path("candidats/", include("cnum.candidates.urls")),
    path("structures/", include("cnum.structures.urls")),
    path("aidants-connect/", include("cnum.mandates.urls")),
    path("mon-espace-usager/", include("cnum.mandates.urls_usager")),
    path("mises-en-relation/", include("cnum.matching.urls")),
    path("recrutements/", include("cnum.recruitment.urls")),
    path("repartition/", include("cnum.allocation.urls")),
    path("exports/", include("cnum.exports.urls")),
    path("financement/", include("cnum.funding.urls")),
    path("formation/", include("cnum.training.urls")),
    path("oidc/", include("cnum.partners.urls")),
    path("activite/", include("cnum.activity.urls")),
    path("orientations/", include("cnum.referrals.urls")),
    path("ateliers/", include("cnum.workshops.urls")),
    path("statistiques/", include("cnum.stats.urls")),
    path("reseau/", include("cnum.networks.urls")),
    path("coordination/", include("cnum.coordination.urls")),
    path("suivi/", include("cnum.followup.urls")),
    path("mon-compte/", include("cnum.profiles.urls")),
    path("communication/", include("cnum.communication.urls")),
    # Health probes (/sante/…), Prometheus (/metrics) and periodic jobs (/exploitation/…).
    path("", include("cnum.ops.urls")),
    # The public map (/carte) and place pages (/lieux/…).
    path("", include("cnum.places.urls")),
    path("api/v1/", api_urls()),
]

handler403 = "cnum.core.views.permission_denied"
handler404 = "cnum.core.views.page_not_found"
handler500 = "cnum.core.views.server_error"
