"""Tests for the creditrules-fenqile plugin: 分期乐 Fenqile's rules, through creditrules.assess."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import creditrules_fenqile
import pytest

import creditrules
from creditrules import (
    Account,
    GuarantorPaid,
    InputError,
    LoanTerms,
    Payment,
    PolicyValue,
    assess,
)
from creditrules.io import load_account

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "fenqile.toml"
START = date(2025, 1, 20)
BANK = "南京银行"
GUARANTOR = "深圳市乐信融资担保有限公司"
# 4,800.00 over 12 months, equal installments of 433.24 at 15 % a year (contract demo).
LOAN = LoanTerms("4800.00", 12, "equal_installment", START, annual_rate="0.15")
ON_TIME = (
    Payment(date(2025, 2, 20), "433.24"),
    Payment(date(2025, 3, 20), "433.24"),
    Payment(date(2025, 4, 20), "433.24"),
)
CONTRACT_PENALTY = PolicyValue("penalty_daily_rate", "0.0005", source="contract §8", grade="A")


def fenqile(*payments: Payment, loan: LoanTerms = LOAN, **fields: Any) -> Account:
    """A Fenqile account funded by a bank and guaranteed by Lexin's guarantee company."""
    return Account(
        id="test",
        provider="fenqile",
        product="installment",
        opened_on=START,
        loan=loan,
        payments=payments or ON_TIME,
        funder=BANK,
        guarantor=GUARANTOR,
        **fields,
    )


def test_plugin_registers_provider_and_rule() -> None:
    """Installing the package registers the fenqile provider and the fenqile.guarantor rule."""
    registry = creditrules.get_registry()
    assert registry.provider("fenqile").name_zh == "分期乐"
    rule = registry.rules["fenqile.guarantor"]
    assert (rule.part_of, rule.origin) == ("provider.adjust", "fenqile")


def test_every_policy_value_and_fact_is_sourced_and_graded() -> None:
    """Every number and fact the provider ships carries a source and a grade A–D."""
    provider = creditrules_fenqile.get_provider()
    for value in provider.policy:
        assert value.source.strip()
        assert value.grade in ("A", "B", "C", "D")
    for fact in provider.facts:
        assert fact.source.strip()
        assert fact.grade in ("A", "B", "C", "D")


def test_ships_no_penalty_number_and_says_so() -> None:
    """No penalty, late fee or grace number is shipped; each is listed as unknown with why."""
    provider = creditrules_fenqile.get_provider()
    shipped = {value.name for value in provider.policy}
    assert shipped.isdisjoint({"penalty_daily_rate", "penalty_rate_multiplier", "grace_days"})
    unknown = dict(provider.unknown)
    assert "contract" in unknown["penalty_daily_rate"]
    assert {"penalty_daily_rate", "grace_days", "penalty_base"} <= set(unknown)


def test_facts_name_the_structure_and_the_retention_rule() -> None:
    """Funder, guarantor and compensation come from the 2025 court case; retention is 5 years."""
    provider = creditrules_fenqile.get_provider()
    funding = provider.fact("funding")
    assert BANK in funding.text and GUARANTOR in funding.text
    assert (funding.grade, funding.source.split("/")[0]) == ("B", "digipub.cc")
    assert "代偿" in provider.fact("guarantor_compensation").text
    retention = provider.fact("retention")
    assert (retention.source, retention.grade) == ("征信业管理条例 Art. 16", "A")
    assert "5 years from the day the overdue ends" in retention.text


def test_without_contract_terms_assesses_and_says_penalty_unknown() -> None:
    """Without contract penalty terms: DPD and the episode are computed, the penalty is unknown."""
    result = assess(fenqile(), date(2025, 6, 30))
    assert result.days_past_due == 41  # installment 4, due 2025-05-20
    assert result.overdue.principal > 0
    assert result.charged.penalty == 0
    (episode,) = result.episodes
    assert (episode.start, episode.end) == (date(2025, 5, 21), None)
    assert any("penalty_daily_rate" in text for text in result.unknowns)
    assert result.fired("penalty.unknown")


def test_with_contract_terms_charges_them() -> None:
    """With penalty_daily_rate from the contract, the penalty is charged on the unpaid amount."""
    late = (*ON_TIME, Payment(date(2025, 6, 9), "437.57"))
    result = assess(fenqile(*late, policy=(CONTRACT_PENALTY,)), date(2025, 6, 9))
    assert result.item("installment-4").charged.penalty == Decimal("4.33")  # 433.24 × 0.05 % × 20
    assert not any(text.startswith("penalty_daily_rate") for text in result.unknowns)
    assert any(text.startswith("grace_days") for text in result.unknowns)  # still assumed
    assert result.days_past_due == 0


def test_guarantor_compensation_moves_the_debt() -> None:
    """After 代偿 the debt is owed to the guarantor (named on the account) and keeps running."""
    before = assess(fenqile(), date(2025, 7, 24))
    assert before.owed_to == BANK
    account = fenqile(events=(GuarantorPaid(date(2025, 7, 25)),))
    after = assess(account, date(2025, 7, 31))
    assert after.owed_to == GUARANTOR
    assert after.guarantor_paid_on == date(2025, 7, 25)
    assert after.balance.total > 0
    (named,) = after.fired("fenqile.guarantor")
    assert named.fact("guarantor") == GUARANTOR
    (compensation,) = after.fired("guarantor.compensation")
    assert compensation.fact("guarantor") == GUARANTOR


def test_guarantor_named_on_the_event_wins() -> None:
    """A guarantor_paid event that names its guarantor is left as it is."""
    other = "某融资担保有限公司"
    account = fenqile(events=(GuarantorPaid(date(2025, 7, 25), guarantor=other),))
    result = assess(account, date(2025, 7, 31))
    assert result.owed_to == other
    assert result.fired("fenqile.guarantor") == ()


def test_thirty_six_months_allowed_forty_eight_refused() -> None:
    """Loans of up to 36 months are accepted; a 48-month loan is an InputError saying why."""
    assess(fenqile(loan=attrs.evolve(LOAN, term_months=36)), date(2025, 3, 1))
    with pytest.raises(InputError) as caught:
        assess(fenqile(loan=attrs.evolve(LOAN, term_months=48)), date(2025, 3, 1))
    assert caught.value.path == "$.loan.term_months"
    assert "at most 36 months" in caught.value.message


@pytest.mark.skipif(not EXAMPLE.exists(), reason="runs in the creditrules repository")
def test_example_account_assesses() -> None:
    """examples/fenqile.toml: unpaid since May, compensated by the guarantor, penalty unknown."""
    result = assess(load_account(EXAMPLE), date(2025, 8, 31))
    assert result.days_past_due == 103
    assert result.owed_to == GUARANTOR
    assert result.charged.penalty == 0
    assert result.unknowns
