"""What each role may open, as links: the header's menus and the tools listed on "Mon espace".

This package sits above every domain app (it only names their URLs); only the template context
uses it (the header, and the tools listed on the accounts dashboard). Who may open a page is
enforced by its view; cnum/navigation/tests/test_agreement.py checks that every link here is
shown to exactly the roles the permission matrix lets in.
"""

from dataclasses import dataclass

from cnum.accounts.roles import Role as R

# Who has an activity dashboard (cnum.stats.scopes.AUDIENCES).
STATS_AUDIENCES = (
    R.CONSEILLER,
    R.GESTIONNAIRE_STRUCTURE,
    R.COORDINATEUR,
    R.PREFET,
    R.HUB,
    R.GRAND_RESEAU,
    R.ADMINISTRATEUR,
)

# Menus of the header, in order: (key, label). A menu with one link for the visitor is shown as
# that link; with several, as a button opening a sub-menu (DSFR `fr-nav__btn` + `fr-menu`).
GROUPS = [
    ("candidatures", "Candidatures & comité"),
    ("recrutements", "Recrutements"),
    ("activite", "Activité"),
    ("financement", "Financement"),
    ("formation", "Formation"),
    ("lieux", "Lieux & ateliers"),
    ("aidants", "Aidants Connect"),
    ("statistiques", "Statistiques"),
    ("reseau", "Réseau"),
    ("communication", "Communication"),
    ("administration", "Administration"),
]


@dataclass(frozen=True)
class Tool:
    roles: tuple
    url_name: str
    label: str
    group: str


TOOLS = [
    Tool((R.CANDIDAT,), "candidates:space", "Ma candidature", "candidatures"),
    Tool((R.GESTIONNAIRE_STRUCTURE,), "structures:space", "Ma structure", "candidatures"),
    Tool((R.PREFET, R.ADMINISTRATEUR), "structures:decider_list", "Structures", "candidatures"),
    Tool((R.PREFET, R.ADMINISTRATEUR), "candidates:admin_list", "Candidats", "candidatures"),
    Tool((R.ADMINISTRATEUR,), "structures:sessions", "Comité de sélection", "candidatures"),
    Tool(
        (R.ADMINISTRATEUR,),
        "structures:calls",
        "Appels à manifestation d'intérêt",
        "candidatures",
    ),
    Tool((R.ADMINISTRATEUR,), "matching:reveals", "Consultations de candidats", "candidatures"),
    Tool(
        (R.ADMINISTRATEUR,),
        "structures:designations",
        "Désignations de coordinateurs",
        "candidatures",
    ),
    Tool((R.PREFET, R.ADMINISTRATEUR), "recruitment:list", "Recrutements", "recrutements"),
    Tool((R.ADMINISTRATEUR,), "recruitment:queue", "À valider", "recrutements"),
    Tool((R.ADMINISTRATEUR,), "allocation:runs", "Répartition nationale", "recrutements"),
    Tool((R.CONSEILLER,), "activity:entry", "Saisir une activité", "activite"),
    Tool((R.CONSEILLER, R.GESTIONNAIRE_STRUCTURE), "activity:history", "Activités", "activite"),
    Tool((R.CONSEILLER,), "activity:beneficiaries", "Bénéficiaires suivis", "activite"),
    Tool((R.CONSEILLER,), "referrals:mine", "Mes orientations", "activite"),
    Tool((R.GESTIONNAIRE_STRUCTURE,), "referrals:received", "Orientations reçues", "activite"),
    Tool((R.GESTIONNAIRE_STRUCTURE,), "funding:space", "Financement", "financement"),
    Tool((R.OPERATEUR_FINANCIER,), "funding:queue", "À traiter", "financement"),
    Tool(
        (R.OPERATEUR_FINANCIER, R.ADMINISTRATEUR), "funding:dashboard", "Enveloppes", "financement"
    ),
    Tool((R.OPERATEUR_FINANCIER, R.ADMINISTRATEUR), "funding:cost_report", "Coûts", "financement"),
    Tool((R.ADMINISTRATEUR,), "funding:envelopes", "Gestion des enveloppes", "financement"),
    Tool((R.ADMINISTRATEUR,), "funding:kit_types", "Catalogue des kits", "financement"),
    Tool((R.CONSEILLER,), "training:mine", "Ma formation", "formation"),
    Tool((R.ORGANISME_FORMATION,), "training:space", "Mon organisme de formation", "formation"),
    Tool(
        (R.ADMINISTRATEUR,), "training:admin_organisations", "Organismes de formation", "formation"
    ),
    Tool((R.GESTIONNAIRE_STRUCTURE, R.CONSEILLER), "places:manage", "Lieux", "lieux"),
    Tool((R.CONSEILLER,), "places:my_places", "Mes lieux d'activité", "lieux"),
    Tool((R.ADMINISTRATEUR,), "places:moderation", "Lieux à modérer", "lieux"),
    Tool((R.CONSEILLER,), "places:my_listing", "Apparaître sur la carte", "lieux"),
    Tool((R.ADMINISTRATEUR,), "places:reports", "Erreurs signalées sur les lieux", "lieux"),
    Tool((R.CONSEILLER,), "workshops:mine", "Mes ateliers", "lieux"),
    Tool((R.GESTIONNAIRE_STRUCTURE,), "workshops:structure", "Ateliers de la structure", "lieux"),
    Tool((R.AIDANT,), "mandates:home", "Mandats", "aidants"),
    Tool((R.GESTIONNAIRE_STRUCTURE,), "mandates:aidants", "Aidants de la structure", "aidants"),
    Tool(
        (R.ADMINISTRATEUR, R.ORGANISME_FORMATION, R.GESTIONNAIRE_STRUCTURE),
        "mandates:training_sessions",
        "Formations des aidants",
        "aidants",
    ),
    Tool(
        (R.ADMINISTRATEUR,),
        "mandates:habilitation_list",
        "Habilitations Aidants Connect",
        "administration",
    ),
    Tool(STATS_AUDIENCES, "stats:dashboard", "Statistiques d'activité", "statistiques"),
    Tool((R.PREFET, R.ADMINISTRATEUR), "stats:steering", "Pilotage", "statistiques"),
    Tool((R.PREFET, R.ADMINISTRATEUR), "exports:index", "Exports", "statistiques"),
    Tool((R.HUB, R.GRAND_RESEAU), "networks:structures", "Structures du périmètre", "reseau"),
    Tool((R.HUB, R.GRAND_RESEAU), "networks:conseillers", "Conseillers du périmètre", "reseau"),
    Tool((R.ADMINISTRATEUR,), "networks:admin_list", "Grands réseaux", "administration"),
    Tool((R.COORDINATEUR,), "coordination:team", "Mon équipe", "reseau"),
    Tool(
        (
            R.ADMINISTRATEUR,
            R.PREFET,
            R.HUB,
            R.GRAND_RESEAU,
            R.GESTIONNAIRE_STRUCTURE,
            R.COORDINATEUR,
        ),
        "followup:inactive",
        "Conseillers sans activité",
        "reseau",
    ),  # fmt: skip
    Tool(
        (R.ADMINISTRATEUR, R.PREFET, R.HUB, R.GESTIONNAIRE_STRUCTURE),
        "followup:renewals",
        "Contrats à renouveler",
        "reseau",
    ),
    Tool((R.GESTIONNAIRE_STRUCTURE,), "followup:leaves", "Absences des conseillers", "reseau"),
    Tool((R.COORDINATEUR,), "coordination:activities", "Mes activités de coordination", "reseau"),
    Tool((R.ADMINISTRATEUR,), "coordination:admin_list", "Coordinateurs", "administration"),
    Tool((R.ADMINISTRATEUR,), "communication:mailing_list", "Courriels groupés", "communication"),
    Tool((R.ADMINISTRATEUR,), "communication:announcement_list", "Annonces", "communication"),
    Tool(tuple(R), "communication:resources", "Ressources", "communication"),
    Tool(
        (R.ADMINISTRATEUR,),
        "communication:resource_admin",
        "Gestion des ressources",
        "communication",
    ),
    Tool((R.ADMINISTRATEUR,), "communication:faq_admin", "Gestion de la FAQ", "communication"),
    Tool((R.ADMINISTRATEUR,), "partners:service_list", "Services partenaires", "administration"),
    Tool((R.ADMINISTRATEUR,), "api_tokens:list", "Jetons d'API", "administration"),
    Tool((R.ADMINISTRATEUR,), "accounts:admin_accounts", "Comptes et rôles", "administration"),
    Tool(
        (R.ADMINISTRATEUR,), "profiles:corrections", "Corrections de structures", "administration"
    ),
    Tool((R.ADMINISTRATEUR,), "ops:jobs", "Tâches planifiées", "administration"),
]
