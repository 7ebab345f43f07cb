"""Contract rules: end date unless CDI, after the start and within the longest contract; start
within a window around today; 1 to 35 hours a week; salary between the SMIC (prorated to the
hours) and a ceiling."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from cnum.accounts.testing import make_user
from cnum.core.dates import add_years
from cnum.recruitment.enums import ContractState, ContractType
from cnum.recruitment.forms import ContractForm
from cnum.recruitment.models import (
    CONTRACT_MAX_YEARS,
    SALARY_CEILING,
    START_MAX_YEARS_AGO,
    START_MAX_YEARS_AHEAD,
    Contract,
    contract_errors,
)
from cnum.recruitment.smic import SMIC_FLOOR, SMIC_MONTHLY_GROSS, smic_for_hours, smic_on
from cnum.recruitment.testing import make_match, make_validated_structure

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)
dates = st.dates(min_value=datetime.date(2019, 1, 1), max_value=datetime.date(2040, 12, 31))
salaries = st.none() | st.decimals(
    min_value=0, max_value=Decimal("999999.99"), places=2, allow_nan=False, allow_infinity=False
)


@given(
    type_=st.sampled_from(ContractType.values),
    start=dates,
    end=st.none() | dates,
    salary=salaries,
    hours=st.integers(min_value=1, max_value=35),
)
def test_contract_rules(type_, start, end, salary, hours):
    errors = contract_errors(type_, start, end, salary, today=TODAY, weekly_hours=hours)
    is_cdi = type_ == ContractType.CDI
    longest = add_years(start, CONTRACT_MAX_YEARS)
    dates_ok = end is None if is_cdi else (end is not None and start < end <= longest)
    start_ok = (
        add_years(TODAY, -START_MAX_YEARS_AGO) <= start <= add_years(TODAY, START_MAX_YEARS_AHEAD)
    )
    floor = smic_on(max(start, TODAY)) * hours / 35
    salary_ok = salary is None or floor <= salary <= SALARY_CEILING
    assert ("end_date" not in errors) is dates_ok
    assert ("start_date" not in errors) is start_ok
    assert ("gross_monthly_salary" not in errors) is salary_ok


def test_the_smic_in_force_applies():
    assert smic_on(datetime.date(2026, 11, 26)) == Decimal("1823.03")
    assert smic_on(datetime.date(2025, 12, 31)) == Decimal("1801.80")
    assert smic_on(datetime.date(2024, 11, 1)) == Decimal("1801.80")
    assert smic_on(datetime.date(2019, 6, 1)) == SMIC_MONTHLY_GROSS[0][1]
    effective_dates = [day for day, _ in SMIC_MONTHLY_GROSS]
    assert effective_dates == sorted(effective_dates)


def test_the_salary_error_names_the_smic():
    errors = contract_errors(
        ContractType.CDD, TODAY, TODAY + datetime.timedelta(days=30), Decimal("1800"), today=TODAY
    )
    assert errors["gross_monthly_salary"] == (
        "Le salaire brut mensuel ne peut pas être inférieur au SMIC, soit 1 823,03 € au 26/11/2026."
    )


def test_a_part_time_salary_floor_is_the_smic_prorated_to_the_hours():
    # 1 823,03 € × 24 / 35 = 1 250,077… : rounded up, never below the exact floor.
    assert smic_for_hours(TODAY, 24) == Decimal("1250.08")
    assert smic_for_hours(TODAY, 35) == Decimal("1823.03")
    end = TODAY + datetime.timedelta(days=30)
    part_time = {"today": TODAY, "weekly_hours": 24}
    assert not contract_errors(ContractType.CDD, TODAY, end, Decimal("1250.08"), **part_time)
    errors = contract_errors(ContractType.CDD, TODAY, end, Decimal("1250.07"), **part_time)
    assert errors["gross_monthly_salary"] == (
        "Le salaire brut mensuel ne peut pas être inférieur au SMIC au prorata de 24 h par "
        "semaine, soit 1 250,08 € au 26/11/2026."
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"type": ContractType.CDD, "end_date": None},
        {"type": ContractType.CDI, "end_date": datetime.date(2027, 1, 1)},
        {"type": ContractType.PEC, "end_date": datetime.date(2026, 1, 1)},
        {"type": ContractType.CDD, "gross_monthly_salary": SMIC_FLOOR - Decimal("0.01")},
        {"type": ContractType.CDD, "weekly_hours": 20, "gross_monthly_salary": Decimal("879.66")},
        {"type": ContractType.CDD, "weekly_hours": 0},
        {"type": ContractType.CDD, "weekly_hours": 36},
        {"type": ContractType.CDD, "gross_monthly_salary": Decimal("999999.99")},
        {"type": ContractType.CDD, "end_date": datetime.date(9999, 12, 31)},
        {"type": ContractType.CDI, "end_date": None, "start_date": datetime.date(1, 1, 1)},
    ],
)
def test_the_database_refuses_broken_contracts(fields):
    match = make_match(make_validated_structure(manager=make_user()))
    values = {
        "match": match,
        "created_by": make_user(),
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2026, 12, 31),
        **fields,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(**values)


def test_one_current_contract_and_one_draft_per_match():
    match = make_match(make_validated_structure(manager=make_user()))
    user = make_user()
    values = {"match": match, "created_by": user, "type": ContractType.CDI}
    Contract.objects.create(start_date=datetime.date(2026, 1, 1), **values)
    Contract.objects.create(
        start_date=datetime.date(2027, 1, 1), state=ContractState.DRAFT, **values
    )
    for state in (ContractState.CURRENT, ContractState.DRAFT):
        with pytest.raises(IntegrityError), transaction.atomic():
            Contract.objects.create(start_date=datetime.date(2028, 1, 1), state=state, **values)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"type": "", "start_date": "01/12/2026"}, "type", "Choisissez le type de contrat."),
        ({"type": "CDD", "start_date": "31/02/2026"}, "start_date", "format JJ/MM/AAAA"),
        ({"type": "CDD", "start_date": "01/12/2026"}, "end_date", "obligatoire sauf pour un CDI"),
        (
            {"type": "CDD", "start_date": "01/12/2026", "end_date": "30/11/2026"},
            "end_date",
            "postérieure à la date de début",
        ),
        (
            {"type": "CDI", "start_date": "01/12/2026", "gross_monthly_salary": "douze"},
            "gross_monthly_salary",
            "Indiquez un montant en euros",
        ),
        (
            {"type": "CDI", "start_date": "01/12/2026", "gross_monthly_salary": "1500,00"},
            "gross_monthly_salary",
            "inférieur au SMIC",
        ),
        (
            {"type": "CDI", "start_date": "01/12/2026", "gross_monthly_salary": "999 999,99"},
            "gross_monthly_salary",
            "ne peut pas dépasser 10 000,00 €",
        ),
        (
            {"type": "CDD", "start_date": "01/12/2026", "end_date": "31/12/2150"},
            "end_date",
            "Un contrat dure au plus 6 ans : la date de fin ne peut pas dépasser le 01/12/2032.",
        ),
        ({"type": "CDI", "start_date": "01/01/1950"}, "start_date", "plus de 2 ans"),
        (
            {"type": "CDI", "start_date": "01/12/2026", "weekly_hours": "0"},
            "weekly_hours",
            "Indiquez une durée hebdomadaire entre 1 et 35 heures.",
        ),
        (
            {"type": "CDI", "start_date": "01/12/2026", "weekly_hours": "36"},
            "weekly_hours",
            "Indiquez une durée hebdomadaire entre 1 et 35 heures.",
        ),
        ({"type": "CDI", "start_date": "01/12/2026"}, "weekly_hours", "Indiquez la durée"),
        ({"type": "CDI", "start_date": "20/12/2150"}, "start_date", "plus de 3 ans d'ici"),
    ],
)
def test_the_form_explains_each_mistake_in_french(data, field, message):
    form = ContractForm(data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_form_accepts_french_amounts():
    start = f"{datetime.date.today() + datetime.timedelta(days=10):%d/%m/%Y}"
    form = ContractForm(
        {
            "type": "CDI",
            "start_date": start,
            "weekly_hours": "35",
            "gross_monthly_salary": "1 950,50",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["gross_monthly_salary"] == Decimal("1950.50")


def test_the_form_offers_a_full_time_and_accepts_a_part_time_at_the_prorated_smic():
    assert 'value="35"' in ContractForm()["weekly_hours"].as_widget()
    start = datetime.date.today() + datetime.timedelta(days=10)
    data = {"type": "CDI", "start_date": f"{start:%d/%m/%Y}", "weekly_hours": "24"}
    floor = smic_for_hours(start, 24)
    form = ContractForm({**data, "gross_monthly_salary": str(floor)})
    assert form.is_valid(), form.errors
    assert form.contract_data()["weekly_hours"] == 24
    form = ContractForm({**data, "gross_monthly_salary": str(floor - Decimal("0.01"))})
    assert "au prorata de 24 h par semaine" in " ".join(form.errors["gross_monthly_salary"])


def test_the_longest_contract_and_the_ceiling_are_accepted():
    start = TODAY + datetime.timedelta(days=10)
    end = add_years(start, CONTRACT_MAX_YEARS)
    assert not contract_errors(ContractType.PEC, start, end, SALARY_CEILING, today=TODAY)
