"""The "À faire" block of each landing page: per role, a few counts with the page that settles
them. Each count is one query (territories and memberships are subqueries, never loaded first).
See docs/mon-compte.md#a-faire.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role


@dataclass
class Item:
    label: str
    url: str
    count: int | None = None  # None: a sentence rather than a count


def _memberships(user, role):
    return Membership.objects.filter(user=user, role=role, is_active=True)


def _territory(user, departement="departement", region="region"):
    """The préfet's territory as a condition on `departement` / `region` fields."""
    prefectures = _memberships(user, Role.PREFET)
    return Q(**{f"{departement}__in": prefectures.values("organisation__departement")}) | Q(
        **{
            f"{region}__in": prefectures.filter(organisation__departement__isnull=True).values(
                "organisation__region"
            )
        }
    )


def _managed(user, role=Role.GESTIONNAIRE_STRUCTURE):
    return _memberships(user, role).values("organisation")


def prefet(user):
    from cnum.structures.enums import AWAITING_DECISION, AmendmentStatus
    from cnum.structures.models import PostAmendment, PrefetOpinion, Structure

    opinions = PrefetOpinion.objects.filter(structure=OuterRef("pk"))
    structures = (
        Structure.objects.submitted()
        .filter(_territory(user), status__in=AWAITING_DECISION)
        .exclude(Exists(opinions))
    )
    amendments = PostAmendment.objects.filter(
        _territory(user, "structure__departement", "structure__region"),
        status=AmendmentStatus.DEMANDEE,
        prefet_opinion="",
    )
    url = reverse("structures:decider_list")
    return [
        Item(
            "Structures en attente de votre avis",
            f"{url}?attente=on&avis=sans",
            structures.count(),
        ),
        Item("Demandes de postes en attente de votre avis", url, amendments.count()),
    ]


def administrateur(user):
    from cnum.matching.models import Match
    from cnum.places.models import Place, PlaceReport
    from cnum.profiles.models import CorrectionStatus, StructureCorrection
    from cnum.recruitment.services import DECISIONS
    from cnum.structures.enums import AWAITING_DECISION
    from cnum.structures.models import Structure

    awaiting = Structure.objects.submitted().filter(status__in=AWAITING_DECISION)
    corrections = StructureCorrection.objects.filter(status=CorrectionStatus.DEMANDEE)
    return [
        Item(
            "Recrutements, ruptures et renouvellements à valider",
            reverse("recruitment:queue"),
            Match.objects.filter(status__in=list(DECISIONS)).count(),
        ),
        Item(
            "Structures à décider",
            f"{reverse('structures:decider_list')}?attente=on",
            awaiting.count(),
        ),
        Item(
            "Lieux à modérer",
            reverse("places:moderation"),
            Place.objects.awaiting_moderation().count(),
        ),
        Item(
            "Erreurs signalées sur les lieux",
            reverse("places:reports"),
            PlaceReport.objects.pending().count(),
        ),
        Item(
            "Corrections de structures demandées",
            reverse("profiles:corrections"),
            corrections.count(),
        ),
    ]


def operateur_financier(user):
    from cnum.funding.enums import OPEN_PAYMENT, DossierStatus
    from cnum.funding.models import Dossier, PaymentRequest

    url = reverse("funding:queue")
    return [
        Item(
            "Dossiers de conventionnement à examiner",
            url,
            Dossier.objects.filter(status=DossierStatus.DEPOSE).count(),
        ),
        Item(
            "Demandes de versement à traiter",
            url,
            PaymentRequest.objects.filter(status__in=OPEN_PAYMENT).count(),
        ),
    ]


def gestionnaire_structure(user):
    from cnum.funding.enums import DossierStatus
    from cnum.funding.models import Dossier
    from cnum.matching.enums import MatchStatus
    from cnum.matching.models import Match

    managed = _managed(user)
    matches = Match.objects.filter(structure__in=managed)
    dossiers = Dossier.objects.filter(
        convention__structure__in=managed,
        status__in=[DossierStatus.BROUILLON, DossierStatus.A_COMPLETER],
    )
    space = reverse("structures:space")
    return [
        Item(
            "Candidats proposés à examiner",
            space,
            matches.filter(status=MatchStatus.NOUVELLE).count(),
        ),
        Item(
            "Recrutements en attente de validation",
            space,
            matches.filter(status=MatchStatus.RECRUTEE).count(),
        ),
        Item(
            "Dossiers de convention à compléter ou déposer",
            reverse("funding:space"),
            dossiers.count(),
        ),
    ]


def conseiller(user):
    from cnum.activity.models import Cra
    from cnum.workshops.enums import RegistrationStatus
    from cnum.workshops.models import Workshop

    now = timezone.localtime()
    first_day = datetime.date(now.year, now.month, 1)
    recorded = Cra.objects.filter(conseiller=user, date__gte=first_day).count()
    unmarked = (
        Workshop.objects.filter(
            conseiller=user,
            cancelled_at__isnull=True,
            starts_at__lt=now,
            registrations__status=RegistrationStatus.INSCRITE,
            registrations__attended__isnull=True,
        )
        .values("pk")
        .distinct()
    )
    items = [
        Item(
            "Ateliers passés dont les présences sont à noter",
            reverse("workshops:mine"),
            unmarked.count(),
        )
    ]
    if not recorded:
        items.insert(
            0,
            Item(
                "Aucune activité enregistrée ce mois-ci : saisissez vos accompagnements",
                reverse("activity:entry"),
            ),
        )
    else:
        items.insert(
            0, Item("Activités enregistrées ce mois-ci", reverse("activity:history"), recorded)
        )
    return items


def candidat(user):
    from cnum.candidates.models import CandidateProfile

    space = reverse("candidates:space")
    profile = (
        CandidateProfile.objects.filter(user=user)
        .values("activated_at", "is_available", "cv_file", "pix_level")
        .first()
    )
    if profile is None:
        return [Item("Votre candidature n'est pas encore remplie : complétez votre profil", space)]
    if profile["activated_at"] is None:
        state = "Candidature en attente de confirmation de votre adresse électronique"
    elif profile["is_available"]:
        state = "Candidature active : les structures proches de chez vous peuvent vous trouver"
    else:
        state = "Candidature en pause : vous êtes indiqué comme indisponible"
    items = [Item(state, space)]
    if not profile["cv_file"]:
        items.append(Item("Il manque votre CV", space))
    if profile["pix_level"] is None:
        items.append(Item("Il manque vos résultats Pix", reverse("candidates:pix")))
    return items


SECTIONS = {
    Role.PREFET: prefet,
    Role.ADMINISTRATEUR: administrateur,
    Role.OPERATEUR_FINANCIER: operateur_financier,
    Role.GESTIONNAIRE_STRUCTURE: gestionnaire_structure,
    Role.CONSEILLER: conseiller,
    Role.CANDIDAT: candidat,
}


def todo_for(user):
    """[(role label, [Item])] for each role of the person that has something to follow."""
    return [
        (Role(role).label, build(user)) for role, build in SECTIONS.items() if role in user.roles
    ]
