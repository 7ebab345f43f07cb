from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.http import require_GET

LEGAL_PAGES = {
    "mentions_legales": "Mentions légales",
    "accessibilite": "Déclaration d'accessibilité",
    "donnees_personnelles": "Données personnelles",
}


@login_not_required
@require_GET
def home(request):
    return render(request, "core/home.html")


@login_not_required
@require_GET
def legal_page(request, page):
    return render(request, f"core/{page}.html", {"title": LEGAL_PAGES[page]})


@login_not_required
@require_GET
def api_page(request):
    """The API explained in French: what exists, how to get a token, where the schema is."""
    return render(request, "core/api.html", {"title": "API"})


@login_not_required
@require_GET
def favicon(request):
    """/favicon.ico, asked for by browsers on pages that are not ours (a PDF, JSON)."""
    return HttpResponsePermanentRedirect(static("dsfr/dist/favicon/favicon.ico"))


@login_not_required
@require_GET
def healthz(request):
    """Liveness probe for the load balancer: the process answers and the database responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"statut": "ok"})


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", {"title": "Accès refusé"}, status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", {"title": "Page introuvable"}, status=404)


@login_not_required
def server_error(request):
    # Rendered without context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
