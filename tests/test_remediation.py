"""The remediation planner: assessment.actions, negotiated plans and the provider_actions hook."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import creditrules
from creditrules import (
    Account,
    Agreement,
    Assessment,
    Bill,
    LoanTerms,
    Payment,
    PolicyValue,
    ReportedMonth,
    assess,
    hookimpl,
    plan_actions,
    plan_negotiation,
    simulate,
)
from creditrules._plugins import get_registry, reset_registry
from creditrules.comparison import total_cost
from creditrules.remediation import (
    CATALOGUE,
    Action,
    Effect,
    NegotiatedPlan,
    rank,
)
from creditrules.testing import strategies as cs

ROOT = Path(__file__).resolve().parents[1]
D = Decimal
RATE = PolicyValue("penalty_daily_rate", "0.0005", source="contract §7", grade="A")
NEGATIVE = frozenset("1234567DB")
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _policy(name: str, value: Any) -> PolicyValue:
    return PolicyValue(name, value, source="contract", grade="A")


def _revolving(*bills: Bill, payments: tuple[Payment, ...] = (), **extra: Any) -> Account:
    return Account(
        id="card",
        provider="generic",
        product="revolving",
        opened_on=date(2024, 1, 5),
        bills=bills or (Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00"),),
        payments=payments,
        policy=extra.pop("policy", (RATE,)),
        **extra,
    )


def _codes(result: Assessment) -> list[str]:
    return [a.code for a in result.actions]


def _action(result: Assessment, code: str) -> Action:
    found = [a for a in result.actions if a.code == code]
    assert len(found) == 1, f"{code}: {_codes(result)}"
    return found[0]


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


# --------------------------------------------------------------------------- the catalogue


def test_catalogue_lists_every_built_in_code_once() -> None:
    """The catalogue has the codes of issue 5, each with a title, a condition and an effect."""
    assert set(CATALOGUE) == {
        "pay_within_grace",
        "pay_before_report",
        "pay_overdue_now",
        "pay_off",
        "convert_to_installments",
        "request_penalty_waiver",
        "negotiate_plan",
        "one_time_relief",
        "file_dispute",
        "add_personal_statement",
        "check_credit_report",
        "wait_for_expiry",
        "beware_repair_scams",
    }
    for code, kind in CATALOGUE.items():
        assert kind.code == code and kind.title and kind.when and kind.effect


def test_the_reference_documents_every_code() -> None:
    """docs/reference/actions.md describes every code of the catalogue."""
    text = (ROOT / "docs" / "reference" / "actions.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"`{code}`" in text, code


def test_nothing_to_do_for_an_account_paid_on_time() -> None:
    """An account paid on time, with nothing on its report, gets no action."""
    account = _revolving(payments=(Payment(date(2025, 3, 9), "1000.00"),))
    assert assess(account, as_of=date(2025, 4, 30)).actions == ()


# --------------------------------------------------------------------------- paying


def test_pay_within_grace_comes_first_with_its_deadline_and_amount() -> None:
    """Within a 3-day grace period: pay the bill by the grace end; paid then, no penalty."""
    account = _revolving(policy=(RATE, _policy("grace_days", 3)))
    result = assess(account, as_of=date(2025, 3, 12))
    first = result.actions[0]
    assert (first.code, first.priority, first.deadline, first.amount) == (
        "pay_within_grace",
        1,
        date(2025, 3, 13),
        D("1000.00"),
    )
    assert first.events == (Payment(date(2025, 3, 13), "1000.00"),)
    paid = simulate(account, first.events, date(2025, 3, 31))
    assert paid.item("bill-2025-03-10").status == "paid_in_grace" and paid.penalty == 0
    assert paid.report is not None and paid.report.months["2025-03"] == "N"
    # Left unpaid to the month end, 21 days of penalty and a 1 would have been the cost.
    assert first.effect.cost_saved == D("10.50") and first.effect.negative_months_avoided == 1
    assert first.effect.horizon == date(2025, 3, 31) and first.effect.record_disappears_on is None
    assert {c.subject for c in first.citations} == {"grace_days", "grace_waives_penalty"}


def test_pay_before_report_amount_includes_penalty_to_the_snapshot() -> None:
    """Overdue on 15 March: pay 1,000 + 21 days of penalty by 31 March and March is clean."""
    account = _revolving()
    result = assess(account, as_of=date(2025, 3, 15))
    action = _action(result, "pay_before_report")
    assert action.deadline == date(2025, 3, 31)
    assert action.amount == D("1010.50")  # 1,000.00 × 0.05 % × 21 days = 10.50
    assert action.detail("month") == "2025-03"
    paid = simulate(account, [Payment(action.deadline, action.amount)], action.deadline)
    assert paid.report is not None and paid.report.history["2025-03"] == "M"
    short = simulate(
        account, [Payment(action.deadline, action.amount - D("0.01"))], action.deadline
    )
    assert short.report is not None and short.report.history["2025-03"] == "1"


def test_pay_before_report_with_a_snapshot_day_and_a_later_bill() -> None:
    """With a day-20 snapshot, the amount covers every item due before it, penalty included."""
    account = _revolving(
        Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00"),
        Bill(date(2025, 4, 1), date(2025, 4, 10), "200.00"),
        policy=(RATE, _policy("snapshot", 20)),
    )
    result = assess(account, as_of=date(2025, 4, 5))
    action = _action(result, "pay_before_report")
    assert action.deadline == date(2025, 4, 20) and action.detail("month") == "2025-04"
    # 1,000.00 × 0.05 % × 41 days + 200.00 × 0.05 % × 10 days
    assert action.amount == D("1000.00") + D("20.50") + D("200.00") + D("1.00")
    paid = simulate(account, action.events, date(2025, 4, 20))
    assert paid.report is not None and paid.report.history["2025-04"] not in NEGATIVE


def test_pay_overdue_now_ends_the_episode_today() -> None:
    """pay_overdue_now is everything past due with penalty to today, ranked first."""
    result = assess(_revolving(), as_of=date(2025, 4, 5))
    first = result.actions[0]
    assert first.code == "pay_overdue_now" and first.deadline == date(2025, 4, 5)
    assert first.amount == result.overdue.total == D("1013.00")
    assert first.pay_to == result.owed_to or first.pay_to == "通用 Generic"
    paid = simulate(_revolving(), first.events, date(2025, 4, 5))
    assert paid.days_past_due == 0 and paid.episodes[0].end == date(2025, 4, 5)
    # March was reported as 1; paid now, April stays clean and the record expires in 2030
    # (or the 2025 relief hides it on 2026-01-01).
    assert first.effect.negative_months_avoided == 1
    assert first.effect.record_disappears_on == date(2026, 1, 1)


def test_priorities_follow_deadlines_then_effects() -> None:
    """Actions are numbered 1.. by deadline; undated ones follow, by effect then catalogue."""
    result = assess(_revolving(), as_of=date(2025, 4, 5))
    assert [a.priority for a in result.actions] == list(range(1, len(result.actions) + 1))
    dated = [a.deadline for a in result.actions if a.deadline is not None]
    assert dated == sorted(dated)
    first_undated = next(i for i, a in enumerate(result.actions) if a.deadline is None)
    assert all(a.deadline is None for a in result.actions[first_undated:])
    assert rank(reversed(result.actions)) == result.actions


def test_unknown_penalty_is_said_not_invented() -> None:
    """Without a penalty rate the amount leaves the penalty out and the steps say so."""
    account = _revolving(policy=())
    action = _action(assess(account, as_of=date(2025, 3, 20)), "pay_overdue_now")
    assert action.amount == D("1000.00")
    assert any("penalty rate of this account is unknown" in step for step in action.steps)


def test_pay_off_saves_the_interest_of_an_early_repayment() -> None:
    """An overdue prepay loan: repaying all today saves the interest still to come."""
    account = Account(
        id="loan",
        provider="generic",
        product="installment",
        opened_on=date(2025, 1, 15),
        loan=LoanTerms("12000.00", 12, "equal_installment", date(2025, 1, 15), daily_rate="0.0004"),
        policy=(
            _policy("penalty_rate_multiplier", "1.5"),
            _policy("penalty_base", "unpaid_principal"),
            _policy("overpayment", "prepay"),
        ),
        payments=[Payment(date(2025, 2, 14), "1079.71")],
    )
    result = assess(account, as_of=date(2025, 3, 20))
    action = _action(result, "pay_off")
    assert action.deadline is None and action.effect.cost_saved is not None
    assert action.effect.cost_saved > 0
    paid = simulate(account, action.events, date(2026, 1, 31))
    assert paid.balance.total == 0 and paid.current_episode is None
    assert any(c.source == "民法典 Art. 677" for c in action.citations)


def test_penalty_waiver_is_asked_for_not_promised() -> None:
    """request_penalty_waiver names the penalty owed and says nothing obliges the lender."""
    result = assess(_revolving(), as_of=date(2025, 3, 20))
    action = _action(result, "request_penalty_waiver")
    assert action.amount == result.balance.penalty == D("5.00")
    assert action.effect.cost_saved == D("5.00") and action.deadline is None
    assert any("nothing obliges" in step for step in action.steps)
    assert action.citations[0].grade == "C"


# --------------------------------------------------------------------------- huabei


def test_convert_to_installments_where_the_provider_offers_it() -> None:
    """A Huabei bill before its due date: convert into 3 periods for a 2.5 % fee."""
    pytest.importorskip("creditrules_huabei")
    account = Account(
        id="hb",
        provider="huabei",
        product="revolving",
        opened_on=date(2024, 1, 5),
        bills=[Bill(date(2025, 5, 1), date(2025, 5, 10), "3000.00")],
    )
    result = assess(account, as_of=date(2025, 5, 3))
    action = _action(result, "convert_to_installments")
    assert action.deadline == date(2025, 5, 10) and action.amount == D("3000.00")
    assert action.detail("fee") == "75.00" and action.detail("periods") == "3"
    assert action.citations[0].subject == "bill_installment_fees"
    converted = simulate(account, action.events, date(2025, 5, 31))
    assert converted.days_past_due == 0
    # The fee is charged period by period: by the last period all 75.00 is charged
    # (before issue 13, `charged` counted every period's fee from the first day).
    assert simulate(account, action.events, date(2025, 8, 31)).charged.fees == D("75.00")
    assert (action.effect.negative_months_avoided, action.effect.cost_saved) == (1, D("-43.50"))
    # Not offered by a provider without bill installments, nor after the due date.
    assert "convert_to_installments" not in _codes(assess(_revolving(), date(2025, 3, 5)))
    assert "convert_to_installments" not in _codes(assess(account, date(2025, 5, 11)))


# --------------------------------------------------------------------------- the report


def _relief_account(amount: str = "1000.00") -> Account:
    return _revolving(Bill(date(2025, 9, 1), date(2025, 9, 10), amount), policy=(RATE,))


def test_one_time_relief_for_an_unpaid_2025_episode_in_february_2026() -> None:
    """Assessed 2026-02-10, an unpaid 2025 overdue qualifies if repaid by 2026-03-31."""
    account = _relief_account()
    result = assess(account, as_of=date(2026, 2, 10))
    action = _action(result, "one_time_relief")
    assert action.deadline == date(2026, 3, 31) and action.amount == result.overdue.total
    assert action.detail("relief") == "pboc-2025-one-time"
    assert action.effect.record_disappears_on == date(2026, 3, 31)
    paid = simulate(account, action.events, date(2026, 3, 31))
    assert paid.report is not None and paid.report.records[0].status == "relieved"
    assert any("automatic and free" in step for step in action.steps)


def test_no_relief_after_its_last_day_or_above_its_amount() -> None:
    """Not after 2026-03-31, and not for an overdue above 10,000.00."""
    assert "one_time_relief" not in _codes(assess(_relief_account(), date(2026, 4, 1)))
    large = _relief_account("12000.00")
    assert "one_time_relief" not in _codes(assess(large, date(2026, 2, 10)))
    assert "pay_overdue_now" in _codes(assess(large, date(2026, 2, 10)))


def test_wait_for_expiry_statement_and_check_for_an_ended_record() -> None:
    """A visible, ended record: its date, a personal statement, a report check, the scams."""
    account = _revolving(payments=(Payment(date(2025, 5, 20), "1035.50"),))
    result = assess(account, as_of=date(2025, 8, 31))
    codes = _codes(result)
    assert codes == [
        "wait_for_expiry",
        "add_personal_statement",
        "check_credit_report",
        "beware_repair_scams",
    ]
    wait = _action(result, "wait_for_expiry")
    assert wait.effect.record_disappears_on == date(2026, 1, 1)  # the 2025 relief
    assert {c.grade for c in wait.citations} == {"A"}
    statement = _action(result, "add_personal_statement")
    assert statement.citations[0].source.endswith("Art. 16")
    check = _action(result, "check_credit_report")
    assert check.citations[0].source.endswith("Art. 17") and "two" in check.title


def test_file_dispute_for_each_month_reported_worse() -> None:
    """A month reported 1 where creditrules computes N: dispute it, free, 20-day reply."""
    account = _revolving(
        payments=(Payment(date(2025, 3, 9), "1000.00"),),
        reported=(ReportedMonth("2025-03", "1"), ReportedMonth("2025-02", "N")),
    )
    result = assess(account, as_of=date(2025, 4, 30))
    (dispute,) = [a for a in result.actions if a.code == "file_dispute"]
    assert dispute.detail("month") == "2025-03" and dispute.detail("reply_days") == "20"
    assert "Credit Reference Center" in dispute.detail("or_with")
    assert dispute.detail("file_with").startswith("the institution that reported it")
    assert dispute.effect.negative_months_avoided == 1
    art_25 = [c for c in dispute.citations if c.source.endswith("Art. 25")]
    assert art_25 and art_25[0].grade == "A"
    assert any("costs nothing" in step for step in dispute.steps)
    assert "check_credit_report" in _codes(result)


# --------------------------------------------------------------------------- negotiated plans


def test_plan_negotiation_pins_the_worked_example() -> None:
    """3,046.50 owed on 10 April at 1,100 a month: 3 × 1,015.50, the last on 10 July."""
    account = _revolving(Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00"))
    plan = plan_negotiation(account, as_of=date(2025, 4, 10), capacity="1100")
    assert isinstance(plan, NegotiatedPlan)
    assert (plan.owed, plan.term_months, plan.monthly, plan.last_due, plan.total) == (
        D("3046.50"),
        3,
        D("1015.50"),
        date(2025, 7, 10),
        D("3046.50"),
    )
    assert plan.feasible and plan.extra_cost == 0 and plan.pay_now == D("3046.50")
    assert not plan.policy.max_term_known and plan.policy.max_term_months == 60
    assert plan.policy.penalty_stops is None
    sources = {c.source: c.grade for c in plan.citations}
    assert sources["商业银行信用卡业务监督管理办法 Art. 70"] == "A"
    assert any(grade == "C" and "online lenders" in src for src, grade in sources.items())
    assert any("online lenders" in note for note in plan.policy.notes)
    assert any("penalty stops" in note for note in plan.policy.notes)
    checklist = " ".join(plan.checklist)
    for words in ("Explain the cause", "proof of income", "medical records", "in writing"):
        assert words in checklist
    assert "3 monthly payments of 1,015.50" in checklist
    event = plan.as_event()
    assert isinstance(event, Agreement) and event.total == plan.owed


def test_plan_with_a_down_payment_and_a_later_start() -> None:
    """A down payment on the signing day lowers what the plan replaces."""
    account = _revolving(Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00"))
    plan = plan_negotiation(
        account,
        as_of=date(2025, 4, 10),
        capacity="500",
        down_payment="1000",
        start=date(2025, 4, 15),
    )
    # 3,000.00 + 36 days of penalty (54.00) − 1,000.00
    assert plan.owed == D("2054.00") and plan.term_months == 5 and plan.monthly == D("410.80")
    assert plan.total == D("3054.00") and plan.extra_cost == D("7.50")
    assert plan.events()[0] == Payment(date(2025, 4, 15), "1000.00")
    kept = simulate(account, plan.events(), plan.last_due)
    assert kept.balance.total == 0 and kept.paid.total == plan.total


def test_plan_respects_a_known_maximum_term() -> None:
    """With negotiation_max_term_months = 12, a small capacity gives 12 larger installments."""
    account = _revolving(
        Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00"),
        policy=(
            RATE,
            _policy("negotiation_max_term_months", 12),
            _policy("negotiation_penalty_stops", True),
        ),
    )
    plan = plan_negotiation(account, as_of=date(2025, 4, 10), capacity="100")
    assert plan.term_months == 12 and not plan.feasible and plan.monthly > plan.capacity
    assert plan.policy.max_term_known and plan.policy.penalty_stops is True
    assert {c.subject for c in plan.citations} >= {
        "negotiation_max_term_months",
        "negotiation_penalty_stops",
    }
    negotiate = _action(assess(account, as_of=date(2025, 4, 10)), "negotiate_plan")
    assert negotiate.detail("max_term_months") == "12"
    assert negotiate.detail("penalty_stops") == "true"


def test_plan_negotiation_refuses_impossible_requests() -> None:
    """Capacity must be positive, the start not before as_of, and something owed."""
    account = _revolving()
    with pytest.raises(ValueError, match="capacity"):
        plan_negotiation(account, as_of=date(2025, 4, 10), capacity="0")
    with pytest.raises(ValueError, match="before as_of"):
        plan_negotiation(account, as_of=date(2025, 4, 10), capacity="10", start=date(2025, 4, 1))
    with pytest.raises(ValueError, match="nothing is owed"):
        plan_negotiation(
            _revolving(payments=(Payment(date(2025, 3, 9), "1000.00"),)),
            as_of=date(2025, 4, 10),
            capacity="10",
        )
    with pytest.raises(ValueError, match="after the down payment"):
        plan_negotiation(account, as_of=date(2025, 4, 10), capacity="10", down_payment="2000")


@PROPERTY
@given(
    cs.accounts(provider=None, max_items=6),
    st.data(),
)
def test_a_plan_never_exceeds_the_max_term_and_its_total_matches_simulate(
    account: Account, data: st.DataObject
) -> None:
    """Any account owing money: the plan is within its max term and, kept, repays all."""
    as_of = data.draw(cs.as_of_dates(account, max_days_after=200), label="as_of")
    capacity = data.draw(cs.amounts(min_value="1.00", max_value="5000.00"), label="capacity")
    max_term = data.draw(st.none() | st.integers(1, 36), label="max_term")
    if max_term is not None:
        others = tuple(v for v in account.policy if v.name != "negotiation_max_term_months")
        account = attrs.evolve(
            account, policy=(*others, _policy("negotiation_max_term_months", max_term))
        )
    try:
        plan = plan_negotiation(account, as_of=as_of, capacity=capacity)
    except ValueError as exc:
        assert "nothing is owed" in str(exc)
        return
    assert 1 <= plan.term_months <= (max_term or 60) == plan.policy.max_term_months
    assert plan.feasible == (plan.monthly <= capacity)
    assert all(p.amount <= plan.monthly for p in plan.installments)
    known = attrs.evolve(
        account,
        payments=tuple(p for p in account.payments if p.date <= as_of),
        events=tuple(e for e in account.events if e.date <= as_of),
    )
    before = simulate(known, [], as_of)
    kept = simulate(known, plan.events(), plan.last_due)
    note(f"plan {plan.installments}")
    (firing,) = [f for f in kept.fired("agreement.plan") if f.subject == f"agreement {as_of}"]
    assert D(firing.fact("owed")) == plan.owed == D(firing.fact("plan_total"))
    assert firing.fact("waived") == "0.00" and firing.fact("plan_fee") == "0.00"
    assert kept.balance.total == 0 and kept.overdue.total == 0
    assert kept.paid.total - before.paid.total == plan.total - kept.credit + before.credit


# --------------------------------------------------------------------------- effects are real


def _obtained(account: Account, action: Action) -> Effect:
    """Re-simulate an action's claim independently of the planner."""
    effect = action.effect
    assert effect.horizon is not None
    base = simulate(account, effect.compared_with, effect.horizon)
    after = simulate(account, action.events, effect.horizon)

    def negative(result: Assessment) -> int:
        assert result.report is not None
        return sum(1 for code in result.report.history.values() if code in NEGATIVE)

    record = None
    if effect.episode_start is not None and after.report is not None:
        record = next(
            (r for r in after.report.records if r.episode_start == effect.episode_start), None
        )
    return attrs.evolve(
        effect,
        # An effect counts the cost to come too (e.g. installment fees not yet billed).
        cost_saved=(total_cost(base) + base.cost_to_come)
        - (total_cost(after) + after.cost_to_come),
        negative_months_avoided=negative(base) - negative(after),
        record_disappears_on=record.hidden_from if record is not None else None,
    )


def _check_claims(account: Account, as_of: date, result: Assessment) -> None:
    known = attrs.evolve(
        account,
        payments=tuple(p for p in account.payments if p.date <= as_of),
        events=tuple(e for e in account.events if e.date <= as_of),
    )
    creditors = {result.owed_to, *(p.display_name for p in get_registry().providers.values())}
    for action in result.actions:
        note(f"{action.code}: {action.title}")
        assert action.code in CATALOGUE
        if action.events:
            assert action.effect.horizon is not None and action.effect.horizon >= as_of
            assert _obtained(known, action) == action.effect
        if action.pay_to is not None:
            assert action.pay_to in creditors  # never a third party
        if action.code in ("pay_within_grace", "pay_overdue_now", "pay_before_report"):
            assert action.deadline is not None and action.amount is not None
            assert action.events == (Payment(action.deadline, action.amount),)
        if action.code == "pay_before_report":
            paid = simulate(known, action.events, action.deadline)  # type: ignore[arg-type]
            assert paid.report is not None
            assert paid.report.history[_month(action.deadline)] not in NEGATIVE  # type: ignore[arg-type]
        if action.code == "pay_within_grace":
            assert action.deadline is not None
            paid = simulate(known, action.events, action.deadline)
            assert paid.days_past_due == 0 or paid.current_episode is None
        if action.code == "pay_overdue_now":
            paid = simulate(known, action.events, as_of)
            assert paid.current_episode is None and paid.days_past_due == 0
        text = " ".join((action.title, action.effect.text, *action.steps)).lower()
        if "repair" in text:
            assert action.code == "beware_repair_scams"


@PROPERTY
@given(cs.accounts(provider=None, max_items=8), st.data())
def test_every_stated_effect_is_the_simulated_effect(account: Account, data: st.DataObject) -> None:
    """For generated accounts, each action's effect equals an independent re-simulation."""
    as_of = data.draw(cs.as_of_dates(account, max_days_after=200), label="as_of")
    result = assess(account, as_of)
    _check_claims(account, as_of, result)
    assert result.report is not None
    if result.report.records or result.current_episode is not None:
        assert "beware_repair_scams" in _codes(result)
    if any(d.direction == "worse" for d in result.report.discrepancies):
        assert "file_dispute" in _codes(result)
    assert plan_actions(account, as_of) == result.actions


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cs.accounts(
        max_items=6,
        behaviours=st.sampled_from(("missed", "partial", "late")),
        opened_on=cs.dates(min_value=date(2024, 6, 1), max_value=date(2025, 10, 1)),
    ),
    st.data(),
)
def test_effects_of_overdue_accounts_are_the_simulated_effects(
    account: Account, data: st.DataObject
) -> None:
    """Accounts with missed payments, assessed around the 2025 relief: the claims hold."""
    first = max(date(2025, 6, 1), account.opened_on)  # never before the account opened
    as_of = data.draw(st.dates(first, date(2026, 5, 31)), label="as_of")
    result = assess(account, as_of)
    _check_claims(account, as_of, result)


def _targeted_policies() -> st.SearchStrategy[tuple[PolicyValue, ...]]:
    """A penalty rate, a grace period of 1–10 days and either overpayment rule."""
    return st.tuples(
        cs.policy_values(names=st.just("penalty_daily_rate")),
        st.integers(1, 10).map(lambda days: _policy("grace_days", days)),
        st.sampled_from(("credit", "prepay")).map(lambda rule: _policy("overpayment", rule)),
        st.booleans().map(lambda waives: _policy("grace_waives_penalty", waives)),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cs.accounts(policies=_targeted_policies(), max_items=6, with_events=False), st.data())
def test_effects_within_grace_with_disputes_and_early_repayment(
    account: Account, data: st.DataObject
) -> None:
    """Accounts with grace, real-report months and early repayment, just after a due date."""
    dues = [b.due_date for b in account.bills]
    if account.loan is not None:
        dues = [i.due_date for i in creditrules.build_schedule(account.loan)]
    as_of = data.draw(st.sampled_from(dues), label="due") + timedelta(
        days=data.draw(st.integers(1, 12), label="days after")
    )
    reported = data.draw(
        st.lists(
            cs.reported_months(months=st.dates(account.opened_on, as_of)),
            max_size=3,
            unique_by=lambda r: r.month,
        ),
        label="reported",
    )
    account = attrs.evolve(account, reported=reported)
    result = assess(account, as_of)
    _check_claims(account, as_of, result)
    codes = _codes(result)
    if any(i.status == "in_grace" for i in result.items) and result.current_episode is None:
        assert codes[0] == "pay_within_grace"


# --------------------------------------------------------------------------- no third party


def test_no_action_sends_anyone_to_a_paid_repair_service() -> None:
    """A true record: the only mention of repair is the warning, and it says never to pay."""
    result = assess(_revolving(), as_of=date(2025, 6, 30))
    scams = _action(result, "beware_repair_scams")
    assert "cannot be removed for money" in scams.effect.text
    assert any("free" in s for s in scams.steps)
    for action in result.actions:
        if action.code != "beware_repair_scams":
            text = " ".join((action.title, action.effect.text, *action.steps)).lower()
            assert "repair" not in text and "征信修复" not in text
        if action.events:
            assert action.pay_to in (result.owed_to, "通用 Generic", None)


# --------------------------------------------------------------------------- the hook


class HardshipPlugin:
    """An in-process plugin with a hardship programme (the provider_actions hook)."""

    calls: ClassVar[list[Assessment]] = []

    @hookimpl
    def provider_actions(
        self, assessment: Assessment, account: Account, provider: creditrules.Provider
    ) -> list[Action] | None:
        """Offer a programme on overdue generic accounts; simulating inside is safe."""
        self.calls.append(assessment)
        if provider.id != "generic" or assessment.current_episode is None:
            return None
        assert assessment.actions == ()  # the hook sees the assessment with no actions
        inner = simulate(account, [], assessment.as_of)  # simulating inside is safe
        assert inner.days_past_due == assessment.days_past_due
        waiver = creditrules.Waiver(assessment.as_of, "penalty", assessment.balance.penalty)
        return [
            Action(
                code="test.hardship_programme",
                title="Apply for the hardship programme",
                deadline=assessment.as_of + timedelta(days=30),
                effect=Effect("Penalty forgiven.", horizon=date(2025, 4, 30), cost_saved=D("999")),
                events=(waiver,),
            )
        ]


class BrokenPlugin:
    """An in-process plugin whose provider_actions raises."""

    @hookimpl
    def provider_actions(self, assessment: Assessment, account: Account, provider: Any) -> None:
        """Fail."""
        raise RuntimeError("boom")


@pytest.fixture
def plugins() -> Iterator[None]:
    """A registry with the hardship and broken plugins."""
    HardshipPlugin.calls.clear()
    get_registry(extra=(("hardship", HardshipPlugin()), ("broken", BrokenPlugin())))
    yield
    reset_registry()


def test_plugins_contribute_actions_once_per_assessment(plugins: None) -> None:
    """A plugin's action is ranked with the others, its origin set and its effect measured."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = assess(_revolving(), as_of=date(2025, 4, 5))
        assert HardshipPlugin.calls == []  # actions are planned on first access
        result.actions  # noqa: B018
        result.actions  # noqa: B018 - planned once, then kept
    assert len(HardshipPlugin.calls) == 1
    action = _action(result, "test.hardship_programme")
    assert action.origin == "hardship" and action.effect.text == "Penalty forgiven."
    assert action.effect.cost_saved == result.balance.penalty  # measured: not 999
    assert any("broken" in str(w.message) and "boom" in str(w.message) for w in caught)
    assert "pay_overdue_now" in _codes(result)


def test_a_broken_plugin_is_fatal_when_strict(plugins: None) -> None:
    """With strict plugins, a plugin raising in provider_actions is a PluginError."""
    get_registry(strict=True, extra=(("broken", BrokenPlugin()),))
    with pytest.raises(creditrules.PluginError, match="provider_actions"):
        assess(_revolving(), as_of=date(2025, 4, 5)).actions  # noqa: B018


# --------------------------------------------------------------------------- values and CLI


def test_actions_round_trip_and_serialise() -> None:
    """Assessments with actions survive to_dict/from_dict, and the JSON names each event type."""
    result = assess(_revolving(), as_of=date(2025, 4, 5))
    assert creditrules.from_dict(Assessment, creditrules.to_dict(result)) == result
    data = json.loads(creditrules.to_json(result.actions))
    assert data[0]["events"][0]["type"] == "payment"


def test_cli_plan_prints_actions_and_the_plan(tmp_path: Path) -> None:
    """The plan command shows the ranked actions and, with --capacity, a plan to propose."""
    click = pytest.importorskip("click")
    from click.testing import CliRunner

    from creditrules.cli import build_cli

    path = tmp_path / "account.toml"
    path.write_text(
        creditrules.dump_account(_revolving(Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00"))),
        encoding="utf-8",
    )
    runner = CliRunner(env={"COLUMNS": "100"})
    result = runner.invoke(
        build_cli(), ["plan", str(path), "--as-of", "2025-04-10", "--capacity", "1100"]
    )
    assert result.exit_code == 0, result.output
    assert "pay_overdue_now" in result.output and "3 × 1,015.50" in result.output
    assert "Checklist" in result.output
    data = json.loads(
        runner.invoke(
            build_cli(),
            ["plan", str(path), "--as-of", "2025-04-10", "--capacity", "1100", "--json"],
        ).output
    )
    assert data["plan"]["term_months"] == 3 and data["actions"][0]["code"] == "pay_overdue_now"
    assert data["plan"]["agreement"]["type"] == "agreement"
    bad = runner.invoke(build_cli(), ["plan", str(path), "--capacity", "12.345"])
    assert bad.exit_code == 2 and "below the fen" in bad.output
    assert isinstance(click.__name__, str)


def test_cli_plan_without_debt_says_no_plan(tmp_path: Path) -> None:
    """With nothing owed, plan --capacity says no plan is needed and exits 0."""
    pytest.importorskip("click")
    from click.testing import CliRunner

    from creditrules.cli import build_cli

    path = tmp_path / "account.toml"
    path.write_text(
        creditrules.dump_account(_revolving(payments=(Payment(date(2025, 3, 9), "1000.00"),))),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        build_cli(), ["plan", str(path), "--as-of", "2025-04-10", "--capacity", "100"]
    )
    assert result.exit_code == 0 and "Nothing to do" in result.output
    assert "No repayment plan: nothing is owed" in result.output


def test_cli_compare_scenarios(tmp_path: Path) -> None:
    """The compare command takes --scenario texts and a scenarios file; bad text exits 2."""
    pytest.importorskip("click")
    from click.testing import CliRunner

    from creditrules.cli import build_cli

    path = tmp_path / "account.toml"
    path.write_text(creditrules.dump_account(_revolving()), encoding="utf-8")
    scenarios = tmp_path / "scenarios.toml"
    scenarios.write_text('[[scenario]]\nname = "late"\nevents = ["pay 2025-04-20 1020.50"]\n')
    runner = CliRunner(env={"COLUMNS": "120"})
    args = [
        "compare",
        str(path),
        "--as-of",
        "2025-06-30",
        "--scenario",
        "early: pay 2025-03-20 1005",
    ]
    result = runner.invoke(build_cli(), [*args, "--scenarios-file", str(scenarios)])
    assert result.exit_code == 0, result.output
    assert "early" in result.output and "late" in result.output and "as is" in result.output
    data = json.loads(runner.invoke(build_cli(), [*args, "--json"]).output)
    assert [row["name"] for row in data["rows"]] == ["as is", "early"]
    assert data["rows"][1]["total_cost"] == "5.00"
    bad = runner.invoke(build_cli(), ["compare", str(path), "--scenario", "pay soon 5"])
    assert bad.exit_code == 2 and "--scenario 1" in bad.output
    none = runner.invoke(build_cli(), ["compare", str(path)])
    assert none.exit_code == 2 and "at least one" in none.output
