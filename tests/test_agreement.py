"""The Agreement event: a signed repayment plan (协商还款) replaces what is owed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import creditrules
from creditrules import Account, Agreement, Bill, Payment, PlannedPayment, PolicyValue

RATE = PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")


def _plan(*amounts: str, first: date = date(2025, 5, 10)) -> Agreement:
    dates = [date(first.year, first.month + k, first.day) for k in range(len(amounts))]
    return Agreement(
        date(2025, 4, 10),
        [PlannedPayment(d, a) for d, a in zip(dates, amounts, strict=True)],
        counterparty="lender",
    )


def _account(agreement: Agreement, *payments: Payment) -> Account:
    return Account(
        id="a",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00")],
        events=[agreement],
        payments=payments,
        policy=[RATE],
    )


def test_plan_replaces_the_debt_and_ends_the_episode() -> None:
    """On the agreement date the overdue bill is restructured and its episode ends."""
    result = creditrules.assess(_account(_plan("1000", "1000", "1000")), date(2025, 4, 30))
    assert result.item("bill-2025-03-10").status == "restructured"
    (episode,) = result.episodes
    assert (episode.start, episode.end) == (date(2025, 3, 11), date(2025, 4, 10))
    # Owed on 10 April: 3,000.00 + 3,000.00 × 0.05 % × 31 days = 46.50 of penalty.
    (firing,) = result.fired("agreement.plan")
    assert firing.fact("owed") == "3046.50" and firing.fact("waived") == "46.50"
    assert result.days_past_due == 0 and result.overdue.total == 0
    assert result.balance.total == Decimal("3000.00")


def test_plan_paid_as_agreed_settles_everything() -> None:
    """Paying each plan installment on its due date leaves nothing owed and no new episode."""
    payments = [Payment(date(2025, m, 10), "1000") for m in (5, 6, 7)]
    result = creditrules.assess(
        _account(_plan("1000", "1000", "1000"), *payments), date(2025, 7, 31)
    )
    assert result.balance.total == 0 and len(result.episodes) == 1
    assert {i.status for i in result.items if i.kind == "agreement"} == {"paid_on_time"}


def test_plan_above_what_is_owed_charges_a_plan_fee() -> None:
    """A plan totalling more than was owed carries the excess as a fee."""
    result = creditrules.assess(_account(_plan("1100", "1100", "1100")), date(2025, 4, 30))
    (firing,) = result.fired("agreement.plan")
    assert firing.fact("plan_fee") == "253.50"  # 3,300.00 − 3,046.50
    assert result.balance.fees == Decimal("253.50")


def test_missed_plan_installment_is_overdue_again() -> None:
    """A plan installment not paid by its due date starts a new episode with penalty."""
    result = creditrules.assess(_account(_plan("1000", "1000", "1000")), date(2025, 5, 20))
    assert result.days_past_due == 10
    assert len(result.episodes) == 2 and result.episodes[1].start == date(2025, 5, 11)
    assert result.overdue.penalty == Decimal("5.00")  # 1,000.00 × 0.05 % × 10


def test_agreement_validation() -> None:
    """A plan needs installments, increasing dates, and a first due date after it starts."""
    with pytest.raises(ValueError, match="at least one installment"):
        Agreement(date(2025, 4, 10), [])
    with pytest.raises(ValueError, match="strictly increasing"):
        Agreement(
            date(2025, 4, 10),
            [PlannedPayment(date(2025, 6, 1), "1"), PlannedPayment(date(2025, 5, 1), "1")],
        )
    with pytest.raises(ValueError, match="after the agreement date"):
        Agreement(date(2025, 4, 10), [PlannedPayment(date(2025, 4, 10), "1")])


def test_agreement_in_an_account_file_round_trips() -> None:
    """An agreement event loads from TOML and survives to_dict/from_dict."""
    text = """
format = 1
[account]
id = "a"
provider = "generic"
product = "revolving"
opened_on = 2025-01-01
[[bills]]
statement_date = 2025-03-01
due_date = 2025-03-10
amount = "3000.00"
[[events]]
type = "agreement"
date = 2025-04-10
installments = [{ due_date = 2025-05-10, amount = "1500.00" },
                { due_date = 2025-06-10, amount = "1500.00" }]
"""
    account = creditrules.load_account(text)
    (event,) = account.events
    assert isinstance(event, Agreement) and event.total == Decimal("3000.00")
    assert creditrules.from_dict(Account, creditrules.to_dict(account)) == account
