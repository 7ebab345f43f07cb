"""The /api/v1 API: each app contributes a router.

Endpoints need a logged-in session or a token unless marked public (`auth=None`).
"""

from ninja import NinjaAPI, Schema

from cnum.api.auth import TokenAuth, VerifiedSessionAuth
from cnum.api.models import Scope
from cnum.core.api_errors import add_error_handlers, responses

api = NinjaAPI(
    title="API Conseiller numérique",
    version="1",
    description=(
        "Référentiel des territoires, lieux de médiation numérique et flux data·inclusion "
        "(publics, sans données personnelles) ; services réservés aux utilisateurs connectés "
        "ou aux partenaires disposant d'un jeton (`Authorization: Bearer <jeton>`) : chaque "
        "service des partenaires demande une portée (activite, statistiques, structures)."
    ),
    auth=[VerifiedSessionAuth(), TokenAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
add_error_handlers(api)


class TokenInfo(Schema):
    nom: str
    portees: list[str]


@api.get(
    "/jeton",
    response=responses(TokenInfo, 401, 403),
    auth=TokenAuth(Scope.REFERENTIEL),
    tags=["jetons"],
)
def token_info(request):
    """Identité et portées du jeton présenté."""
    return {"nom": request.auth.name, "portees": request.auth.scopes}


class Me(Schema):
    email: str
    roles: list[str]


@api.get(
    "/moi",
    response=responses(Me, 401),
    auth=VerifiedSessionAuth(),
    tags=["comptes"],
    url_name="me",
)
def me(request):
    """Compte connecté dans le navigateur et ses rôles."""
    return {"email": request.auth.email, "roles": sorted(request.auth.roles)}


def _register_routers():
    from cnum.territories.api import router as territories_router

    api.add_router("/communes", territories_router)
    api.add_router("", "cnum.places.api.router")
    api.add_router("/data-inclusion", "cnum.api.data_inclusion.router")
    api.add_router("/partenaires", "cnum.api.partners.activity.router")
    api.add_router("/partenaires", "cnum.api.partners.stats.router")
    api.add_router("/partenaires", "cnum.api.partners.structures.router")


_register_routers()


def api_urls():
    """URL patterns of the API; authentication is the API's own job, not the login middleware's."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns, app_name, namespace
