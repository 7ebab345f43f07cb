from django.urls import reverse

from cnum.accounts.roles import Role as R

# Who has an activity dashboard (cnum.stats.scopes.AUDIENCES).
STATS_AUDIENCES = (
    R.CONSEILLER,
    R.GESTIONNAIRE_STRUCTURE,
    R.COORDINATEUR,
    R.PREFET,
    R.ADMINISTRATEUR,
)

# (roles, url name, label, in the header). Everything a role may open is listed on its
# dashboard; the header keeps the daily entries so it stays readable for the administration.
TOOLS = [
    ((R.CANDIDAT,), "candidates:space", "Ma candidature", True),
    ((R.GESTIONNAIRE_STRUCTURE,), "structures:space", "Ma structure", True),
    ((R.GESTIONNAIRE_STRUCTURE,), "funding:space", "Financement", True),
    ((R.GESTIONNAIRE_STRUCTURE, R.CONSEILLER), "places:manage", "Lieux", True),
    ((R.CONSEILLER,), "places:my_places", "Mes lieux d'activité", False),
    ((R.GESTIONNAIRE_STRUCTURE,), "mandates:aidants", "Aidants Connect", True),
    ((R.CONSEILLER,), "activity:entry", "Saisir une activité", True),
    ((R.CONSEILLER, R.GESTIONNAIRE_STRUCTURE), "activity:history", "Activités", True),
    ((R.CONSEILLER,), "activity:beneficiaries", "Bénéficiaires suivis", False),
    (STATS_AUDIENCES, "stats:dashboard", "Statistiques d'activité", True),
    ((R.PREFET, R.ADMINISTRATEUR), "stats:steering", "Pilotage", True),
    ((R.CONSEILLER,), "workshops:mine", "Mes ateliers", True),
    ((R.GESTIONNAIRE_STRUCTURE,), "workshops:structure", "Ateliers", False),
    ((R.CONSEILLER,), "training:mine", "Ma formation", True),
    ((R.ORGANISME_FORMATION,), "training:space", "Mon organisme de formation", True),
    ((R.PREFET, R.ADMINISTRATEUR), "structures:decider_list", "Structures", True),
    ((R.PREFET, R.ADMINISTRATEUR), "candidates:admin_list", "Candidats", True),
    ((R.ADMINISTRATEUR,), "matching:reveals", "Consultations de candidats", False),
    ((R.PREFET, R.ADMINISTRATEUR), "recruitment:list", "Recrutements", True),
    ((R.ADMINISTRATEUR,), "recruitment:queue", "À valider", True),
    ((R.ADMINISTRATEUR,), "structures:sessions", "Comité de sélection", True),
    ((R.ADMINISTRATEUR,), "places:moderation", "Lieux à modérer", False),
    ((R.ADMINISTRATEUR,), "allocation:runs", "Répartition nationale", False),
    ((R.PREFET, R.ADMINISTRATEUR), "exports:index", "Exports", False),
    ((R.ADMINISTRATEUR,), "structures:calls", "Appels à manifestation d'intérêt", False),
    ((R.OPERATEUR_FINANCIER,), "funding:queue", "À traiter", True),
    ((R.OPERATEUR_FINANCIER, R.ADMINISTRATEUR), "funding:dashboard", "Enveloppes", True),
    ((R.OPERATEUR_FINANCIER, R.ADMINISTRATEUR), "funding:cost_report", "Coûts", False),
    ((R.ADMINISTRATEUR,), "funding:envelopes", "Gestion des enveloppes", False),
    ((R.ADMINISTRATEUR,), "funding:kit_types", "Catalogue des kits", False),
    ((R.ADMINISTRATEUR,), "training:admin_organisations", "Formation", True),
    ((R.AIDANT,), "mandates:home", "Mandats", True),
    ((R.ADMINISTRATEUR,), "mandates:habilitation_list", "Aidants Connect", True),
    ((R.ADMINISTRATEUR,), "partners:service_list", "Services partenaires", False),
    ((R.ADMINISTRATEUR,), "accounts:api_tokens", "Jetons d'API", False),
]


def _link(request, url_name, label, icon=""):
    url = reverse(url_name)
    return {"url": url, "label": label, "icon": icon, "current": request.path == url}


def tools_for(request):
    """The links of every tool the visitor's roles open, with whether the header shows them."""
    user = request.user
    return [
        {**_link(request, url_name, label), "in_header": in_header}
        for roles, url_name, label, in_header in TOOLS
        if user.has_role(*roles)
    ]


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
        ]
        return {"nav": {"main": main, "tools": tools}}
    main.append(_link(request, "accounts:dashboard", "Mon espace"))
    main += [link for link in tools_for(request) if link["in_header"]]
    tools = [_link(request, "accounts:dashboard", "Mon espace", "fr-icon-account-circle-line")]
    return {"nav": {"main": main, "tools": tools}}
