"""The match status machine of domain §4: every move, who may make it.

Structure moves need an active manager of the match's structure; validations need the national
administration; the platform (scheduled tasks, reactions to a candidate's change) uses PLATFORM.
Side effects that must happen with the move (quota, conseiller role, closing other matches) are
in `EFFECTS`; e-mails go after commit through `notify`.
"""

from cnum.core.workflow import PLATFORM
from cnum.matching.enums import ContactStatus as C
from cnum.matching.enums import MatchStatus as S
from cnum.structures.transitions import is_admin, manages


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
}


def _recruitment_effect(name):
    """Defer to cnum.recruitment.effects (imported on first use: it needs loaded models)."""

    def effect(match, log):
        from cnum.recruitment import effects

        return getattr(effects, name)(match, log)

    effect.__name__ = name
    return effect


# target status → function(match, log) run inside the transition's transaction (it can read
# log.from_status). Quota on recrutee; conseiller role and closing other matches on finalisee;
# freeing the post on finalisee_rupture and terminee (see cnum.recruitment.effects).
EFFECTS = {
    S.RECRUTEE: _recruitment_effect("on_recrutee"),
    S.INTERESSEE: _recruitment_effect("on_interessee"),
    S.FINALISEE: _recruitment_effect("on_finalisee"),
    S.FINALISEE_NON_DISPONIBLE: _recruitment_effect("on_finalisee_non_disponible"),
    S.FINALISEE_RUPTURE: _recruitment_effect("on_finalisee_rupture"),
    S.TERMINEE: _recruitment_effect("on_terminee"),
}


def notify(match, log):
    """E-mails after commit to the structure's managers and the person (recruitment moves)."""
    from cnum.recruitment.notifications import notify as send

    send(match, log)


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
