"""Every periodic job of the platform, declared once: name, label, schedule, what runs, retries.

`manage.py run_scheduler` hands each one to the task worker at its ticks (cron expressions,
Europe/Paris time); the administration follows them on /exploitation/taches/. To add a job,
append one `Job(...)` line to JOBS: ops sits above every domain app (docs/architecture.md#couches),
so the jobs of every app are declared here. `register()` adds one at run time (a test's settings).
Retry only what is idempotent: a retry runs the whole job again.
"""

import datetime
from dataclasses import dataclass

from django.core.management import call_command
from django.utils.module_loading import import_string

MINUTES = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str  # unique, stable: runs are recorded under it
    label: str  # French, for the administration
    cron: str  # minute hour day month weekday (weekdays as names: mon-fri)
    command: tuple[str, ...] = ()  # a management command and its arguments…
    call: str = ""  # …or the dotted path of a function taking no argument
    retries: int = 0  # further attempts after a failure
    retry_delay: datetime.timedelta = 5 * MINUTES
    # How long the job's lease lasts: a worker that dies releases it after this long, so keep it
    # above the longest normal run.
    max_duration: datetime.timedelta = 60 * MINUTES

    @property
    def attempts(self):
        return 1 + self.retries

    @property
    def command_line(self):
        return " ".join(("manage.py", *self.command)) if self.command else self.call

    def run(self, output):
        """Run the job here and now, writing what it prints (or returns) to `output`."""
        if self.call:
            output.write(str(import_string(self.call)() or ""))
        else:
            call_command(*self.command, stdout=output, stderr=output)


JOBS = [
    # Before the purges: last night's state is the one kept.
    Job("backup", "Sauvegarde de la base et des fichiers déposés",
        "30 1 * * *", ("backup",), retries=1, max_duration=180 * MINUTES),
    Job("end_contracts", "Clôture des contrats arrivés à échéance sans renouvellement",
        "30 0 * * *", ("end_contracts",), retries=2),
    Job("purge_cvs", "Suppression des CV déposés il y a plus de six mois",
        "0 3 * * *", ("purge_cvs",), retries=2),
    Job("purge_workshop_registrations",
        "Effacement des inscriptions aux ateliers passés et des demandes non confirmées",
        "5 3 * * *", ("purge_workshop_registrations",), retries=2),
    Job("purge_inactive_candidates",
        "Candidats inactifs : avertissement à 29 mois, suppression à 30 mois",
        "10 3 * * *", ("purge_inactive_candidates",), retries=2),
    Job("purge_beneficiaries", "Effacement des bénéficiaires suivis sans activité depuis 24 mois",
        "15 3 * * *", ("purge_beneficiaries",), retries=2),
    Job("anonymise_referrals", "Anonymisation des orientations terminées depuis un an",
        "17 3 * * *", ("anonymise_referrals",), retries=2),
    Job("purge_mandates", "Suppression des mandats échus au-delà de la durée de conservation",
        "20 3 * * *", ("purge_mandates", "--apply"), retries=2),
    Job("cleartokens", "Effacement des codes et jetons OpenID Connect échus",
        "25 3 * * *", ("cleartokens",), retries=2),
    Job("process_inactive_accounts",
        "Comptes inactifs : avertissement, désactivation puis anonymisation",
        "30 3 * * *", ("process_inactive_accounts",)),
    # Checks: a failure is a finding to investigate, not a hiccup to retry.
    Job("verify_journal", "Vérification de l'intégrité du journal Aidants Connect",
        "40 3 * * *", ("verify_journal",)),
    Job("verify_ledger", "Vérification du grand livre (chaque solde égale ses écritures)",
        "45 3 * * *", ("verify_ledger",)),
    Job("rebuild_matches", "Vérification de la cohérence des mises en relation",
        "50 3 * * *", ("rebuild_matches", "--check")),
    # Declared here, not from matching/candidates' ready(): those apps sit below ops.
    Job("close_stale_matches",
        "Clôture des mises en relation restées sans suite au-delà du délai",
        "0 6 * * *", ("close_stale_matches",), retries=2),
    Job("send_availability_survey", "Candidats disponibles : « toujours disponible ? »",
        "0 10 * * *", ("send_availability_survey",), retries=2),
    # The digest is not idempotent (a retry would send it twice); the reminders are.
    Job("send_prefet_digest", "Courriel aux préfets : dossiers qui attendent leur avis",
        "30 7 * * *", ("send_prefet_digest",)),
    Job("send_mandate_reminders", "Rappel des mandats qui expirent dans les 30 jours",
        "0 8 * * *", ("send_mandate_reminders",), retries=2),
    # Idempotent: a reminder is claimed on its row before its mail, an expiry is a move.
    Job("process_referrals", "Orientations : relance à 10 jours, expiration à 30 jours",
        "5 9 * * *", ("process_referrals",), retries=2),
    Job("send_workshop_reminders", "Rappel aux inscrits des ateliers du lendemain",
        "0 9 * * *", ("send_workshop_reminders",), retries=2),
    # Declared here, not from followup's ready(): followup sits below ops. Idempotent: a row per
    # (silence, level) and per (contract, level) is written with each reminder.
    Job("send_inactivity_reminders", "Rappels aux conseillers sans activité enregistrée",
        "15 9 * * *", ("send_inactivity_reminders",), retries=2),
    Job("send_contract_reminders", "Rappels aux structures des contrats qui prennent fin",
        "20 9 * * *", ("send_contract_reminders",), retries=2),
    Job("publish_stats", "Recalcul des statistiques publiques",
        "*/15 * * * *", ("publish_stats",), max_duration=10 * MINUTES),
    # Both idempotent: a row per recipient claimed before sending, a row per user × step.
    Job("resume_mailings", "Reprise des courriels groupés dont l'envoi s'est interrompu",
        "*/15 * * * *", call="cnum.communication.mailings.resume_sending", retries=1,
        max_duration=10 * MINUTES),
    Job("send_welcome_mails", "Parcours d'accueil : courriels à J0, J+7 et J+30",
        "30 8 * * *", call="cnum.communication.welcome.send_due_steps", retries=2),
]  # fmt: skip

_extra = []


def register(job):
    """Declare a job at run time (the launch test's settings add a job due every minute)."""
    if all(existing.name != job.name for existing in jobs()):
        _extra.append(job)


def jobs():
    return [*JOBS, *_extra]


def get(name):
    """The job called `name`, or None."""
    return next((job for job in jobs() if job.name == name), None)
