from django.urls import reverse

from cnum.accounts.roles import Role


def _link(request, url_name, label, icon=""):
    url = reverse(url_name)
    return {"url": url, "label": label, "icon": icon, "current": request.path == url}


def navigation(request):
    """Header links for the current visitor: what their roles give access to, nothing else."""
    user = request.user
    main = [
        _link(request, "core:home", "Accueil"),
        _link(request, "territories:search", "Communes"),
    ]
    if not user.is_authenticated:
        tools = [
            _link(request, "accounts:login", "Se connecter", "fr-icon-account-circle-line"),
            _link(request, "accounts:signup", "Créer un compte", "fr-icon-add-circle-line"),
        ]
        return {"nav": {"main": main, "tools": tools}}
    main.append(_link(request, "accounts:dashboard", "Mon espace"))
    if user.has_role(Role.ADMINISTRATEUR):
        main.append(_link(request, "accounts:api_tokens", "Jetons d'API"))
    tools = [_link(request, "accounts:dashboard", "Mon espace", "fr-icon-account-circle-line")]
    return {"nav": {"main": main, "tools": tools}}
