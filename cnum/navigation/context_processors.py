"""The header's links for the current visitor: what their roles open, grouped in menus."""

from django.urls import reverse

from cnum.navigation.menu import GROUPS, TOOLS


def _link(request, url_name, label, icon=""):
    url = reverse(url_name)
    return {"url": url, "label": label, "icon": icon, "current": request.path == url}


def tools_for(request):
    """The links of every tool the visitor's roles open, each with its menu's key."""
    user = request.user
    return [
        {**_link(request, tool.url_name, tool.label), "group": tool.group}
        for tool in TOOLS
        if user.has_role(*tool.roles)
    ]


def _menus(links):
    """Header entries: one per menu that has links for the visitor, in the order of GROUPS."""
    menus = []
    for key, label in GROUPS:
        items = [link for link in links if link["group"] == key]
        if len(items) == 1:
            menus.append(items[0])
        elif items:
            current = any(item["current"] for item in items)
            menus.append({"id": f"menu-{key}", "label": label, "links": items, "current": current})
    return menus


def navigation(request):
    """Header links for the current visitor: what their roles give access to, nothing else."""
    user = request.user
    main = [
        _link(request, "core:home", "Accueil"),
        _link(request, "places:map", "Carte des lieux"),
        _link(request, "workshops:list", "Ateliers"),
        _link(request, "stats:public", "Statistiques publiques"),
    ]
    if not user.is_authenticated:
        tools = [
            _link(request, "accounts:login", "Se connecter", "fr-icon-account-circle-line"),
            _link(request, "accounts:signup", "Créer un compte", "fr-icon-add-circle-line"),
            _link(request, "candidates:apply", "Devenir conseiller", "fr-icon-user-add-line"),
            _link(request, "structures:apply", "Accueillir un conseiller", "fr-icon-building-line"),
        ]
        return {"nav": {"main": main, "tools": tools}}
    links = tools_for(request)
    main.append(_link(request, "accounts:dashboard", "Mon espace"))
    main += _menus(links)
    tools = [_link(request, "accounts:dashboard", "Mon espace", "fr-icon-account-circle-line")]
    # `all`: every tool of the visitor, listed on their dashboard ("Mon espace").
    return {"nav": {"main": main, "tools": tools, "all": links}}
