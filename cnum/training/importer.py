"""CSV import of training dates and certification results (csvparse reads the file).

Dry run by default: every line is applied inside a transaction that is then rolled back, so the
report says exactly what an import would do. With apply, everything commits in one transaction,
or nothing if any line is wrong, unless partial is asked (the valid lines then commit).
Idempotent: importing the same file again changes nothing.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.training import csvparse
from cnum.training.enums import IMPORT_COMMENT, EnrolmentStatus
from cnum.training.models import Enrolment, TrainingOrganisation
from cnum.training.services import log_creation, today
from cnum.training.transitions import is_admin
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition

E = EnrolmentStatus
CREATED, UPDATED, UNCHANGED = "créée", "mise à jour", "inchangée"


class LineRefused(Exception):
    pass


@dataclass
class Report:
    applied: bool = False
    partial: bool = False
    results: list = field(default_factory=list)  # (line number, action or None, error or "")

    def add(self, number, action="", error=""):
        self.results.append((number, action, error))

    @property
    def errors(self):
        return sorted((n, e) for n, _, e in self.results if e)

    def count(self, action):
        return sum(1 for _, a, e in self.results if a == action and not e)

    @property
    def valid(self):
        return sum(1 for _, _, e in self.results if not e)

    def lines(self):
        return sorted(self.results)


class Lookups:
    """Everything the lines refer to, fetched in a few queries for the whole file."""

    def __init__(self, lines):
        emails = {line.email for line in lines}
        self.users = {u.email: u for u in User.objects.filter(email__in=emails)}
        memberships = Membership.objects.filter(
            user__in=self.users.values(), role=Role.CONSEILLER, is_active=True
        ).order_by("-created_at", "-pk")
        self.structures = {}
        for user_id, structure_id in memberships.values_list("user_id", "organisation_id"):
            self.structures.setdefault(user_id, structure_id)
        sirets = {line.siret for line in lines}
        self.organisations = {
            o.siret: o for o in TrainingOrganisation.objects.filter(siret__in=sirets)
        }
        self.enrolments = {}
        for enrolment in Enrolment.objects.filter(conseiller__in=self.users.values()).current():
            self.enrolments.setdefault(enrolment.conseiller_id, []).append(enrolment)


def _target_status(current, started_on, ended_on):
    if ended_on:
        return E.TERMINEE
    if started_on and current in (E.INSCRITE, E.ABANDONNEE):
        return E.EN_COURS
    return current


PATHS = {  # how to reach a target status from the current one, through the table
    (E.INSCRITE, E.EN_COURS): [E.EN_COURS],
    (E.INSCRITE, E.TERMINEE): [E.EN_COURS, E.TERMINEE],
    (E.EN_COURS, E.TERMINEE): [E.TERMINEE],
    (E.ABANDONNEE, E.EN_COURS): [E.EN_COURS],
    (E.ABANDONNEE, E.TERMINEE): [E.EN_COURS, E.TERMINEE],
}


def _create(line, conseiller, structure_id, organisation, actor):
    status = _target_status(E.INSCRITE, line.started_on, line.ended_on)
    enrolment = Enrolment.objects.create(
        conseiller=conseiller,
        structure_id=structure_id,
        organisation=organisation,
        status=status,
        started_on=line.started_on,
        ended_on=line.ended_on,
        certification_type=line.certification_type,
        certification_result=line.result,
        certified_on=line.certified_on,
        enrolled_by=actor if getattr(actor, "pk", None) else None,
    )
    log_creation(enrolment, actor, IMPORT_COMMENT)
    return CREATED


def _update(line, enrolment, actor):
    values = {
        "started_on": line.started_on,
        "ended_on": line.ended_on,
        "certification_type": line.certification_type,
        "certification_result": line.result,
        "certified_on": line.certified_on,
    }
    changes = {k: v for k, v in values.items() if v and getattr(enrolment, k) != v}
    started = changes.get("started_on", enrolment.started_on)
    ended = changes.get("ended_on", enrolment.ended_on)
    target = _target_status(enrolment.status, started, ended)
    if changes.get("certification_type") and target == E.INSCRITE:
        raise LineRefused("une certification demande une date_debut")
    if not changes and target == enrolment.status:
        return UNCHANGED
    if changes:
        # Dates first: the database refuses a status without its dates.
        Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
    for step in PATHS.get((enrolment.status, target), []):
        apply_transition(enrolment, step, actor, IMPORT_COMMENT)
    return UPDATED


def apply_line(line, actor, lookups):
    conseiller = lookups.users.get(line.email)
    structure_id = lookups.structures.get(getattr(conseiller, "pk", None))
    if structure_id is None:
        raise LineRefused(f"aucun conseiller numérique en poste n'a l'adresse {line.email}")
    organisation = lookups.organisations.get(line.siret)
    if organisation is None:
        raise LineRefused(f"aucun organisme de formation n'a le SIRET {line.siret}")
    enrolments = lookups.enrolments.get(conseiller.pk, [])
    own = [e for e in enrolments if e.organisation_id == organisation.pk]
    if own:
        return _update(line, own[0], actor)
    other = next((e for e in enrolments if e.status in (E.INSCRITE, E.EN_COURS)), None)
    if other:
        raise LineRefused(f"déjà en formation chez {other.organisation.name}")
    if line.certification_type and not line.started_on:
        raise LineRefused("une certification demande une date_debut")
    return _create(line, conseiller, structure_id, organisation, actor)


def run_import(text, actor, *, apply=False, partial=False):
    """Import (or, by default, rehearse) a CSV file; returns the line-by-line Report."""
    if actor is not PLATFORM and not is_admin(actor):
        raise PermissionDenied
    lines, parse_errors = csvparse.parse(text, today())
    report = Report(partial=partial)
    for error in parse_errors:
        report.add(error.number, error=error.message)
    with transaction.atomic():
        lookups = Lookups(lines)
        for line in lines:
            try:
                with transaction.atomic():
                    report.add(line.number, apply_line(line, actor, lookups))
            except LineRefused as refusal:
                report.add(line.number, error=f"{str(refusal)[0].upper()}{str(refusal)[1:]}.")
            except (IntegrityError, InvalidTransition, PermissionDenied):
                report.add(line.number, error="Cette ligne contredit les données déjà saisies.")
        report.applied = apply and (partial or not report.errors) and report.valid > 0
        if not report.applied:
            transaction.set_rollback(True)
    return report
