"""The conseiller's job as the platform knows it ("Mon emploi"), read from the apps that own
each part: recruitment (employer, contract), training, coordination, places."""

from dataclasses import dataclass, field

from cnum.accounts.roles import Role


@dataclass
class Job:
    structure: object
    match: object = None
    contract: object = None
    draft: object = None
    rupture: object = None


@dataclass
class Employment:
    jobs: list = field(default_factory=list)
    training_state: object = None
    enrolment: object = None
    coordinators: list = field(default_factory=list)
    main_place: object = None
    other_places: list = field(default_factory=list)


def _jobs(user):
    from cnum.matching.enums import EMPLOYED
    from cnum.matching.models import Match
    from cnum.recruitment.policies import attach_live, with_recruitment_data
    from cnum.structures.models import Structure

    matches = attach_live(
        list(
            with_recruitment_data(
                Match.objects.filter(candidate__user=user, status__in=EMPLOYED)
            ).order_by("pk")
        )
    )
    jobs = [Job(m.structure, m, m.contract, m.draft, m.rupture) for m in matches]
    # A conseiller role given without a recruitment on the platform (history, imports).
    known = {job.structure.pk for job in jobs}
    extra = Structure.objects.filter(
        memberships__user=user, memberships__role=Role.CONSEILLER, memberships__is_active=True
    ).exclude(pk__in=known)
    return jobs + [Job(structure) for structure in extra.select_related("commune")]


def employment_of(user):
    from cnum.places.models import PlaceConseiller
    from cnum.stats.teams import coordinators_of
    from cnum.training.state import conseiller_state

    state, enrolment = conseiller_state(user)
    links = list(
        PlaceConseiller.objects.filter(conseiller=user)
        .select_related("place__commune")
        .order_by("-is_main", "place__nom")
    )
    return Employment(
        jobs=_jobs(user),
        training_state=state,
        enrolment=enrolment,
        coordinators=list(coordinators_of(user)),
        main_place=next((link.place for link in links if link.is_main), None),
        other_places=[link.place for link in links if not link.is_main],
    )


def _date(day):
    return day.isoformat() if day else None


def employment_export(user):
    """Contracts, training and places of the person, for the personal-data export."""
    from cnum.places.models import PlaceConseiller
    from cnum.recruitment.models import Contract
    from cnum.training.models import Enrolment

    contracts = Contract.objects.filter(match__candidate__user=user).select_related(
        "match__structure"
    )
    return {
        "contrats": [
            {
                "structure": c.match.structure.name,
                "type": c.get_type_display(),
                "debut": _date(c.start_date),
                "fin": _date(c.end_date),
                "heures_par_semaine": c.weekly_hours,
                "etat": c.get_state_display(),
            }
            for c in contracts.order_by("start_date", "pk")
        ],
        "formations": [
            {
                "organisme": e.organisation.name,
                "etat": e.get_status_display(),
                "debut": _date(e.started_on),
                "fin": _date(e.ended_on),
                "certification": e.get_certification_type_display(),
                "resultat": e.get_certification_result_display(),
            }
            for e in Enrolment.objects.filter(conseiller=user)
            .select_related("organisation")
            .order_by("pk")
        ],
        "lieux_d_activite": [
            {"lieu": link.place.nom, "principal": link.is_main}
            for link in PlaceConseiller.objects.filter(conseiller=user).select_related("place")
        ],
        "presence_sur_la_carte": _listing(user),
    }


def _listing(user):
    from cnum.places.models import ConseillerListing

    listing = ConseillerListing.objects.filter(conseiller=user).first()
    if listing is None:
        return None
    return {
        "visible": listing.visible,
        "telephone": listing.phone,
        "courriel": listing.email,
        "prise_de_rendez_vous": listing.booking_url,
    }
