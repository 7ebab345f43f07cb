"""Contracts and ruptures of a match (docs/domaine.md#contrats). The recruitment's status lives
on the Match (cnum.matching); contracts and ruptures follow it through their own small machines
(cnum.recruitment.transitions)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.lookups import GreaterThanOrEqual

from cnum.core.dates import add_years
from cnum.recruitment import transitions
from cnum.recruitment.enums import ContractState, ContractType, RuptureMotif, RuptureState
from cnum.recruitment.smic import FULL_TIME_WEEKLY_HOURS, SMIC_FLOOR, smic_for_hours
from cnum.workflow.engine import Workflow

# Bounds of a contract as entered; anything outside is a typing mistake. The longest contract
# with an end date in the list is the public "contrat de projet" (6 years at most).
CONTRACT_MAX_YEARS = 6
# Entered up to 2 years after it started, or ahead of time (a renewal before the current ends).
START_MAX_YEARS_AGO = 2
START_MAX_YEARS_AHEAD = 3
SALARY_CEILING = Decimal("10000.00")
# Weekly hours of a contract in the programme: at least 1, at most a full time.
MIN_WEEKLY_HOURS = 1
MAX_WEEKLY_HOURS = FULL_TIME_WEEKLY_HOURS
WEEKLY_HOURS_ERROR = (
    f"Indiquez une durée hebdomadaire entre {MIN_WEEKLY_HOURS} et {MAX_WEEKLY_HOURS} heures."
)
# What the database itself refuses (it cannot know today's date): the programme began in 2020.
EARLIEST_START = datetime.date(2020, 1, 1)
LATEST_END = datetime.date(2099, 12, 31)


class ContractQuerySet(models.QuerySet):
    def current(self):
        return self.filter(state=ContractState.CURRENT)

    def draft(self):
        return self.filter(state=ContractState.DRAFT)


class Contract(models.Model):
    """One contract of a match: the current one, a renewal draft, or a past/dropped one."""

    match = models.ForeignKey(
        "matching.Match",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name="mise en relation",
    )
    type = models.CharField("type de contrat", max_length=30, choices=ContractType.choices)
    start_date = models.DateField("date de début")
    end_date = models.DateField("date de fin", null=True, blank=True)
    gross_monthly_salary = models.DecimalField(
        "salaire brut mensuel (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    weekly_hours = models.PositiveSmallIntegerField(
        "durée hebdomadaire (heures)",
        default=FULL_TIME_WEEKLY_HOURS,
        validators=[
            MinValueValidator(MIN_WEEKLY_HOURS, WEEKLY_HOURS_ERROR),
            MaxValueValidator(MAX_WEEKLY_HOURS, WEEKLY_HOURS_ERROR),
        ],
    )
    state = models.CharField(
        "état", max_length=10, choices=ContractState.choices, default=ContractState.CURRENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    # Set by the administration when it validates a renewal draft (read by the transition effect).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ContractQuerySet.as_manager()
    workflow = Workflow(
        field="state",
        transitions=transitions.CONTRACT_TRANSITIONS,
        labels=transitions.CONTRACT_LABELS,
    )

    class Meta:
        verbose_name = "contrat"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type=ContractType.CDI, end_date__isnull=True)
                | (~Q(type=ContractType.CDI) & Q(end_date__isnull=False)),
                name="contract_end_date_unless_cdi",
                violation_error_message="Date de fin obligatoire, sauf pour un CDI qui n'en a pas.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="contract_ends_after_start",
                violation_error_message="La date de fin doit suivre la date de début.",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=MIN_WEEKLY_HOURS)
                & Q(weekly_hours__lte=MAX_WEEKLY_HOURS),
                name="contract_weekly_hours_range",
                violation_error_message=WEEKLY_HOURS_ERROR,
            ),
            # The lowest SMIC ever, prorated to the hours (salary × 35 ≥ SMIC × hours: exact).
            models.CheckConstraint(
                condition=Q(gross_monthly_salary__isnull=True)
                | Q(
                    GreaterThanOrEqual(
                        F("gross_monthly_salary") * Value(FULL_TIME_WEEKLY_HOURS),
                        Value(SMIC_FLOOR) * F("weekly_hours"),
                    )
                ),
                name="contract_salary_floor",
                violation_error_message="Le salaire ne peut pas être inférieur au SMIC.",
            ),
            models.CheckConstraint(
                condition=Q(gross_monthly_salary__isnull=True)
                | Q(gross_monthly_salary__lte=SALARY_CEILING),
                name="contract_salary_ceiling",
                violation_error_message="Le salaire brut mensuel dépasse le plafond admis.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__gte=EARLIEST_START)
                & (Q(end_date__isnull=True) | Q(end_date__lte=LATEST_END)),
                name="contract_dates_in_range",
                violation_error_message="Les dates du contrat sont hors des limites admises.",
            ),
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(state=ContractState.CURRENT),
                name="one_current_contract_per_match",
            ),
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(state=ContractState.DRAFT),
                name="one_renewal_draft_per_match",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.start_date:%d/%m/%Y}"

    def clean(self):
        errors = contract_errors(
            self.type,
            self.start_date,
            self.end_date,
            self.gross_monthly_salary,
            weekly_hours=self.weekly_hours,
        )
        if errors:
            raise ValidationError(errors)


def euros(amount):
    """French display of an amount: 1 823,03 €."""
    return f"{amount:,.2f} €".replace(",", " ").replace(".", ",")


def contract_errors(type_, start, end, salary, today=None, *, weekly_hours=MAX_WEEKLY_HOURS):
    """French messages per field for the contract rules; empty when the contract is valid.
    The SMIC floor of the salary is prorated to `weekly_hours` (the hours themselves are checked
    by the field)."""
    from cnum.candidates.services import today as paris_today

    today = today or paris_today()
    errors = {
        "start_date": _start_error(start, today),
        "end_date": _end_error(type_, start, end),
        "gross_monthly_salary": _salary_error(salary, start, today, weekly_hours),
    }
    return {field: message for field, message in errors.items() if message}


def _start_error(start, today):
    if start and start < add_years(today, -START_MAX_YEARS_AGO):
        return (
            f"La date de début ne peut pas remonter à plus de {START_MAX_YEARS_AGO} ans : "
            "vérifiez l'année."
        )
    if start and start > add_years(today, START_MAX_YEARS_AHEAD):
        return (
            f"La date de début ne peut pas être à plus de {START_MAX_YEARS_AHEAD} ans d'ici : "
            "vérifiez l'année."
        )
    return None


def _end_error(type_, start, end):
    if type_ == ContractType.CDI and end is not None:
        return "Un CDI n'a pas de date de fin : laissez ce champ vide."
    if type_ and type_ != ContractType.CDI and end is None:
        return "Indiquez la date de fin du contrat (obligatoire sauf pour un CDI)."
    if start and end and end <= start:
        return "La date de fin doit être postérieure à la date de début."
    if start and end and end > add_years(start, CONTRACT_MAX_YEARS):
        return (
            f"Un contrat dure au plus {CONTRACT_MAX_YEARS} ans : la date de fin ne peut pas "
            f"dépasser le {add_years(start, CONTRACT_MAX_YEARS):%d/%m/%Y}."
        )
    return None


def _salary_error(salary, start, today, weekly_hours):
    if salary is None:
        return None
    if salary > SALARY_CEILING:
        return (
            f"Le salaire brut mensuel ne peut pas dépasser {euros(SALARY_CEILING)} : "
            "vérifiez le montant (salaire mensuel, pas annuel)."
        )
    if start:
        # The minimum wage in force when the contract starts, or today if it started already.
        day = max(start, today)
        if not isinstance(weekly_hours, int) or not (
            MIN_WEEKLY_HOURS <= weekly_hours <= MAX_WEEKLY_HOURS
        ):
            return None  # no floor for hours that are wrong: they have their own message
        smic = smic_for_hours(day, weekly_hours)
        if salary < smic and weekly_hours == FULL_TIME_WEEKLY_HOURS:
            return (
                f"Le salaire brut mensuel ne peut pas être inférieur au SMIC, soit {euros(smic)} "
                f"au {day:%d/%m/%Y}."
            )
        if salary < smic:
            return (
                "Le salaire brut mensuel ne peut pas être inférieur au SMIC au prorata de "
                f"{weekly_hours} h par semaine, soit {euros(smic)} au {day:%d/%m/%Y}."
            )
    return None


class RuptureQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=RuptureState.PENDING)


class Rupture(models.Model):
    """An end of contract notified by the structure, then validated or cancelled."""

    match = models.ForeignKey(
        "matching.Match",
        on_delete=models.PROTECT,
        related_name="ruptures",
        verbose_name="mise en relation",
    )
    motif = models.CharField("motif", max_length=30, choices=RuptureMotif.choices)
    date = models.DateField("date de fin effective")
    comment = models.TextField("commentaire", blank=True, validators=[MaxLengthValidator(1000)])
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notified_at = models.DateTimeField("signalée le", auto_now_add=True)
    state = models.CharField(
        "état", max_length=10, choices=RuptureState.choices, default=RuptureState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("traitée le", null=True, blank=True)

    objects = RuptureQuerySet.as_manager()
    workflow = Workflow(
        field="state",
        transitions=transitions.RUPTURE_TRANSITIONS,
        labels=transitions.RUPTURE_LABELS,
    )

    class Meta:
        verbose_name = "rupture de contrat"
        ordering = ["-notified_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(state=RuptureState.PENDING),
                name="one_pending_rupture_per_match",
            ),
            models.CheckConstraint(
                condition=Q(state=RuptureState.PENDING, decided_at__isnull=True)
                | (~Q(state=RuptureState.PENDING) & Q(decided_at__isnull=False)),
                name="rupture_decided_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.get_motif_display()} au {self.date:%d/%m/%Y}"


def rupture_errors(date, contract):
    """The rupture date must fall within the current contract."""
    if contract is None or date is None:
        return {}
    if date < contract.start_date:
        return {
            "date": "La date de fin ne peut pas précéder le début du contrat "
            f"({contract.start_date:%d/%m/%Y})."
        }
    if contract.end_date and date > contract.end_date:
        return {
            "date": "La date de fin ne peut pas dépasser la fin du contrat "
            f"({contract.end_date:%d/%m/%Y})."
        }
    return {}
