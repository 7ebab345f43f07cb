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
            _link(request, "candidates:apply", "Devenir conseiller", "fr-icon-user-add-line"),
        ]
        return {"nav": {"main": main, "tools": tools}}
    main.append(_link(request, "accounts:dashboard", "Mon espace"))
    if user.has_role(Role.CANDIDAT):
        main.append(_link(request, "candidates:space", "Ma candidature"))
    if user.has_role(Role.GESTIONNAIRE_STRUCTURE):
        main.append(_link(request, "structures:space", "Ma structure"))
    if user.has_role(Role.PREFET, Role.ADMINISTRATEUR):
        main.append(_link(request, "structures:decider_list", "Structures"))
        main.append(_link(request, "candidates:admin_list", "Candidats"))
    if user.has_role(Role.ADMINISTRATEUR):
        main.append(_link(request, "structures:sessions", "Comité de sélection"))
        main.append(_link(request, "structures:calls", "Appels à manifestation"))
    if user.has_role(Role.ADMINISTRATEUR):
        main.append(_link(request, "accounts:api_tokens", "Jetons d'API"))
    if user.has_role(Role.AIDANT):
        main.append(_link(request, "mandates:home", "Mandats"))
    if user.has_role(Role.GESTIONNAIRE_STRUCTURE):
        main.append(_link(request, "mandates:aidants", "Aidants Connect"))
    if user.has_role(Role.ADMINISTRATEUR):
        main.append(_link(request, "mandates:habilitation_list", "Aidants Connect"))
    tools = [_link(request, "accounts:dashboard", "Mon espace", "fr-icon-account-circle-line")]
    return {"nav": {"main": main, "tools": tools}}
