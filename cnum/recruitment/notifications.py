"""E-mails after each recruitment move: to the structure's managers and to the person.

Sorting moves (nouvelle ↔ interessee ↔ nonInteressee) and the platform's availability moves send
nothing: they are the structure's working notes, not news for anyone.
"""

from django.urls import reverse

from cnum.core.mail import send_templated_email
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment.enums import ContractState

# (from, to) or to → (subject, sentence for the managers, sentence for the person or None)
MESSAGES = {
    S.RECRUTEE: (
        "Demande de recrutement enregistrée",
        "Votre demande de recrutement de {person} est transmise à l'administration, qui va "
        "l'examiner.",
        "La structure {structure} demande à vous recruter comme conseiller numérique. "
        "L'administration du dispositif doit encore valider ce recrutement.",
    ),
    (S.RECRUTEE, S.INTERESSEE): (
        "Demande de recrutement annulée",
        "La demande de recrutement de {person} est annulée.",
        "La demande de recrutement de la structure {structure} est annulée.",
    ),
    (S.RECRUTEE, S.FINALISEE): (
        "Recrutement validé",
        "Le recrutement de {person} est validé : {person} est désormais conseiller numérique "
        "de votre structure.",
        "Votre recrutement par {structure} est validé : vous êtes désormais conseiller "
        "numérique. Votre structure, votre contrat et votre formation sont sur votre page « Mon "
        "emploi ».",
    ),
    (S.RECRUTEE, S.FINALISEE_NON_DISPONIBLE): (
        "Candidat recruté par une autre structure",
        "{person} a été recruté par une autre structure : votre demande de recrutement est "
        "close et le poste redevient disponible.",
        None,
    ),
    S.NOUVELLE_RUPTURE: (
        "Rupture de contrat signalée",
        "La fin du contrat de {person} est signalée à l'administration, qui va l'examiner.",
        "La structure {structure} a signalé la fin de votre contrat. L'administration du "
        "dispositif doit encore la valider.",
    ),
    (S.NOUVELLE_RUPTURE, S.FINALISEE): (
        "Rupture de contrat annulée",
        "La rupture du contrat de {person} est annulée : le contrat continue.",
        "La rupture de votre contrat avec {structure} est annulée : votre contrat continue.",
    ),
    S.FINALISEE_RUPTURE: (
        "Rupture de contrat validée",
        "La rupture du contrat de {person} est validée : le poste est de nouveau disponible.",
        "La fin de votre contrat avec {structure} est validée. Votre profil de candidat est de "
        "nouveau visible des structures qui recrutent.",
    ),
    S.RENOUVELLEMENT_INITIE: (
        "Renouvellement de contrat proposé",
        "Le renouvellement du contrat de {person} est transmis à l'administration.",
        "La structure {structure} propose de renouveler votre contrat. L'administration du "
        "dispositif doit encore valider ce renouvellement.",
    ),
    (S.RENOUVELLEMENT_INITIE, S.FINALISEE, "validated"): (
        "Renouvellement de contrat validé",
        "Le renouvellement du contrat de {person} est validé.",
        "Le renouvellement de votre contrat avec {structure} est validé.",
    ),
    (S.RENOUVELLEMENT_INITIE, S.FINALISEE, "dropped"): (
        "Renouvellement de contrat abandonné",
        "Le renouvellement du contrat de {person} est abandonné ; le contrat en cours continue "
        "jusqu'à son terme.",
        "Le renouvellement de votre contrat avec {structure} est abandonné ; votre contrat en "
        "cours continue jusqu'à son terme.",
    ),
    S.TERMINEE: (
        "Contrat terminé",
        "Le contrat de {person} est arrivé à son terme : le poste est de nouveau disponible.",
        "Votre contrat avec {structure} est arrivé à son terme. Votre profil de candidat est de "
        "nouveau visible des structures qui recrutent.",
    ),
}


def _message(match, log):
    key = (log.from_status, log.to_status)
    if key == (S.RENOUVELLEMENT_INITIE, S.FINALISEE):
        latest = match.contracts.order_by("-pk").first()
        outcome = "validated" if latest and latest.state == ContractState.CURRENT else "dropped"
        return MESSAGES.get((*key, outcome))
    return MESSAGES.get(key) or MESSAGES.get(log.to_status)


def _person_page(log):
    """A validated recruitment leads the new conseiller to "Mon emploi"; the rest to their space."""
    if (log.from_status, log.to_status) == (S.RECRUTEE, S.FINALISEE):
        return "profiles:my_job"
    return "accounts:dashboard"


def notify(match, log):
    """Called after the transition's commit (Match.workflow.on_commit)."""
    message = _message(match, log)
    if message is None:
        return
    subject, for_managers, for_person = message
    structure, person = match.structure, match.candidate.user
    names = {"person": person.get_full_name() or person.email, "structure": structure.name}
    # The comment written for the administration (contract form, decision) stays internal: the
    # person is told what happened, never the structure's or the administration's notes.
    context = {"structure": structure, "log": log, "subject": subject, "show_comment": False}
    managers = structure.manager_emails()
    if managers:
        send_templated_email(
            "recruitment/emails/match_moved",
            {
                **context,
                "text": for_managers.format(**names),
                "link": reverse("recruitment:match", kwargs={"pk": match.pk}),
                "show_comment": True,
            },
            managers,
        )
    if for_person:
        send_templated_email(
            "recruitment/emails/match_moved",
            {
                **context,
                "text": for_person.format(**names),
                "link": reverse(_person_page(log)),
            },
            [person.email],
        )
