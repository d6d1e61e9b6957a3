"""Tests for creditrules.model: construction-time validation and helpers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from creditrules.model import (
    Account,
    AccountClosed,
    AccountProblems,
    Bill,
    Event,
    GuarantorPaid,
    LoanTerms,
    Payment,
    ReportedMonth,
    Waiver,
    WrittenOff,
    add_months,
)
from creditrules.policy import PolicyValue

OPENED = date(2025, 1, 1)


def loan(**changes: Any) -> LoanTerms:
    fields: dict[str, Any] = {
        "principal": "1200.00",
        "term_months": 12,
        "method": "equal_installment",
        "start_date": date(2025, 1, 15),
        "annual_rate": "0.12",
    }
    fields.update(changes)
    return LoanTerms(**fields)


def account(**changes: Any) -> Account:
    fields: dict[str, Any] = {
        "id": "demo",
        "provider": "generic",
        "product": "revolving",
        "opened_on": OPENED,
        "bills": [Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
    }
    fields.update(changes)
    return Account(**fields)


# --------------------------------------------------------------- bills


def test_bill_parses_amount_and_gets_a_default_id() -> None:
    """A bill's amount is an exact Decimal and its id defaults to bill-<due date>."""
    bill = Bill(date(2025, 3, 1), date(2025, 3, 10), "500")
    assert bill.amount == Decimal("500.00")
    assert bill.id == "bill-2025-03-10"
    assert Bill(date(2025, 3, 1), date(2025, 3, 10), "1", id="march").id == "march"


def test_bill_rejects_a_negative_amount() -> None:
    """A negative bill amount is rejected, naming the field."""
    with pytest.raises(ValueError, match=r"amount must not be negative, got -1\.00"):
        Bill(date(2025, 3, 1), date(2025, 3, 10), "-1.00")


def test_bill_rejects_a_due_date_before_the_statement() -> None:
    """A due date before the statement date is rejected with both dates."""
    with pytest.raises(ValueError, match="due_date 2025-02-28 is before statement_date 2025-03-01"):
        Bill(date(2025, 3, 1), date(2025, 2, 28), "1.00")


@pytest.mark.parametrize("value", [datetime(2025, 3, 1, 12), "2025-03-01", None])
def test_dates_must_be_dates(value: object) -> None:
    """A datetime, a string or None where a date is expected is a TypeError naming the field."""
    with pytest.raises(TypeError, match="statement_date must be a date"):
        Bill(value, date(2025, 3, 10), "1.00")  # type: ignore[arg-type]


def test_amounts_refuse_floats_and_sub_fen_digits() -> None:
    """Model amounts go through parse_money: no floats, no digits below the fen."""
    with pytest.raises(ValueError, match="binary float"):
        Payment(date(2025, 3, 1), 1.5)
    with pytest.raises(ValueError, match="below the fen"):
        Payment(date(2025, 3, 1), "1.505")


# --------------------------------------------------------------- loans


def test_loan_rates_and_due_dates() -> None:
    """Annual, daily and monthly rates derive from each other; due dates clamp to month end."""
    by_year = loan(annual_rate="0.12")
    assert by_year.monthly_rate == Decimal("0.01")
    assert by_year.daily == Decimal("0.12") / 360
    by_day = loan(annual_rate=None, daily_rate="0.0005", day_basis=365)
    assert by_day.annual == Decimal("0.1825")
    assert by_day.daily == Decimal("0.0005")
    month_end = loan(start_date=date(2025, 1, 31))
    assert month_end.due_date(1) == date(2025, 2, 28)
    assert month_end.due_date(2) == date(2025, 3, 31)
    assert loan(due_day=5).due_date(1) == date(2025, 2, 5)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"daily_rate": "0.0005"}, ValueError, "give exactly one of annual_rate and daily_rate"),
        ({"annual_rate": None}, ValueError, "give exactly one of annual_rate and daily_rate"),
        ({"principal": "0"}, ValueError, "principal must be greater than zero, got 0.00"),
        ({"principal": "-5.00"}, ValueError, "principal must be greater than zero"),
        ({"term_months": 0}, ValueError, "term_months must be greater than zero"),
        ({"term_months": "12"}, TypeError, "term_months"),
        ({"method": "balloon"}, ValueError, "method must be one of 'equal_installment'"),
        ({"day_basis": 364}, ValueError, "day_basis must be one of 360, 365, got 364"),
        ({"due_day": 0}, ValueError, "due_day must be a day of the month 1–31, got 0"),
        ({"due_day": 32}, ValueError, "due_day must be a day of the month 1–31, got 32"),
        ({"due_day": True}, ValueError, "due_day must be a day of the month"),
        ({"annual_rate": "-0.1"}, ValueError, "must be a finite, non-negative number"),
        ({"annual_rate": 0.12}, ValueError, "not a float"),
    ],
)
def test_loan_terms_validation(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    """Invalid loan terms are rejected at construction with a message naming the problem."""
    with pytest.raises(error, match=message):
        loan(**changes)


# --------------------------------------------------------------- events


def test_payment_must_be_positive() -> None:
    """A payment of zero is rejected: it would change nothing."""
    with pytest.raises(ValueError, match=r"amount must be greater than zero, got 0\.00"):
        Payment(date(2025, 3, 1), "0")


def test_waiver_component_must_be_known() -> None:
    """A waiver forgives penalty, fees or interest — not principal."""
    with pytest.raises(ValueError, match="component must be one of 'penalty', 'fees', 'interest'"):
        Waiver(date(2025, 3, 1), "principal", "1.00")


def test_guarantor_amount_is_optional_but_not_negative() -> None:
    """A guarantor payment may omit its amount; a given amount must not be negative."""
    assert GuarantorPaid(date(2025, 3, 1)).amount is None
    assert GuarantorPaid(date(2025, 3, 1), amount="10").amount == Decimal("10.00")
    with pytest.raises(ValueError, match="amount must not be negative"):
        GuarantorPaid(date(2025, 3, 1), amount="-1.00")


def test_event_type_tags() -> None:
    """Each event class carries the type tag used in account files."""
    assert [cls.type for cls in (Payment, Waiver, AccountClosed, WrittenOff, GuarantorPaid)] == [
        "payment",
        "waiver",
        "account_closed",
        "written_off",
        "guarantor_paid",
    ]


@pytest.mark.parametrize(
    ("month", "status", "message"),
    [
        ("2025-13", "N", "month must be YYYY-MM, got '2025-13'"),
        ("25-01", "N", "month must be YYYY-MM"),
        ("2025/01", "N", "month must be YYYY-MM"),
        ("2025-01", "X", "status must be one of"),
    ],
)
def test_reported_month_validation(month: str, status: str, message: str) -> None:
    """A reported month needs a YYYY-MM month and a known status code."""
    with pytest.raises(ValueError, match=message):
        ReportedMonth(month, status)


# --------------------------------------------------------------- accounts


def test_account_rejects_an_unknown_product() -> None:
    """An unknown product is rejected, listing the known ones."""
    with pytest.raises(
        ValueError, match="product must be one of 'revolving', 'installment', got 'mortgage'"
    ):
        account(product="mortgage")


def test_payment_before_opening_raises_account_problems_with_path() -> None:
    """A payment dated before the account opened is an AccountProblems at $.payments[i].date."""
    payments = [Payment(date(2025, 3, 15), "1.00"), Payment(date(2024, 12, 31), "1.00")]
    with pytest.raises(AccountProblems) as caught:
        account(payments=payments)
    assert caught.value.problems == [
        (
            "$.payments[1].date",
            "payment on 2024-12-31 is before the account opened on 2025-01-01",
        )
    ]
    assert str(caught.value).endswith("@ $.payments[1].date")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"product": "installment", "bills": ()}, "$.loan", "needs a [loan] table"),
        ({"product": "installment", "loan": loan()}, "$.bills", "has a [loan], not [[bills]]"),
        ({"loan": loan()}, "$.loan", "a revolving account has [[bills]], not a [loan]"),
        (
            {"product": "installment", "bills": (), "loan": loan(start_date=date(2024, 6, 1))},
            "$.loan.start_date",
            "loan starts 2024-06-01, before the account opened on 2025-01-01",
        ),
        (
            {"bills": [Bill(date(2024, 12, 1), date(2024, 12, 10), "1.00")]},
            "$.bills[0].statement_date",
            "bill issued 2024-12-01, before the account opened",
        ),
        (
            {
                "bills": [
                    Bill(date(2025, 3, 1), date(2025, 3, 10), "1.00"),
                    Bill(date(2025, 3, 2), date(2025, 3, 10), "2.00"),
                ]
            },
            "$.bills[1].id",
            "two bills have the id 'bill-2025-03-10'",
        ),
        (
            {"events": [Payment(date(2025, 3, 1), "1.00")]},
            "$.events[0].type",
            "list payments under [[payments]]",
        ),
        (
            {"events": [WrittenOff(date(2024, 1, 1))]},
            "$.events[0].date",
            "written_off on 2024-01-01 is before the account opened",
        ),
    ],
)
def test_account_consistency_problems(changes: dict[str, Any], path: str, message: str) -> None:
    """Inconsistent parts of an account are reported with the JSON path of each problem."""
    with pytest.raises(AccountProblems) as caught:
        account(**changes)
    found = dict(caught.value.problems)
    assert path in found
    assert message in found[path]


def test_account_reports_every_problem_at_once() -> None:
    """All consistency problems are collected, not just the first."""
    with pytest.raises(AccountProblems) as caught:
        account(
            payments=[Payment(date(2024, 1, 1), "1.00")],
            events=[AccountClosed(date(2024, 1, 2))],
        )
    assert [path for path, _ in caught.value.problems] == ["$.payments[0].date", "$.events[0].date"]


def test_account_id_and_provider_must_not_be_empty() -> None:
    """An empty id or provider is rejected."""
    with pytest.raises(ValueError, match="id"):
        account(id="")
    with pytest.raises(ValueError, match="provider"):
        account(provider="")


def test_account_policy_is_sorted_and_must_be_policy_values() -> None:
    """Policy overrides are PolicyValues sorted by name and date; a plain mapping is refused."""
    grace = PolicyValue("grace_days", 3, source="contract", grade="A")
    later = PolicyValue(
        "penalty_daily_rate", "0.001", source="contract", grade="A", effective_from=date(2025, 6, 1)
    )
    earlier = PolicyValue(
        "penalty_daily_rate", "0.0005", source="contract", grade="A", effective_to=date(2025, 5, 31)
    )
    assert account(policy=[later, grace, earlier]).policy == (grace, earlier, later)
    with pytest.raises(TypeError, match="PolicyValue objects"):
        account(policy={"grace_days": 3})


def test_with_events_routes_payments_and_leaves_the_account_alone() -> None:
    """with_events() puts payments under payments and the rest under events, in a copy."""
    base = account()
    extra: list[Event] = [
        Payment(date(2025, 3, 5), "100.00"),
        Waiver(date(2025, 3, 6), "penalty", "1.00"),
    ]
    changed = base.with_events(extra)
    assert changed.payments == (extra[0],)
    assert changed.events == (extra[1],)
    assert base.payments == () and base.events == ()
    assert changed.total_paid == Decimal("100.00")


def test_accounts_are_frozen_values() -> None:
    """Accounts cannot be modified and compare by value."""
    base = account()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        base.id = "other"  # type: ignore[misc]
    assert base == account()
    assert isinstance(base.bills, tuple)


@pytest.mark.parametrize(
    ("start", "months", "day", "expected"),
    [
        (date(2025, 1, 31), 1, None, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, None, date(2024, 2, 29)),
        (date(2025, 11, 15), 3, None, date(2026, 2, 15)),
        (date(2025, 1, 15), 1, 31, date(2025, 2, 28)),
        (date(2025, 3, 31), -1, None, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(
    start: date, months: int, day: int | None, expected: date
) -> None:
    """add_months() moves by calendar months and clamps the day to the month's end."""
    assert add_months(start, months, day) == expected
