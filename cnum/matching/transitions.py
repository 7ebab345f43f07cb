"""The match status machine (docs/domaine.md#statuts-mise-en-relation): every move, and who
may make it.

Structure moves need an active manager of the match's structure; validations need the national
administration; the platform (scheduled tasks, reactions to a candidate's change) uses PLATFORM.
Side effects that must happen with the move (quota, conseiller role, closing other matches) and
the e-mails after commit belong to recruitment, which builds on matching: it plugs them into
`Match.workflow` at start-up (cnum.recruitment.apps).
"""

from cnum.matching.enums import ContactStatus as C
from cnum.matching.enums import MatchStatus as S
from cnum.structures.transitions import is_admin, manages
from cnum.workflow.engine import PLATFORM


def manager(actor, match):
    return manages(actor, match.structure)


def manager_or_admin(actor, match):
    return is_admin(actor) or manages(actor, match.structure)


def admin(actor, match):
    return is_admin(actor)


def platform(actor, match):
    return actor is PLATFORM


MATCH_TRANSITIONS = {
    # The structure sorts its candidates.
    (S.NOUVELLE, S.INTERESSEE): manager,
    (S.NOUVELLE, S.NON_INTERESSEE): manager,
    (S.INTERESSEE, S.NON_INTERESSEE): manager,
    (S.INTERESSEE, S.NOUVELLE): manager,
    (S.NON_INTERESSEE, S.NOUVELLE): manager,
    (S.NON_INTERESSEE, S.INTERESSEE): manager,
    # Recruitment: requested with a contract (quota checked), validated, or cancelled.
    (S.INTERESSEE, S.RECRUTEE): manager,
    (S.RECRUTEE, S.INTERESSEE): manager_or_admin,
    (S.RECRUTEE, S.FINALISEE): admin,
    # End of contract: notified by the structure, validated (or cancelled) by the administration.
    (S.FINALISEE, S.NOUVELLE_RUPTURE): manager,
    (S.NOUVELLE_RUPTURE, S.FINALISEE): manager_or_admin,
    (S.NOUVELLE_RUPTURE, S.FINALISEE_RUPTURE): admin,
    # Renewal: drafted by the structure, validated by the administration (or dropped).
    (S.FINALISEE, S.RENOUVELLEMENT_INITIE): manager,
    (S.RENOUVELLEMENT_INITIE, S.FINALISEE): manager_or_admin,
    (S.FINALISEE, S.TERMINEE): lambda actor, match: actor is PLATFORM or is_admin(actor),
    # The platform follows the candidate: unavailable, available again, recruited elsewhere.
    **{(frm, S.NON_DISPONIBLE): platform for frm in (S.NOUVELLE, S.INTERESSEE, S.NON_INTERESSEE)},
    (S.NON_DISPONIBLE, S.NOUVELLE): platform,
    **{
        (frm, S.FINALISEE_NON_DISPONIBLE): platform
        for frm in (S.NOUVELLE, S.INTERESSEE, S.NON_INTERESSEE, S.RECRUTEE, S.NON_DISPONIBLE)
    },
    (S.FINALISEE_NON_DISPONIBLE, S.NOUVELLE): platform,
    # Left waiting too long (docs/domaine.md#mises-en-relation-perimees): the platform closes
    # it; the structure may take the candidate up again, the platform still follows them.
    (S.NOUVELLE, S.EXPIREE): platform,
    (S.INTERESSEE, S.EXPIREE): platform,
    (S.EXPIREE, S.NOUVELLE): manager,
    (S.EXPIREE, S.INTERESSEE): manager,
    (S.EXPIREE, S.NON_INTERESSEE): manager,
    (S.EXPIREE, S.NON_DISPONIBLE): platform,
    (S.EXPIREE, S.FINALISEE_NON_DISPONIBLE): platform,
}


# How the pages name each move (by target, or by (from, to) where the target says too little).
MATCH_LABELS = {
    (S.NOUVELLE, S.INTERESSEE): "Présélection par la structure",
    (S.NON_INTERESSEE, S.INTERESSEE): "Présélection par la structure",
    (S.INTERESSEE, S.NON_INTERESSEE): "Candidature écartée par la structure",
    (S.NOUVELLE, S.NON_INTERESSEE): "Candidature écartée par la structure",
    (S.INTERESSEE, S.NOUVELLE): "Remise parmi les nouvelles candidatures",
    (S.NON_INTERESSEE, S.NOUVELLE): "Remise parmi les nouvelles candidatures",
    S.RECRUTEE: "Recrutement demandé",
    (S.RECRUTEE, S.INTERESSEE): "Demande de recrutement annulée",
    (S.RECRUTEE, S.FINALISEE): "Recrutement validé",
    S.NOUVELLE_RUPTURE: "Rupture de contrat signalée",
    (S.NOUVELLE_RUPTURE, S.FINALISEE): "Rupture de contrat annulée",
    S.FINALISEE_RUPTURE: "Rupture de contrat validée",
    S.RENOUVELLEMENT_INITIE: "Renouvellement proposé",
    (S.RENOUVELLEMENT_INITIE, S.FINALISEE): "Renouvellement traité",
    S.TERMINEE: "Fin du contrat",
    S.NON_DISPONIBLE: "Candidat devenu indisponible",
    (S.NON_DISPONIBLE, S.NOUVELLE): "Candidat de nouveau disponible",
    S.FINALISEE_NON_DISPONIBLE: "Candidat recruté par une autre structure",
    (S.FINALISEE_NON_DISPONIBLE, S.NOUVELLE): "Candidat de nouveau disponible",
    S.EXPIREE: "Close sans suite : délai dépassé",
    (S.EXPIREE, S.NOUVELLE): "Remise parmi les nouvelles candidatures",
    (S.EXPIREE, S.INTERESSEE): "Présélection par la structure",
    (S.EXPIREE, S.NON_INTERESSEE): "Candidature écartée par la structure",
}


def candidate_self(actor, request):
    return getattr(actor, "pk", None) is not None and actor.pk == request.candidate.user_id


# A contact request is answered by the candidate alone, who may change their mind later.
CONTACT_TRANSITIONS = {
    (C.EN_ATTENTE, C.ACCEPTEE): candidate_self,
    (C.EN_ATTENTE, C.REFUSEE): candidate_self,
    (C.ACCEPTEE, C.REFUSEE): candidate_self,
    (C.REFUSEE, C.ACCEPTEE): candidate_self,
}


def notify_contact(request, log):
    """The structure's managers learn the candidate's answer (after commit)."""
    from cnum.matching.contact import notify_answer

    notify_answer(request, log)
