"""Tests for the creditrules-huabei plugin: 花呗 Huabei's rules, through creditrules.assess."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import creditrules_huabei
import pytest
from creditrules_huabei import BillInstallment

import creditrules
from creditrules import (
    Account,
    Assessment,
    Bill,
    InputError,
    Payment,
    PolicyValue,
    assess,
)
from creditrules.io import load_account
from creditrules.remediation import Action

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "huabei.toml"
README = Path(__file__).resolve().parents[1] / "README.md"
MARCH = Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")
APRIL = Bill(date(2025, 4, 1), date(2025, 4, 10), "200.00")


def huabei(*bills: Bill, payments: tuple[Payment, ...] = (), **fields: Any) -> Account:
    """A Huabei account with these bills and payments."""
    return Account(
        id="test",
        provider="huabei",
        product="revolving",
        opened_on=date(2024, 1, 1),
        bills=bills or (MARCH,),
        payments=payments,
        **fields,
    )


def convert(bill: str = "bill-2025-03-10", periods: int = 12, **fields: Any) -> BillInstallment:
    """A bill-installment event dated 2025-03-05 (between March's statement and due dates)."""
    return BillInstallment(date(2025, 3, 5), bill, periods, **fields)


def items(result: Assessment, prefix: str) -> list[creditrules.DueItemResult]:
    """The due items whose id starts with ``prefix``."""
    return [item for item in result.items if item.id.startswith(prefix)]


# ---------------------------------------------------------------- the plugin


def test_plugin_registers_provider_rule_and_event_type() -> None:
    """Installing the package registers the provider, its rule and its event type."""
    registry = creditrules.get_registry()
    assert registry.provider("huabei").display_name == "花呗 Huabei"
    rule = registry.rules["huabei.bill_installment"]
    assert (rule.part_of, rule.origin) == ("provider.adjust", "huabei")
    assert registry.event_types["bill_installment"] is BillInstallment
    info = next(p for p in registry.plugins if p.name == "huabei")
    assert info.distribution == "creditrules-huabei"
    assert info.providers == ("huabei",)


def test_every_policy_value_and_fact_is_sourced_and_graded() -> None:
    """Every number and fact the provider ships carries a source and a grade A–D."""
    provider = creditrules_huabei.get_provider()
    assert provider.policy and provider.facts
    for value in provider.policy:
        assert value.source.strip()
        assert value.grade in ("A", "B", "C", "D")
    for fact in provider.facts:
        assert fact.source.strip()
        assert fact.grade in ("A", "B", "C", "D")


def test_policy_values_match_the_brief() -> None:
    """The provider's values are the sourced Huabei figures, with their grades."""
    values = creditrules_huabei.get_provider().policy_at(date(2025, 3, 1))
    assert values["penalty_daily_rate"].value == Decimal("0.0005")
    assert values["penalty_daily_rate"].grade == "B"
    assert "102177" in values["penalty_daily_rate"].source
    assert values["penalty_base"].value == "unpaid_amount"
    assert values["grace_days"].value == 0
    assert "no official source" in values["grace_days"].note.lower()
    assert values["minimum_payment_ratio"].value == Decimal("0.10")
    assert values["revolving_daily_rate"].value == Decimal("0.0005")
    assert values["bill_installment_fees"].value == (
        (3, Decimal("0.025")),
        (6, Decimal("0.045")),
        (9, Decimal("0.065")),
        (12, Decimal("0.088")),
    )
    assert values["bill_installment_fees"].grade == "C"


def test_facts_cover_due_days_reporting_and_closing() -> None:
    """The due-day options, reporting and authorisation/closing facts are provider facts."""
    provider = creditrules_huabei.get_provider()
    assert "15th" in provider.fact("due_day").text
    assert "重庆蚂蚁消费金融有限公司" in provider.fact("reporter").text
    assert "信用购" in provider.fact("reporter").text
    closing = provider.fact("closing")
    assert "个人信息保护法 Art. 15" in closing.source
    assert "does not remove past" in closing.text


# ---------------------------------------------------------------- overdue charge


def test_bill_paid_five_days_late_costs_two_fifty() -> None:
    """A bill of 1,000.00 due on the 10th and paid on the 15th costs 2.50 in overdue charge."""
    result = assess(huabei(payments=(Payment(date(2025, 3, 15), "1002.50"),)), date(2025, 3, 31))
    assert result.charged.penalty == Decimal("2.50")
    assert result.item("bill-2025-03-10").penalty_days == 5
    assert result.balance.total == 0
    (episode,) = result.episodes
    assert (episode.start, episode.end, episode.max_days_past_due) == (
        date(2025, 3, 11),
        date(2025, 3, 15),
        5,
    )


def test_brief_worked_example() -> None:
    """The source's worked example: 500.00 unpaid for 5 days costs 1.25."""
    account = huabei(Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00"))
    result = assess(account, date(2025, 3, 15))
    assert result.days_past_due == 5
    assert result.overdue.penalty == Decimal("1.25")


def test_account_policy_overrides_grace() -> None:
    """An account's own grace_days (e.g. a 3-day grace) overrides Huabei's 0."""
    grace = PolicyValue("grace_days", 3, source="my bills", grade="A")
    account = huabei(payments=(Payment(date(2025, 3, 13), "1000.00"),), policy=(grace,))
    result = assess(account, date(2025, 3, 31))
    assert result.charged.penalty == 0
    assert result.episodes == ()
    assert result.item("bill-2025-03-10").status == "paid_in_grace"


# ---------------------------------------------------------------- minimum payment


def test_minimum_payment_keeps_account_current_and_revolves_the_rest() -> None:
    """A 100.00 minimum paid on time: not overdue; 900.00 revolves, with interest from the 11th."""
    account = huabei(MARCH, APRIL, payments=(Payment(date(2025, 3, 10), "100.00"),))
    result = assess(account, date(2025, 3, 20))
    assert result.days_past_due == 0
    assert result.overdue.total == 0
    assert result.episodes == ()
    assert result.item("bill-2025-03-10").status == "revolved"
    rollover = result.item("revolved-2025-03-10")
    assert rollover.open_date == date(2025, 3, 11)
    assert rollover.due_date == APRIL.due_date  # rolled into the next bill
    assert rollover.scheduled.principal == Decimal("900.00")
    assert rollover.charged.interest == Decimal("900.00") * Decimal("0.0005") * 10  # 11th–20th
    assert result.charged.penalty == 0


def test_less_than_the_minimum_is_overdue() -> None:
    """Paying less than 10 % of the bill by its due date leaves it overdue, with the charge."""
    account = huabei(payments=(Payment(date(2025, 3, 10), "99.99"),))
    result = assess(account, date(2025, 3, 20))
    assert result.days_past_due == 10
    assert result.item("bill-2025-03-10").status == "overdue"
    assert result.overdue.penalty == Decimal("4.50")  # 900.01 × 0.05 % × 10 = 4.50005


# ---------------------------------------------------------------- bill installments


def test_bill_installment_converts_with_its_fee() -> None:
    """1,000.00 in 12 installments: 88.00 fee, split to the fen, first due a month later."""
    account = huabei(MARCH, events=(convert(),))
    result = assess(account, date(2025, 3, 31))
    with pytest.raises(KeyError):
        result.item("bill-2025-03-10")
    parts = items(result, "bill-2025-03-10-installment-")
    assert [p.period for p in parts] == list(range(1, 13))
    assert sum(p.scheduled.principal for p in parts) == Decimal("1000.00")
    assert sum(p.scheduled.fees for p in parts) == Decimal("88.00")
    assert {p.scheduled.principal for p in parts[:-1]} == {Decimal("83.33")}
    assert {p.scheduled.fees for p in parts[:-1]} == {Decimal("7.33")}
    assert (parts[-1].scheduled.principal, parts[-1].scheduled.fees) == (
        Decimal("83.37"),
        Decimal("7.37"),
    )
    assert (parts[0].open_date, parts[0].due_date) == (date(2025, 4, 1), date(2025, 4, 10))
    assert parts[-1].due_date == date(2026, 3, 10)
    assert result.days_past_due == 0
    assert result.balance.principal == Decimal("1000.00")
    (firing,) = result.fired("huabei.bill_installment")
    assert firing.fact("fee") == "88.00"
    assert firing.fact("fee_rate") == "0.088"
    assert "892c10a480ad94be" in firing.fact("fee_source")
    assert firing.policy == ("bill_installment_fees",)


def test_installments_paid_on_time_cost_only_the_fee() -> None:
    """Paying each of 3 installments on its due date costs exactly the 2.5 % fee."""
    payments = tuple(
        Payment(date(2025, month, 10), amount)
        for month, amount in ((4, "341.66"), (5, "341.66"), (6, "341.68"))
    )
    account = huabei(MARCH, payments=payments, events=(convert(periods=3),))
    result = assess(account, date(2025, 6, 30))
    assert result.balance.total == 0
    assert result.cost == Decimal("25.00")
    assert result.episodes == ()


def test_quoted_fee_rate_overrides_the_table() -> None:
    """The fee_rate on the event (the user's quoted price) wins over the list price."""
    account = huabei(MARCH, events=(convert(periods=6, fee_rate="0.03"),))
    result = assess(account, date(2025, 3, 31))
    assert sum(p.scheduled.fees for p in items(result, "bill-2025-03-10-")) == Decimal("30.00")
    (firing,) = result.fired("huabei.bill_installment")
    assert firing.policy == ()


def test_account_fee_table_overrides_the_provider() -> None:
    """An account's [policy] bill_installment_fees replaces the historical list price."""
    table = PolicyValue("bill_installment_fees", {"12": "0.06"}, source="my quote", grade="A")
    result = assess(huabei(MARCH, events=(convert(),), policy=(table,)), date(2025, 3, 31))
    assert sum(p.scheduled.fees for p in items(result, "bill-2025-03-10-")) == Decimal("60.00")


def test_partial_conversion_leaves_the_rest_on_the_bill() -> None:
    """Converting 600.00 of a 1,000.00 bill leaves 400.00 due on the bill's due date."""
    account = huabei(MARCH, events=(convert("2025-03-10", 3, amount="600.00"),))
    result = assess(account, date(2025, 3, 31))
    assert result.item("bill-2025-03-10").scheduled.principal == Decimal("400.00")
    assert result.days_past_due == 21
    parts = items(result, "bill-2025-03-10-installment-")
    assert sum(p.scheduled.principal for p in parts) == Decimal("600.00")
    assert sum(p.scheduled.fees for p in parts) == Decimal("15.00")


def test_late_installment_bears_the_overdue_charge() -> None:
    """An installment paid 5 days late bears 0.05 %/day on its unpaid amount, fee included."""
    account = huabei(
        MARCH,
        APRIL,
        payments=(Payment(date(2025, 4, 15), "543.01"),),
        events=(convert(periods=3),),
    )
    result = assess(account, date(2025, 4, 30))
    first = result.item("bill-2025-03-10-installment-1")
    assert first.charged.penalty == Decimal("0.85")  # 341.66 × 0.05 % × 5 = 0.85415
    assert result.item("bill-2025-04-10").charged.penalty == Decimal("0.50")
    (episode,) = result.episodes
    assert (episode.start, episode.end) == (date(2025, 4, 11), date(2025, 4, 15))


def test_unpaid_installment_due_alone_is_overdue() -> None:
    """An installment nobody paid, due on a day with no other bill, is overdue (not revolved)."""
    account = huabei(MARCH, events=(convert(periods=3),))
    result = assess(account, date(2025, 4, 20))
    assert result.days_past_due == 10


def test_conversion_after_the_assessment_date_is_not_applied() -> None:
    """A conversion dated after as_of has not happened yet: the bill is still a bill."""
    result = assess(huabei(MARCH, events=(convert(),)), date(2025, 3, 4))
    assert result.item("bill-2025-03-10").status == "open"
    assert result.fired("huabei.bill_installment") == ()
    assert result.ignored_events == 1


@pytest.mark.parametrize(
    ("event", "path", "words"),
    [
        (BillInstallment(date(2025, 3, 11), "bill-2025-03-10", 3), "$.events[0].date", "due date"),
        (BillInstallment(date(2025, 2, 28), "bill-2025-03-10", 3), "$.events[0].date", "statement"),
        (
            BillInstallment(date(2025, 3, 5), "bill-2025-03-10", 5),
            "$.events[0].periods",
            "fee_rate",
        ),
        (BillInstallment(date(2025, 3, 5), "2025-04-10", 3), "$.events[0].bill", "no bill"),
        (
            BillInstallment(date(2025, 3, 5), "2025-03-10", 3, amount="1000.01"),
            "$.events[0].amount",
            "at most",
        ),
    ],
)
def test_invalid_conversion_is_an_input_error(
    event: BillInstallment, path: str, words: str
) -> None:
    """A conversion out of statement–due, with no known fee, of no bill or too much is refused."""
    with pytest.raises(InputError) as caught:
        assess(huabei(MARCH, events=(event,)), date(2025, 3, 31))
    assert caught.value.path == path
    assert words in caught.value.message


def test_converting_a_bill_twice_is_an_input_error() -> None:
    """A bill can be converted once; a second conversion of it is refused."""
    account = huabei(MARCH, events=(convert(periods=3), convert(periods=6)))
    with pytest.raises(InputError) as caught:
        assess(account, date(2025, 3, 31))
    assert caught.value.path == "$.events[1].bill"


def test_event_validates_its_fields() -> None:
    """The event refuses fewer than 2 periods and an empty bill reference."""
    with pytest.raises(ValueError, match="at least 2"):
        BillInstallment(date(2025, 3, 5), "bill-2025-03-10", 1)
    with pytest.raises(ValueError, match="must name a bill"):
        BillInstallment(date(2025, 3, 5), " ", 3)


def test_generic_accounts_ignore_the_hook() -> None:
    """The plugin's adjust_timeline acts on Huabei accounts only."""
    account = attrs.evolve(huabei(MARCH, events=(convert(),)), provider="generic")
    result = assess(account, date(2025, 3, 31))
    assert result.item("bill-2025-03-10").kind == "bill"


# ---------------------------------------------------------------- converting: the action


def convert_action(result: Assessment) -> Action:
    """The one convert_to_installments action of ``result``."""
    (action,) = [a for a in result.actions if a.code == "convert_to_installments"]
    return action


def test_action_offers_converting_a_bill_before_its_due_date() -> None:
    """Between statement and due date, the plugin offers 3 periods for 2.5 %, its own event."""
    result = assess(huabei(MARCH), date(2025, 3, 5))
    action = convert_action(result)
    assert action.origin == "huabei"
    assert (action.deadline, action.amount) == (date(2025, 3, 10), Decimal("1000.00"))
    assert action.title == (
        "If you cannot pay the bill due 2025-03-10 in full: convert it into 3 installments "
        "(fee 25.00)"
    )
    assert action.events == (BillInstallment(date(2025, 3, 5), "bill-2025-03-10", 3),)
    assert dict(action.details) == {
        "bill": "bill-2025-03-10",
        "periods": "3",
        "fee_rate": "0.025",
        "fee": "25.00",
    }
    assert action.pay_to == "花呗 Huabei"
    (citation,) = action.citations
    assert (citation.subject, citation.grade) == ("bill_installment_fees", "C")
    assert "892c10a480ad94be" in citation.source
    assert action.steps[0] == (
        "In the 花呗 Huabei app, convert the bill due 2025-03-10 into installments "
        "(账单分期) on or before 2025-03-10."
    )
    assert action.steps[1] == (
        "Options and their fees: 3 months: fee 25.00 (2.5%), about 341.67 a month; "
        "6 months: fee 45.00 (4.5%), about 174.17 a month; 9 months: fee 65.00 (6.5%), "
        "about 118.34 a month; 12 months: fee 88.00 (8.8%), about 90.67 a month."
    )


def test_action_effect_states_the_measured_figures() -> None:
    """The effect's text states the figures the planner measures at the month's snapshot."""
    action = convert_action(assess(huabei(MARCH), date(2025, 3, 5)))
    effect = action.effect
    assert effect.horizon == date(2025, 3, 31) and effect.compared_with == ()
    assert (effect.cost_saved, effect.negative_months_avoided) == (Decimal("-14.50"), 1)
    assert effect.text == (
        "The bill of 1,000.00 due 2025-03-10 becomes 3 monthly installments, the first due "
        "a month later, for a fee of 25.00: nothing is past due on 2025-03-10. Compared with "
        "paying nothing more until 2025-03-31: 14.50 more in fees and interest, 1 negative "
        "month fewer on the credit report."
    )
    converted = creditrules.simulate(huabei(MARCH), action.events, date(2025, 3, 31))
    # No period has started by 2025-03-31: the fee is still to come, not charged yet
    # (before creditrules' issue 13, `charged` counted every period's fee from the start).
    assert converted.days_past_due == 0 and converted.charged.fees == 0
    assert converted.cost_to_come == Decimal("25.00")


def test_action_follows_the_account_fee_table_and_snapshot() -> None:
    """An account's own fee table and snapshot day set the periods, fee, source and horizon."""
    policy = (
        PolicyValue("bill_installment_fees", {"6": "0.04"}, source="my quote", grade="A"),
        PolicyValue("snapshot", 20, source="my report", grade="A"),
    )
    action = convert_action(assess(huabei(MARCH, policy=policy), date(2025, 3, 1)))
    assert (action.detail("periods"), action.detail("fee")) == ("6", "40.00")
    assert (action.citations[0].source, action.citations[0].grade) == ("my quote", "A")
    assert action.effect.horizon == date(2025, 3, 20)
    assert "until 2025-03-20" in action.effect.text


@pytest.mark.parametrize(
    ("as_of", "fields"),
    [
        (date(2025, 2, 28), {}),  # before the statement date
        (date(2025, 3, 11), {}),  # after the due date
        (date(2025, 3, 6), {"payments": (Payment(date(2025, 3, 5), "100.00"),)}),  # part paid
        (date(2025, 3, 6), {"events": (convert(periods=3),)}),  # already converted
        (date(2025, 3, 6), {"events": (convert(periods=3, amount="600.00"),)}),  # part converted
    ],
)
def test_action_only_for_an_open_unpaid_bill(as_of: date, fields: dict[str, Any]) -> None:
    """No conversion is offered outside statement..due date, nor for a paid or converted bill."""
    result = assess(huabei(MARCH, **fields), as_of)
    assert "convert_to_installments" not in [a.code for a in result.actions]


def test_readme_examples_run() -> None:
    """The README's Python examples (the convert_to_installments action) print what it shows."""
    failed, attempted = doctest.testfile(str(README), module_relative=False)
    assert attempted and not failed


def test_action_only_for_huabei_accounts() -> None:
    """The hook returns nothing for another provider, even with a fee table in its policy."""
    table = PolicyValue("bill_installment_fees", {"3": "0.025"}, source="s", grade="A")
    account = attrs.evolve(huabei(MARCH, policy=(table,)), provider="generic")
    result = assess(account, date(2025, 3, 5))
    assert "convert_to_installments" not in [a.code for a in result.actions]
    generic = creditrules.get_registry().provider("generic")
    registry = creditrules.get_registry()
    assert creditrules_huabei.provider_actions(result, account, generic, registry) is None


# ---------------------------------------------------------------- account files


def test_account_file_with_a_bill_installment_loads() -> None:
    """A bill_installment event in an account file loads as BillInstallment."""
    creditrules.get_registry()  # load plugins, so their event types are known
    account = load_account(
        """
        format = 1
        [account]
        id = "t"
        provider = "huabei"
        product = "revolving"
        opened_on = 2024-01-01
        [[bills]]
        statement_date = 2025-03-01
        due_date = 2025-03-10
        amount = "1000.00"
        [[events]]
        type = "bill_installment"
        date = 2025-03-05
        bill = "2025-03-10"
        periods = 6
        fee_rate = "0.045"
        """
    )
    (event,) = account.events
    assert isinstance(event, BillInstallment)
    assert event == BillInstallment(date(2025, 3, 5), "2025-03-10", 6, fee_rate="0.045")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="runs in the creditrules repository")
def test_example_account_assesses() -> None:
    """examples/huabei.toml: one late bill (8.23), one minimum payment (27.62), one conversion."""
    creditrules.get_registry()
    result = assess(load_account(EXAMPLE), date(2025, 6, 30))
    assert result.days_past_due == 0
    assert result.charged.penalty == Decimal("8.23")
    assert result.charged.interest == Decimal("27.62")
    assert result.paid.fees == Decimal("22.50")
    assert result.balance.total == Decimal("2500.00")
    assert [(e.start, e.end) for e in result.episodes] == [(date(2025, 2, 11), date(2025, 2, 17))]


def test_small_fee_split_never_negative() -> None:
    """A fee smaller than one fen per period is split without a negative part."""
    from creditrules_huabei._installments import split

    parts = split(Decimal("0.09"), 12)
    assert sum(parts) == Decimal("0.09") and min(parts) >= 0
    assert split(Decimal("100.00"), 3) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
