"""Tests for creditrules.schedule: installment-loan repayment schedules."""

from __future__ import annotations

import decimal
import itertools
import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditrules.model import METHODS, LoanTerms, add_months
from creditrules.money import FEN, ZERO
from creditrules.schedule import (
    Installment,
    build_schedule,
    equal_installment_amount,
    schedule_totals,
)

START = date(2025, 1, 15)


def loan(
    principal: str,
    annual_rate: str,
    term_months: int,
    method: str,
    start_date: date = START,
    due_day: int | None = None,
) -> LoanTerms:
    return LoanTerms(
        principal=principal,
        term_months=term_months,
        method=method,
        start_date=start_date,
        annual_rate=annual_rate,
        due_day=due_day,
    )


def rows(schedule: tuple[Installment, ...]) -> list[tuple[str, str, str]]:
    return [(str(i.opening_balance), str(i.principal), str(i.interest)) for i in schedule]


def reference_interest(balance: Decimal, loan_terms: LoanTerms) -> Decimal:
    """Balance × annual ÷ 12, half-up to the fen, at a precision far beyond any input."""
    with decimal.localcontext(decimal.Context(prec=200)):
        exact: Decimal = balance * loan_terms.annual / 12
        return exact.quantize(FEN, rounding=ROUND_HALF_UP)


# --- worked examples, checked by hand -------------------------------------------------


def test_equal_installment_worked_example() -> None:
    """12,000.00 at 12 %/yr over 12 months (等额本息) pays 1066.19 a month, last 1066.14."""
    terms = loan("12000.00", "0.12", 12, "equal_installment")
    schedule = build_schedule(terms)
    # A = 12000 × 0.01 × 1.01^12 / (1.01^12 − 1) = 1066.1854… → 1066.19
    assert equal_installment_amount(terms) == Decimal("1066.19")
    assert rows(schedule)[:2] == [
        ("12000.00", "946.19", "120.00"),
        ("11053.81", "955.65", "110.54"),  # 11053.81 × 0.01 = 110.5381 → 110.54
    ]
    assert all(item.total == Decimal("1066.19") for item in schedule[:-1])
    last = schedule[-1]
    # opening 1055.58; interest 10.5558 → 10.56; principal = all that is left.
    assert (last.opening_balance, last.principal, last.interest) == (
        Decimal("1055.58"),
        Decimal("1055.58"),
        Decimal("10.56"),
    )
    assert last.total == Decimal("1066.14")
    # 11 × 1066.19 + 1066.14 − 12000 = 794.23
    assert schedule_totals(schedule) == (Decimal("12000.00"), Decimal("794.23"))


def test_equal_installment_daily_rate_example() -> None:
    """A Jiebei-style 0.045 %/day loan (16.2 %/yr at 360) of 10,000.00 pays 908.26 a month."""
    terms = LoanTerms(
        principal="10000.00",
        term_months=12,
        method="equal_installment",
        start_date=START,
        daily_rate="0.00045",
    )
    schedule = build_schedule(terms)
    # r = 0.00045 × 360 / 12 = 0.0135; A = 908.2553 → 908.26; first interest 135.00.
    assert schedule[0].total == Decimal("908.26")
    assert schedule[0].interest == Decimal("135.00")
    assert (schedule[-1].opening_balance, schedule[-1].interest) == (
        Decimal("896.09"),
        Decimal("12.10"),  # 896.09 × 0.0135 = 12.097215 → 12.10
    )
    assert schedule_totals(schedule) == (Decimal("10000.00"), Decimal("899.05"))


def test_equal_principal_worked_example() -> None:
    """12,000.00 at 12 %/yr over 12 months (等额本金) repays 1,000 a month; interest 120 → 10."""
    schedule = build_schedule(loan("12000.00", "0.12", 12, "equal_principal"))
    assert [item.principal for item in schedule] == [Decimal("1000.00")] * 12
    assert [item.interest for item in schedule] == [Decimal(10 * (12 - k)) for k in range(12)]
    # Interest 120 + 110 + … + 10 = 780.
    assert schedule_totals(schedule) == (Decimal("12000.00"), Decimal("780.00"))


def test_equal_principal_last_period_absorbs_remainder() -> None:
    """1,000.00 over 3 months (等额本金) repays 333.33, 333.33 and 333.34."""
    schedule = build_schedule(loan("1000.00", "0.12", 3, "equal_principal"))
    assert rows(schedule) == [
        ("1000.00", "333.33", "10.00"),
        ("666.67", "333.33", "6.67"),  # 6.6667 → 6.67
        ("333.34", "333.34", "3.33"),  # 3.3334 → 3.33
    ]


def test_interest_first_worked_example() -> None:
    """12,000.00 at 12 %/yr over 12 months (先息后本) pays 120 a month and the principal last."""
    schedule = build_schedule(loan("12000.00", "0.12", 12, "interest_first"))
    assert [item.interest for item in schedule] == [Decimal("120.00")] * 12
    assert [item.principal for item in schedule] == [ZERO] * 11 + [Decimal("12000.00")]
    assert schedule[-1].total == Decimal("12120.00")
    assert schedule_totals(schedule) == (Decimal("12000.00"), Decimal("1440.00"))


def test_half_fen_interest_rounds_up_with_non_terminating_rate() -> None:
    """Interest of exactly half a fen rounds up even when annual ÷ 12 does not terminate."""
    # 10 %/yr: r = 0.008333…; 1200.60 × 0.1 / 12 = 10.005 exactly → 10.01.
    schedule = build_schedule(loan("2401.20", "0.1", 2, "equal_principal"))
    assert rows(schedule) == [
        ("2401.20", "1200.60", "20.01"),
        ("1200.60", "1200.60", "10.01"),
    ]


def test_result_does_not_depend_on_ambient_context() -> None:
    """A tiny ambient decimal precision or rounding mode does not change the schedule."""
    terms = loan("123456.78", "0.1", 36, "equal_installment")
    expected = build_schedule(terms)
    totals = [item.total for item in expected]
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert build_schedule(terms) == expected
        assert equal_installment_amount(terms) == totals[0]
        assert [item.total for item in expected] == totals
        assert schedule_totals(expected)[0] == Decimal("123456.78")


def test_due_dates_clamp_to_month_end() -> None:
    """Installments of a loan lent on 31 January fall due on the last day of short months."""
    schedule = build_schedule(loan("600.00", "0.12", 4, "equal_principal", date(2024, 1, 31)))
    assert [item.due_date for item in schedule] == [
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]


def test_due_day_sets_the_day_of_month() -> None:
    """A loan's ``due_day`` fixes the day of month of every installment."""
    schedule = build_schedule(loan("600.00", "0.12", 3, "interest_first", due_day=10))
    assert [item.due_date for item in schedule] == [
        date(2025, 2, 10),
        date(2025, 3, 10),
        date(2025, 4, 10),
    ]


def test_tiny_loan_never_repays_more_than_outstanding() -> None:
    """0.10 over 12 months at 0 % repays 0.01 for ten months, then nothing: no negative part."""
    schedule = build_schedule(loan("0.10", "0", 12, "equal_principal"))
    assert [item.principal for item in schedule] == [FEN] * 10 + [ZERO] * 2
    assert schedule[-1].opening_balance == ZERO


def test_single_month_loan() -> None:
    """A one-month loan repays everything at once with one month's interest."""
    schedule = build_schedule(loan("1000.00", "0.18", 1, "equal_installment"))
    assert rows(schedule) == [("1000.00", "1000.00", "15.00")]


def test_installment_total_and_closing_balance() -> None:
    """``Installment.total`` adds principal and interest; ``closing_balance`` subtracts."""
    item = Installment(1, START, Decimal("946.19"), Decimal("120.00"), Decimal("12000.00"))
    assert item.total == Decimal("1066.19")
    assert item.closing_balance == Decimal("11053.81")


# --- numpy-financial as an independent reference -------------------------------------


@pytest.mark.parametrize("term_months", [1, 2, 3, 6, 9, 12, 18, 24, 36, 60, 120, 360])
@pytest.mark.parametrize(
    "annual_rate", ["0.0001", "0.0435", "0.049", "0.1", "0.12", "0.162", "0.18", "0.24", "0.36"]
)
@pytest.mark.parametrize("principal", ["1.00", "500.00", "1200.00", "12345.67", "1000000.00"])
def test_installment_amount_matches_numpy_financial(
    principal: str, annual_rate: str, term_months: int
) -> None:
    """The 等额本息 amount equals ``numpy_financial.pmt`` rounded half-up to the fen."""
    npf = pytest.importorskip("numpy_financial")  # the reference (dev extra)
    terms = loan(principal, annual_rate, term_months, "equal_installment")
    amount = equal_installment_amount(terms)
    reference = -float(npf.pmt(float(Decimal(annual_rate) / 12), term_months, float(principal)))
    cents = reference * 100
    reference_fen = Decimal(math.floor(cents + 0.5)).scaleb(-2)
    if abs(cents - math.floor(cents) - 0.5) > 1e-6:
        assert amount == reference_fen  # far from a half fen: float error cannot matter
    else:
        assert abs(amount - reference_fen) <= FEN
    if term_months > 1:
        assert build_schedule(terms)[0].total == amount


def test_zero_rate_installment_amount() -> None:
    """At a zero rate the 等额本息 amount is P / n rounded (numpy-financial agrees)."""
    terms = loan("1000.00", "0", 3, "equal_installment")
    assert equal_installment_amount(terms) == Decimal("333.33")
    npf = pytest.importorskip("numpy_financial")  # the reference (dev extra)
    assert -npf.pmt(0.0, 3, 1000.0) == pytest.approx(1000 / 3)


# --- properties ------------------------------------------------------------------------

principals = st.integers(min_value=1, max_value=10**10).map(lambda fen: Decimal(fen).scaleb(-2))
annual_rates = st.one_of(
    st.just(Decimal(0)),
    st.integers(min_value=0, max_value=400_000).map(lambda x: Decimal(x).scaleb(-6)),
    st.sampled_from([Decimal("0.1"), Decimal("0.162"), Decimal("0.0435"), Decimal("0.2")]),
)
daily_rates = st.integers(min_value=0, max_value=1_000).map(lambda x: Decimal(x).scaleb(-6))


@st.composite
def loans(draw: st.DrawFn, methods: st.SearchStrategy[str] | None = None) -> LoanTerms:
    """Loan terms with a principal, rate, term, method, start date and due day."""
    annual_rate: Decimal | None = None
    daily_rate: Decimal | None = None
    if draw(st.booleans()):
        annual_rate = draw(annual_rates)
    else:
        daily_rate = draw(daily_rates)
    return LoanTerms(
        principal=draw(principals),
        term_months=draw(st.integers(min_value=1, max_value=120)),
        method=draw(methods if methods is not None else st.sampled_from(METHODS)),
        start_date=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))),
        annual_rate=annual_rate,
        daily_rate=daily_rate,
        day_basis=draw(st.sampled_from([360, 365])),
        due_day=draw(st.none() | st.integers(min_value=1, max_value=31)),
    )


@given(loans())
def test_principal_parts_sum_to_principal(terms: LoanTerms) -> None:
    """For every method the principal parts sum exactly to the amount lent."""
    schedule = build_schedule(terms)
    principal, interest = schedule_totals(schedule)
    assert principal == terms.principal
    assert interest == sum((item.interest for item in schedule), ZERO)


@given(loans())
def test_parts_are_non_negative_fen_amounts(terms: LoanTerms) -> None:
    """Every principal part, interest and balance is a non-negative amount in whole fen."""
    for item in build_schedule(terms):
        for amount in (item.principal, item.interest, item.opening_balance):
            assert amount >= 0
            assert amount == amount.quantize(FEN)
            assert amount.as_tuple().exponent == -2


@given(loans())
def test_balances_chain_and_interest_is_on_opening_balance(terms: LoanTerms) -> None:
    """Each period's interest is opening_balance × r rounded; balances chain from P to 0."""
    schedule = build_schedule(terms)
    assert schedule[0].opening_balance == terms.principal
    for item, following in itertools.pairwise(schedule):
        assert following.opening_balance == item.closing_balance
    assert schedule[-1].closing_balance == 0
    for item in schedule:
        assert item.interest == reference_interest(item.opening_balance, terms)


@given(loans())
def test_due_dates_are_monthly_and_length_is_term(terms: LoanTerms) -> None:
    """There are term_months installments, numbered 1…n, due one month apart (clamped)."""
    schedule = build_schedule(terms)
    assert len(schedule) == terms.term_months
    assert [item.period for item in schedule] == list(range(1, terms.term_months + 1))
    dates = [item.due_date for item in schedule]
    assert all(a < b for a, b in itertools.pairwise(dates))
    for item in schedule:
        assert item.due_date == add_months(terms.start_date, item.period, terms.due_day)
    for a, b in itertools.pairwise(dates):
        assert (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1


@given(loans().filter(lambda terms: terms.annual == 0))
def test_zero_rate_loan_has_no_interest(terms: LoanTerms) -> None:
    """A zero-rate loan charges no interest, whatever the method."""
    assert all(item.interest == 0 for item in build_schedule(terms))


@given(loans(st.just("equal_installment")))
def test_equal_installments_are_level(terms: LoanTerms) -> None:
    """Every 等额本息 installment but the last totals the installment amount."""
    schedule = build_schedule(terms)
    amount = equal_installment_amount(terms)
    for item in schedule[:-1]:
        if item.closing_balance > 0:  # not cut short by a tiny loan running out
            assert item.total == amount


@given(loans(st.just("equal_principal")))
def test_equal_principal_parts_are_level(terms: LoanTerms) -> None:
    """Every 等额本金 principal part but the last is P / n rounded (or what is left)."""
    schedule = build_schedule(terms)
    with decimal.localcontext(decimal.Context(prec=200)):
        part = (terms.principal / terms.term_months).quantize(FEN, rounding=ROUND_HALF_UP)
    for item in schedule[:-1]:
        assert item.principal == min(part, item.opening_balance)


@given(loans(st.just("interest_first")))
def test_interest_first_repays_principal_last(terms: LoanTerms) -> None:
    """先息后本 charges the same interest every month and repays all principal last."""
    schedule = build_schedule(terms)
    assert all(item.principal == 0 for item in schedule[:-1])
    assert schedule[-1].principal == terms.principal
    assert len({item.interest for item in schedule}) == 1


def _reference_schedule(terms: LoanTerms) -> list[tuple[Decimal, Decimal, Decimal]]:
    """The schedule as the module docstring states it, in exact fractions of yuan."""
    with decimal.localcontext(decimal.Context(prec=34)):
        rate = Fraction(terms.annual) / 12

    def fen(value: Fraction) -> Decimal:
        whole = math.floor(value * 100 + Fraction(1, 2))
        return Decimal(whole).scaleb(-2)

    principal = Fraction(terms.principal)
    n = terms.term_months
    if terms.method == "equal_installment":
        growth = (1 + rate) ** n
        level = fen(principal / n if rate == 0 else principal * rate * growth / (growth - 1))
    elif terms.method == "equal_principal":
        level = fen(principal / n)
    else:
        level = ZERO
    rows = []
    balance = terms.principal
    for period in range(1, n + 1):
        interest = fen(Fraction(balance) * rate)
        if period == n:
            part = balance
        elif terms.method == "equal_installment":
            part = min(level - interest, balance)
        else:
            part = min(level, balance)
        rows.append((part, interest, balance))
        balance -= part
    return rows


@given(loans())
def test_schedule_equals_the_exact_fraction_reference(terms: LoanTerms) -> None:
    """The integer-fen schedule equals a straightforward computation in exact fractions."""
    schedule = build_schedule(terms)
    got = [(i.principal, i.interest, i.opening_balance) for i in schedule]
    assert got == _reference_schedule(terms)
    assert all(str(i.principal) == str(i.principal.quantize(FEN)) for i in schedule)


def test_a_long_schedule_is_built_in_one_pass() -> None:
    """A 360-month schedule is complete and its principal parts sum to the loan."""
    terms = loan("1000000.00", "0.0435", 360, "equal_installment")
    schedule = build_schedule(terms)
    assert len(schedule) == 360
    assert sum(i.principal for i in schedule) == Decimal("1000000.00")
    assert schedule[0].total == equal_installment_amount(terms)
