"""Tests for the creditrules-jiebei plugin: 借呗 Jiebei's rules, through creditrules.assess."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import creditrules_jiebei
import pytest

import creditrules
from creditrules import Account, InputError, LoanTerms, Payment, PolicyValue, assess
from creditrules.io import load_account

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "jiebei.toml"
START = date(2025, 1, 15)
DAILY = Decimal("0.0005")
# 12,000.00 in equal principal (等额本金): 1,000.00 principal a month; interest of
# period k is the opening balance × 0.05 % × 30 (day basis 360).
LOAN = LoanTerms("12000.00", 12, "equal_principal", START, daily_rate=DAILY)


def jiebei(*payments: Payment, loan: LoanTerms = LOAN, **fields: Any) -> Account:
    """A Jiebei account with this loan and these payments."""
    return Account(
        id="test",
        provider="jiebei",
        product="installment",
        opened_on=START,
        loan=loan,
        payments=payments,
        **fields,
    )


def test_plugin_registers_the_provider() -> None:
    """Installing the package registers the jiebei provider from its distribution."""
    registry = creditrules.get_registry()
    assert registry.provider("jiebei").display_name == "借呗 Jiebei"
    info = next(p for p in registry.plugins if p.name == "jiebei")
    assert (info.distribution, info.providers) == ("creditrules-jiebei", ("jiebei",))


def test_every_policy_value_and_fact_is_sourced_and_graded() -> None:
    """Every number and fact the provider ships carries a source and a grade A–D."""
    provider = creditrules_jiebei.get_provider()
    for value in provider.policy:
        assert value.source.strip()
        assert value.grade in ("A", "B", "C", "D")
    for fact in provider.facts:
        assert fact.source.strip()
        assert fact.grade in ("A", "B", "C", "D")


def test_policy_values_match_the_brief() -> None:
    """Term ≤ 12, no grace, 1.5 × rate on principal (an unconfirmed analogue), Art. 677 prepay."""
    provider = creditrules_jiebei.get_provider()
    values = provider.policy_at(START)
    assert values["max_term_months"].value == 12
    assert values["grace_days"].value == 0
    multiplier = values["penalty_rate_multiplier"]
    assert (multiplier.value, multiplier.grade) == (Decimal("1.5"), "C")
    assert "MYbank" in multiplier.source
    assert "not confirmed" in multiplier.note.lower()
    assert values["penalty_base"].value == "unpaid_principal"
    assert "penalty_daily_rate" not in values
    overpayment = values["overpayment"]
    assert (overpayment.value, overpayment.source, overpayment.grade) == (
        "prepay",
        "民法典 Art. 677",
        "A",
    )
    assert set(provider.methods) == {"equal_installment", "interest_first", "equal_principal"}
    assert "no official range" in provider.fact("daily_rate").text


def test_installment_paid_ten_days_late_bears_one_and_a_half_times_the_rate() -> None:
    """An installment 10 days late bears 1.5 × daily rate × 10 days on its overdue principal."""
    first = Decimal("1000.00") + Decimal("180.00")  # principal + 12,000 × 0.05 % × 30
    result = assess(jiebei(Payment(date(2025, 2, 25), "1187.50")), date(2025, 3, 1))
    expected = Decimal("1000.00") * Decimal("1.5") * DAILY * 10
    assert expected == Decimal("7.50")
    item = result.item("installment-1")
    assert item.scheduled.total == first
    assert item.penalty_days == 10
    assert item.charged.penalty == expected
    (posting,) = [f for f in result.fired("accrual.posting") if f.fact("component") == "penalty"]
    assert Decimal(posting.fact("exact")) == expected
    assert item.status == "paid_late"
    (episode,) = result.episodes
    assert (episode.start, episode.end, episode.max_days_past_due) == (
        date(2025, 2, 16),
        date(2025, 2, 25),
        10,
    )


def test_penalty_runs_on_principal_only() -> None:
    """The overdue interest of an installment bears no penalty: the base is unpaid principal."""
    loan = attrs.evolve(LOAN, method="interest_first")
    result = assess(jiebei(loan=loan), date(2025, 2, 25))
    assert result.item("installment-1").scheduled.principal == 0
    assert result.overdue.interest == Decimal("180.00")
    assert result.overdue.penalty == 0


def test_no_grace() -> None:
    """Paying one day late is overdue at once (no grace), with one day of penalty."""
    result = assess(jiebei(Payment(date(2025, 2, 16), "1180.75")), date(2025, 2, 28))
    assert result.charged.penalty == Decimal("0.75")
    assert len(result.episodes) == 1


def test_early_payoff_charges_interest_only_to_the_payoff_day() -> None:
    """Paying the whole loan off early charges interest only up to the payoff day."""
    on_time = Payment(date(2025, 2, 15), "1180.00")
    payoff_day = date(2025, 3, 1)
    to_date = Decimal("11000.00") * DAILY * 14  # 2025-02-15 → 03-01
    assert to_date == Decimal("77.00")
    payoff = Payment(payoff_day, str(Decimal("11000.00") + to_date))
    result = assess(jiebei(on_time, payoff), date(2025, 3, 31))
    assert result.balance.total == 0
    assert result.credit == 0
    assert result.charged.interest == Decimal("180.00") + to_date
    (firing,) = result.fired("early_repayment.interest_to_date")
    assert firing.fact("payoff_date") == payoff_day.isoformat()
    assert Decimal(firing.fact("interest_to_date")) == to_date
    assert {i.status for i in result.items if i.period and i.period > 2} == {"cancelled"}


def test_term_beyond_twelve_months_is_an_input_error() -> None:
    """A 24-month Jiebei loan is refused, saying the limit and its source."""
    loan = attrs.evolve(LOAN, term_months=24)
    with pytest.raises(InputError) as caught:
        assess(jiebei(loan=loan), date(2025, 3, 1))
    assert caught.value.path == "$.loan.term_months"
    assert "at most 12 months" in caught.value.message
    assert "grade C" in caught.value.message


def test_annual_rate_only_is_an_input_error() -> None:
    """A loan giving only annual_rate is refused: Jiebei needs its contract daily_rate."""
    loan = LoanTerms("12000.00", 12, "equal_principal", START, annual_rate="0.18")
    with pytest.raises(InputError) as caught:
        assess(jiebei(loan=loan), date(2025, 3, 1))
    assert caught.value.path == "$.loan.daily_rate"
    assert "no official range" in caught.value.message


@pytest.mark.parametrize("method", ["equal_installment", "interest_first", "equal_principal"])
def test_all_three_methods_assess(method: str) -> None:
    """Each of Jiebei's repayment methods is accepted and scheduled."""
    result = assess(jiebei(loan=attrs.evolve(LOAN, method=method)), date(2025, 1, 31))
    assert len(result.items) == 12
    assert result.balance.principal == Decimal("12000.00")


def test_contract_penalty_overrides_the_analogue() -> None:
    """An account's own penalty_rate_multiplier (from the contract) replaces the 1.5 analogue."""
    own = PolicyValue("penalty_rate_multiplier", "1.3", source="my contract §6", grade="A")
    result = assess(jiebei(Payment(date(2025, 2, 25), "1186.50"), policy=(own,)), date(2025, 3, 1))
    assert result.charged.penalty == Decimal("6.50")  # 1,000 × 1.3 × 0.05 % × 10


@pytest.mark.skipif(not EXAMPLE.exists(), reason="runs in the creditrules repository")
def test_example_account_assesses() -> None:
    """examples/jiebei.toml: 10 days late on installment 3 (5.36), then repaid early."""
    result = assess(load_account(EXAMPLE), date(2025, 6, 30))
    assert result.charged.penalty == Decimal("5.36")
    assert result.balance.total == 0
    assert result.charged.interest == Decimal("601.74")
    (episode,) = result.episodes
    assert episode.max_days_past_due == 10
