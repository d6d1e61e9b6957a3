"""Example-based tests of the engine (creditrules.assess / simulate).

They pin the worked examples of the domain brief (Part A) and the engine's
behaviour case by case; every figure is computed by hand in the comments.
Property tests of the same rules are in ``test_properties.py``.
"""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from creditrules import (
    Account,
    Allocation,
    Bill,
    Event,
    GuarantorPaid,
    InputError,
    LoanTerms,
    Payment,
    PolicyValue,
    Waiver,
    assess,
    build_schedule,
    load_account,
    simulate,
    to_json,
)
from creditrules.money import EXACT, ZERO

D = Decimal
OPENED = date(2025, 1, 1)
STATEMENT = date(2025, 3, 1)
DUE = date(2025, 3, 10)


def pv(
    name: str,
    value: Any,
    *,
    effective_from: date | None = None,
    effective_to: date | None = None,
) -> PolicyValue:
    """A policy value from 'the contract', optionally effective-dated."""
    return PolicyValue(
        name,
        value,
        source="borrower's contract",
        grade="A",
        effective_from=effective_from,
        effective_to=effective_to,
    )


def policy(**values: Any) -> list[PolicyValue]:
    """Account policy overrides; a penalty of 0.05 %/day unless said otherwise."""
    values.setdefault("penalty_daily_rate", "0.0005")
    return [pv(name, value) for name, value in values.items()]


def revolving(
    *amounts: str,
    payments: tuple[Payment, ...] = (),
    events: tuple[Event, ...] = (),
    **values: Any,
) -> Account:
    """A revolving account with one bill per amount: statements on the 1st, due on the 10th."""
    bills = [
        Bill(date(2025, 3 + n, 1), date(2025, 3 + n, 10), amount)
        for n, amount in enumerate(amounts)
    ]
    return Account(
        id="test",
        provider="generic",
        product="revolving",
        opened_on=OPENED,
        bills=bills,
        payments=payments,
        events=events,
        policy=policy(**values),
    )


LOAN = LoanTerms(
    principal="1200.00",
    term_months=12,
    method="equal_installment",
    start_date=date(2025, 1, 15),
    annual_rate="0.12",
)
# Its schedule: installment 1 due 2025-02-15 = 94.62 principal + 12.00 interest = 106.62;
# installment 2 due 2025-03-15 on an opening balance of 1,105.38 = 95.57 + 11.05.


def installment(
    payments: tuple[Payment, ...] = (), loan: LoanTerms = LOAN, **values: Any
) -> Account:
    """An installment account for ``loan`` (default: 1,200.00 at 12 % over 12 months)."""
    return Account(
        id="loan",
        provider="generic",
        product="installment",
        opened_on=loan.start_date,
        loan=loan,
        payments=payments,
        policy=policy(**values),
    )


# --------------------------------------------------------------- brief A.4 examples


def test_brief_example_500_unpaid_5_days_costs_1_25() -> None:
    """A bill of 500.00 unpaid 5 days at 0.05 %/day costs 1.25 (brief B.1 worked example)."""
    result = assess(revolving("500.00"), as_of=date(2025, 3, 15))
    assert result.overdue.penalty == D("1.25")
    assert result.overdue.total == D("501.25")
    assert result.days_past_due == 5
    assert result.items[0].penalty_days == 5


def test_paid_five_days_late_penalty_episode_and_figures() -> None:
    """1,000.00 due the 10th, 1,002.50 paid the 15th: penalty 2.50, episode 11th–15th, DPD 5."""
    account = revolving("1000.00", payments=(Payment(date(2025, 3, 15), "1002.50"),))
    result = assess(account, as_of=date(2025, 4, 1))
    assert result.penalty == D("2.50")  # 1,000 × 0.0005 × 5
    assert result.balance.total == ZERO
    assert result.credit == ZERO
    assert result.days_past_due == 0
    (episode,) = result.episodes
    assert (episode.start, episode.end) == (date(2025, 3, 11), date(2025, 3, 15))
    assert episode.max_days_past_due == 5
    assert episode.max_overdue_amount == D("1002.50")
    item = result.items[0]
    assert (item.status, item.settled_on) == ("paid_late", date(2025, 3, 15))


def test_partial_payment_follows_the_waterfall_and_shrinks_the_base() -> None:
    """A partial payment pays penalty first, then principal; later penalty runs on the rest."""
    account = revolving("1000.00", payments=(Payment(date(2025, 3, 15), "400.00"),))
    result = assess(account, as_of=date(2025, 3, 25))
    item = result.items[0]
    # 15th: 5 days × 1,000 × 0.0005 = 2.50 posted, then 400 = 2.50 penalty + 397.50 principal.
    assert item.allocations == (
        Allocation(date(2025, 3, 15), "payment", "penalty", D("2.50")),
        Allocation(date(2025, 3, 15), "payment", "principal", D("397.50")),
    )
    # 16th–25th: 10 days × 602.50 × 0.0005 = 3.0125 → 3.01, not 10 × 1,000 × 0.0005 = 5.00.
    assert item.charged.penalty == D("5.51")
    assert item.outstanding == attrs.evolve(
        item.outstanding, principal=D("602.50"), penalty=D("3.01")
    )
    assert result.overdue.total == D("605.51")
    assert item.penalty_days == 15


def test_paying_the_rest_of_a_partial_ends_the_episode_at_its_peak() -> None:
    """The episode ends when the rest is paid; its peak is the amount before the first payment."""
    payments = (Payment(date(2025, 3, 15), "400.00"), Payment(date(2025, 3, 25), "605.51"))
    result = assess(revolving("1000.00", payments=payments), as_of=date(2025, 4, 30))
    (episode,) = result.episodes
    assert (episode.start, episode.end) == (date(2025, 3, 11), date(2025, 3, 25))
    assert episode.max_overdue_amount == D("1002.50")
    assert episode.max_days_past_due == 15
    assert result.balance.total == ZERO


# --------------------------------------------------------------- grace (A.3)


def test_paid_within_grace_bears_no_penalty_and_no_episode() -> None:
    """Paid in full on D+3 with 3 days' grace: no penalty, no episode, status paid_in_grace."""
    account = revolving("1000.00", payments=(Payment(date(2025, 3, 13), "1000.00"),), grace_days=3)
    result = assess(account, as_of=date(2025, 4, 1))
    assert result.penalty == ZERO
    assert result.episodes == ()
    assert result.items[0].status == "paid_in_grace"
    (firing,) = result.fired("grace.period")
    assert firing.fact("penalty_waived") == "1.50"  # 3 days × 0.50 forgone


@pytest.mark.parametrize(
    ("penalty_from", "penalty"),
    [
        ("due_date", "2.50"),  # retroactive: 11th–15th, 5 days × 0.50
        ("grace_end", "1.00"),  # from D+G+1: 14th–15th, 2 days × 0.50
    ],
)
def test_missed_grace_penalty_runs_from_due_date_or_grace_end(
    penalty_from: str, penalty: str
) -> None:
    """Paid on D+5 with 3 days' grace: penalty from D+1 (retroactive) or from D+G+1."""
    account = revolving(
        "1000.00",
        payments=(Payment(date(2025, 3, 15), "1002.50"),),
        grace_days=3,
        penalty_from=penalty_from,
    )
    result = assess(account, as_of=date(2025, 3, 15))
    assert result.penalty == D(penalty)
    assert result.items[0].status in ("paid_late", "overdue")
    (episode,) = result.episodes
    assert episode.start == date(2025, 3, 11)  # the first day past due, grace or not
    assert result.fired("grace.missed")[0].fact("penalty_from") == penalty_from


def test_grace_that_does_not_waive_penalty_charges_the_grace_days() -> None:
    """With grace_waives_penalty false, paying on D+2 of 3 grace days costs 2 days of penalty."""
    account = revolving(
        "1000.00",
        payments=(Payment(date(2025, 3, 12), "1001.00"),),
        grace_days=3,
        grace_waives_penalty=False,
    )
    result = assess(account, as_of=date(2025, 4, 1))
    assert result.penalty == D("1.00")
    assert result.episodes == ()  # still on time for reporting
    assert result.items[0].status == "paid_in_grace"


def test_days_past_due_count_from_the_due_date_even_in_grace() -> None:
    """DPD counts from the due date: D+2 in grace is DPD 2 with no episode yet."""
    account = revolving("1000.00", grace_days=3)
    in_grace = assess(account, as_of=date(2025, 3, 12))
    assert in_grace.days_past_due == 2
    assert in_grace.items[0].status == "in_grace"
    assert in_grace.episodes == ()
    assert in_grace.overdue.penalty == ZERO
    after = assess(account, as_of=date(2025, 3, 15))
    assert after.days_past_due == 5
    assert after.episodes[0].start == date(2025, 3, 11)
    assert after.overdue.penalty == D("2.50")


def test_penalty_is_charged_at_the_end_of_a_missed_grace() -> None:
    """Unpaid at the end of D+3 with 3 days' grace: the 3 retroactive days are owed at D+3."""
    result = assess(revolving("500.00", grace_days=3), as_of=date(2025, 3, 13))
    assert result.items[0].status == "overdue"
    assert result.overdue.penalty == D("0.75")  # 3 days × 500 × 0.0005
    assert result.episodes[0].max_overdue_amount == result.overdue.total


def test_nothing_is_past_due_on_the_due_date_itself() -> None:
    """Assessed on the due date, an unpaid bill is open: no episode, DPD 0."""
    result = assess(revolving("500.00"), as_of=DUE)
    assert result.items[0].status == "open"
    assert result.days_past_due == 0
    assert result.episodes == ()


# --------------------------------------------------------------- penalty base and cap


@pytest.mark.parametrize(
    ("base", "penalty"),
    [
        ("unpaid_principal", "0.95"),  # 94.62 × 0.001 × 10 = 0.9462
        ("unpaid_principal_and_interest", "1.07"),  # 106.62 × 0.001 × 10 = 1.0662
        ("unpaid_amount", "1.07"),  # no fees: the same as principal and interest
    ],
)
def test_penalty_base_on_a_loan_installment(base: str, penalty: str) -> None:
    """Installment 1 (94.62 + 12.00 interest) unpaid 10 days at 0.1 %/day, by penalty base."""
    account = installment(penalty_daily_rate="0.001", penalty_base=base)
    result = assess(account, as_of=date(2025, 2, 25))
    assert result.item("installment-1").charged.penalty == D(penalty)
    assert result.days_past_due == 10


def test_penalty_rate_multiplier_of_the_contract_rate() -> None:
    """Penalty 1.5 × the contract daily rate (0.12 / 360) on unpaid principal, 10 days."""
    account = installment(
        penalty_daily_rate=None, penalty_rate_multiplier="1.5", penalty_base="unpaid_principal"
    )
    result = assess(account, as_of=date(2025, 2, 25))
    # 94.62 × 1.5 × 0.12 / 360 × 10 = 0.4731
    assert result.penalty == D("0.47")


def test_penalty_cap_limits_the_daily_rate() -> None:
    """A 0.1 %/day rate capped at 24 %/year (÷ 360) charges 1,000 × 0.24/360 × 30 = 20.00."""
    account = revolving("1000.00", penalty_daily_rate="0.001", penalty_cap="0.24")
    result = assess(account, as_of=date(2025, 4, 9))
    assert result.days_past_due == 30
    assert result.penalty == D("20.00")


def test_unknown_penalty_rate_is_reported_not_guessed() -> None:
    """Without a penalty rate no penalty is computed and the assessment says why."""
    result = assess(revolving("500.00", penalty_daily_rate=None), as_of=date(2025, 3, 20))
    assert result.penalty == ZERO
    assert result.days_past_due == 10
    assert result.fired("penalty.unknown")
    assert any("penalty_daily_rate" in text for text in result.unknowns)


# --------------------------------------------------------------- allocation and credit


def test_allocation_order_override_pays_principal_first() -> None:
    """With principal first, 400 paid on D+5 goes to principal; penalty stays owed."""
    account = revolving(
        "1000.00",
        payments=(Payment(date(2025, 3, 15), "400.00"),),
        allocation_order=["principal", "interest", "fees", "penalty"],
    )
    result = assess(account, as_of=date(2025, 3, 25))
    item = result.items[0]
    assert item.allocations == (Allocation(date(2025, 3, 15), "payment", "principal", D("400.00")),)
    # 2.50 (11th–15th on 1,000) + 3.00 (16th–25th on 600) = 5.50
    assert item.outstanding.penalty == D("5.50")
    assert item.outstanding.principal == D("600.00")


def test_overpayment_is_kept_as_credit_and_applied_when_the_next_bill_opens() -> None:
    """800 paid on a 500 bill leaves 300 credit, used on the next bill's statement date."""
    account = revolving("500.00", "400.00", payments=(Payment(date(2025, 3, 5), "800.00"),))
    before = assess(account, as_of=date(2025, 3, 31))
    assert before.credit == D("300.00")
    assert before.fired("payment.credit")
    after = assess(account, as_of=date(2025, 4, 1))
    assert after.credit == ZERO
    second = after.item("bill-2025-04-10")
    assert second.allocations == (Allocation(date(2025, 4, 1), "credit", "principal", D("300.00")),)
    assert second.outstanding.total == D("100.00")
    assert after.paid.total + after.credit == D("800.00")


def test_waiver_forgives_penalty() -> None:
    """A 2.00 penalty waiver on D+10 leaves 3.00 of the 5.00 penalty; paying it ends the episode."""
    account = revolving(
        "1000.00",
        payments=(Payment(date(2025, 3, 20), "1003.00"),),
        events=(Waiver(date(2025, 3, 20), "penalty", "2.00"),),
    )
    result = assess(account, as_of=date(2025, 4, 1))
    item = result.items[0]
    assert item.charged.penalty == D("5.00")
    assert item.waived.penalty == D("2.00")
    assert item.paid.penalty == D("3.00")
    assert result.balance.total == ZERO
    assert result.episodes[0].end == date(2025, 3, 20)
    assert result.fired("waiver.applied")[0].fact("applied") == "2.00"


def test_events_after_as_of_are_ignored() -> None:
    """A payment dated after as_of is not applied and is counted in ignored_events."""
    account = revolving("500.00")
    later = account.with_events([Payment(date(2025, 3, 20), "500.00")])
    as_of = date(2025, 3, 15)
    result = assess(later, as_of=as_of)
    assert result.ignored_events == 1
    assert result.paid.total == ZERO
    without = assess(account, as_of=as_of)
    assert (result.items, result.episodes, result.balance, result.overdue, result.credit) == (
        without.items,
        without.episodes,
        without.balance,
        without.overdue,
        without.credit,
    )


# --------------------------------------------------------------- effective dating (A.10)


def test_effective_dated_penalty_rate_changes_mid_overdue() -> None:
    """0.05 %/day until the 20th, 0.1 %/day from the 21st: 10 days old rate, 11 days new."""
    account = attrs.evolve(
        revolving("1000.00"),
        policy=[
            pv("penalty_daily_rate", "0.0005", effective_to=date(2025, 3, 20)),
            pv("penalty_daily_rate", "0.001", effective_from=date(2025, 3, 21)),
        ],
    )
    result = assess(account, as_of=date(2025, 3, 31))
    assert result.penalty == D("16.00")  # 10 × 0.50 + 11 × 1.00
    assert result.policy_value("penalty_daily_rate") == D("0.001")


# --------------------------------------------------------------- installment loans


def test_loan_schedule_items_are_in_the_assessment() -> None:
    """Every installment of the schedule is a due item with its scheduled amounts."""
    result = assess(installment(), as_of=date(2025, 1, 20))
    schedule = build_schedule(LOAN)
    assert [i.id for i in result.items] == [f"installment-{n}" for n in range(1, 13)]
    for item, inst in zip(result.items, schedule, strict=True):
        assert (item.period, item.due_date) == (inst.period, inst.due_date)
        assert (item.scheduled.principal, item.scheduled.interest) == (
            inst.principal,
            inst.interest,
        )
    assert result.balance.principal == D("1200.00")
    assert result.items[0].status == "open"
    assert result.items[1].status == "not_due"
    assert len(result.fired("items.schedule")) == 12


def test_early_repayment_charges_interest_only_to_the_payoff_date() -> None:
    """Prepaying on 1 March: 1,105.38 × 0.12/360 × 14 days = 5.16 interest; later items cancel."""
    payments = (Payment(date(2025, 2, 15), "106.62"), Payment(date(2025, 3, 1), "1110.54"))
    result = assess(installment(payments, overpayment="prepay"), as_of=date(2025, 6, 1))
    second = result.item("installment-2")
    assert second.charged.interest == D("5.16")  # not the scheduled 11.05
    assert second.charged.principal == D("1105.38")
    assert second.settled_on == date(2025, 3, 1)
    assert {i.status for i in result.items[2:]} == {"cancelled"}
    assert result.balance.total == ZERO
    assert result.credit == ZERO
    assert result.cost == D("17.16")  # 12.00 + 5.16 (民法典 Art. 677)
    (firing,) = result.fired("early_repayment.interest_to_date")
    assert firing.fact("interest_to_date") == "5.16"
    assert firing.fact("payoff_amount") == "1110.54"


def test_early_repayment_short_of_the_payoff_amount_is_credit() -> None:
    """One fen short of the payoff quote, the money is kept as credit and nothing cancels."""
    payments = (Payment(date(2025, 2, 15), "106.62"), Payment(date(2025, 3, 1), "1110.53"))
    result = assess(installment(payments, overpayment="prepay"), as_of=date(2025, 3, 2))
    assert not result.fired("early_repayment.interest_to_date")
    assert "cancelled" not in {i.status for i in result.items}
    assert result.item("installment-2").paid.total == D("106.62")
    assert result.credit == D("1003.91")


def test_overpaying_a_loan_without_prepay_keeps_credit_and_full_interest() -> None:
    """With the default overpayment = credit, the same payoff pays installments as they open."""
    payments = (Payment(date(2025, 2, 15), "106.62"), Payment(date(2025, 3, 1), "1110.54"))
    result = assess(installment(payments), as_of=date(2025, 3, 2))
    assert result.item("installment-2").charged.interest == D("11.05")
    assert result.credit == D("1110.54") - D("106.62")


# --------------------------------------------------------------- revolving minimum payment


def _minimum_account() -> Account:
    return revolving(
        "1000.00",
        "200.00",
        payments=(Payment(DUE, "100.00"),),
        minimum_payment_ratio="0.1",
        revolving_daily_rate="0.0005",
    )


def test_minimum_payment_keeps_the_account_current_and_revolves_the_rest() -> None:
    """100 of a 1,000 bill paid on time: not overdue; 900 revolves at 0.05 %/day from D+1."""
    result = assess(_minimum_account(), as_of=date(2025, 3, 31))
    assert result.days_past_due == 0
    assert result.episodes == ()
    assert result.overdue.total == ZERO
    assert result.item("bill-2025-03-10").status == "revolved"
    rest = result.item("revolved-2025-03-10")
    assert rest.kind == "rollover"
    assert rest.due_date == date(2025, 4, 10)  # falls due with the next bill
    assert rest.scheduled.principal == D("900.00")
    assert rest.charged.interest == D("9.45")  # 900 × 0.0005 × 21 days (11th–31st)
    assert result.balance.total == D("909.45")
    (firing,) = result.fired("revolving.minimum_payment")
    assert (firing.fact("minimum"), firing.fact("revolved")) == ("100.00", "900.00")


def test_revolved_rest_falls_due_with_the_next_bill() -> None:
    """The revolved 900 + 31 days' interest (13.95) is due on 10 April with the 200 bill."""
    result = assess(_minimum_account(), as_of=date(2025, 4, 11))
    rest = result.item("revolved-2025-03-10")
    assert rest.charged.interest == D("13.95")  # 900 × 0.0005 × 31 (11 March–10 April)
    assert rest.status == "overdue"
    assert result.days_past_due == 1
    assert result.overdue.principal == D("1100.00")


def test_payment_goes_to_an_overdue_revolved_rest_before_later_bills() -> None:
    """A revolved rest past due is older than the next month's bill: payments go to it first."""
    account = revolving(
        "1000.00",
        "200.00",
        "300.00",
        payments=(Payment(DUE, "100.00"), Payment(date(2025, 5, 2), "500.00")),
        minimum_payment_ratio="0.1",
        revolving_daily_rate="0.0005",
    )
    result = assess(account, as_of=date(2025, 5, 2))
    # The 900 revolved on 10 March falls due on 10 April (with the 200 bill, opened later)
    # and is unpaid: it owes more than 500 on 2 May, so the whole payment goes to it and
    # none to the April bill or to the 300 bill that opened on 1 May.
    rest = result.item("revolved-2025-03-10")
    assert sum(a.amount for a in rest.allocations if a.source == "payment") == D("500.00")
    assert result.item("bill-2025-04-10").paid.total == ZERO
    assert result.item("bill-2025-05-10").paid.total == ZERO


def test_rest_revolved_at_the_end_of_grace_bears_interest_once_per_day() -> None:
    """With 3 days' grace the rest revolves on 13 March; its interest still runs once a day."""
    account = attrs.evolve(
        _minimum_account(), policy=(*_minimum_account().policy, pv("grace_days", 3))
    )
    result = assess(account, as_of=date(2025, 3, 31))
    rest = result.item("revolved-2025-03-10")
    # 900 × 0.0005 × 21 days (11th–31st March): 11th–13th are charged when it revolves on
    # the 13th, the rest as the days pass, none of them twice (it was 10.35, 23 days).
    assert rest.charged.interest == D("9.45")


def test_minimum_payment_missed_makes_the_bill_overdue() -> None:
    """99.99 of a 1,000 bill (minimum 100.00) is not enough: the bill is overdue."""
    account = attrs.evolve(_minimum_account(), payments=(Payment(DUE, "99.99"),))
    result = assess(account, as_of=date(2025, 3, 11))
    assert result.item("bill-2025-03-10").status == "overdue"
    assert result.days_past_due == 1
    assert not result.fired("revolving.minimum_payment")


# --------------------------------------------------------------- other events


def test_guarantor_payment_changes_who_is_owed_not_how_much() -> None:
    """After 代偿 the debt is owed to the guarantor and keeps running."""
    account = attrs.evolve(
        revolving("1000.00"),
        funder="Example Bank",
        events=(GuarantorPaid(date(2025, 4, 1), guarantor="Example Guarantee Co."),),
    )
    before = assess(account, as_of=date(2025, 3, 31))
    after = assess(account, as_of=date(2025, 4, 2))
    assert before.owed_to == "Example Bank"
    assert after.owed_to == "Example Guarantee Co."
    assert after.guarantor_paid_on == date(2025, 4, 1)
    assert after.balance.principal == D("1000.00")
    assert after.overdue.penalty > before.overdue.penalty
    assert after.fired("guarantor.compensation")


def test_simulate_leaves_the_account_alone_and_equals_assessing_with_the_events() -> None:
    """simulate() does not modify the account and equals assess() of the account plus events."""
    account = revolving("1000.00")
    snapshot = attrs.evolve(account)
    extra: list[Event] = [
        Payment(date(2025, 3, 20), "500.00"),
        Waiver(date(2025, 3, 20), "penalty", "1.00"),
    ]
    as_of = date(2025, 4, 1)
    simulated = simulate(account, extra, as_of=as_of)
    assert account == snapshot
    assert account.payments == ()
    assert simulated == assess(account.with_events(extra), as_of=as_of)
    assert simulated.paid.total == D("500.00")


def test_unknown_provider_raises_input_error_listing_installed_providers() -> None:
    """An unknown provider id is an InputError at $.account.provider naming the installed ones."""
    account = attrs.evolve(revolving("500.00"), provider="no-such-lender")
    with pytest.raises(InputError) as caught:
        assess(account, as_of=date(2025, 3, 15))
    assert caught.value.path == "$.account.provider"
    assert "no-such-lender" in caught.value.message
    assert "generic" in caught.value.message


def test_as_of_must_be_a_date() -> None:
    """A datetime as_of is refused with TypeError."""
    from datetime import datetime

    with pytest.raises(TypeError, match="as_of"):
        assess(revolving("500.00"), as_of=datetime(2025, 3, 15))


# --------------------------------------------------------------- rules


def test_rules_fired_are_recorded_with_their_figures() -> None:
    """The assessment lists the ruleset in order and each firing with its facts."""
    account = revolving("1000.00", payments=(Payment(date(2025, 3, 15), "1002.50"),))
    result = assess(account, as_of=date(2025, 4, 1))
    assert result.ruleset[:5] == (
        "items.bills",
        "items.schedule",
        "events.order",
        "provider.adjust",
        "timeline.replay",
    )
    fired = {f.rule for f in result.rules}
    assert {"items.bills", "events.order", "accrual.posting", "payment.waterfall"} <= fired
    assert fired <= set(result.ruleset)
    (posting,) = result.fired("accrual.posting")
    assert (posting.subject, posting.fact("posted")) == ("bill-2025-03-10", "2.50")
    (waterfall,) = result.fired("payment.waterfall")
    assert waterfall.fact("order") == "penalty → fees → interest → principal"
    assert waterfall.policy == ("allocation_order",)
    episode = result.fired("episode.tracking")
    assert episode[-1].fact("ended") == "2025-03-15"


def test_assessments_are_values() -> None:
    """Two runs of the same assessment are equal (results are frozen values)."""
    account = revolving("1000.00", "300.00", payments=(Payment(date(2025, 3, 15), "500.00"),))
    assert assess(account, as_of=date(2025, 5, 1)) == assess(account, as_of=date(2025, 5, 1))


# --------------------------------------------------------------- zero-amount items


def test_a_bill_of_zero_is_never_overdue() -> None:
    """A 0.00 bill (nothing spent that month) is not overdue and opens no episode."""
    result = assess(revolving("0.00"), as_of=date(2025, 4, 1))
    assert result.days_past_due == 0
    assert result.episodes == ()
    assert result.items[0].status == "paid_on_time"


def test_zero_installments_of_an_interest_free_loan_are_not_overdue() -> None:
    """An interest-free 先息后本 loan repaid at the end: its zero installments are never late."""
    loan = attrs.evolve(LOAN, method="interest_first", annual_rate="0", term_months=3)
    account = installment((Payment(date(2025, 4, 15), "1200.00"),), loan=loan)
    result = assess(account, as_of=date(2025, 5, 1))
    assert result.days_past_due == 0
    assert result.episodes == ()


EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_assessment_does_not_depend_on_the_callers_decimal_context(path: Path) -> None:
    """A caller's decimal precision or rounding never changes a figure or a trace."""
    account = load_account(path)
    as_of = date(2026, 12, 3)
    expected = to_json(assess(account, as_of))
    with decimal.localcontext(decimal.Context(prec=6, rounding=decimal.ROUND_DOWN)):
        assert to_json(assess(account, as_of)) == expected


def test_accruing_over_one_interval_or_several_gives_the_same_penalty() -> None:
    """Accruals are exact until posted, whatever the replay's intervals.

    A daily rate with many digits (a cap / 360) is not rounded per interval, so the
    same days accrue the same exact amount however the replay splits them (here by
    other bills opening in between).
    """
    bill = Bill(date(2025, 1, 1), date(2025, 1, 10), "1234.57", id="bill")
    others = [Bill(date(2025, 1, d), date(2025, 4, d), "0.01") for d in range(12, 29, 4)]
    rates = policy(penalty_daily_rate="0.001", penalty_cap="0.17")  # capped: 0.17 / 360 a day

    def accrued(bills: list[Bill]) -> str:
        account = Account(
            id="cap",
            provider="generic",
            product="revolving",
            opened_on=OPENED,
            bills=bills,
            payments=[Payment(date(2025, 3, 1), "2000.00")],
            policy=rates,
        )
        (run,) = [f for f in assess(account, date(2025, 3, 1)).fired("penalty.accrual")]
        assert run.subject == "bill" and run.fact("days") == "50"
        return run.fact("amount")

    daily = EXACT.divide(D("0.17"), 360)  # the capped rate, to 34 digits
    exact_amount = EXACT.copy()
    exact_amount.prec = 100
    expected = exact_amount.multiply(exact_amount.multiply(D("1234.57"), daily), 50)
    assert accrued([bill]) == accrued([bill, *others]) == str(expected)


@pytest.mark.parametrize(
    ("settled_on", "status", "owed"),
    [
        (None, "overdue", True),
        (None, "open", True),
        (None, "in_grace", True),
        (date(2025, 3, 10), "paid_on_time", False),
        (date(2025, 3, 20), "paid_late", False),
        (date(2025, 3, 10), "revolved", False),
        (None, "cancelled", False),
    ],
)
def test_an_item_is_still_owed_unless_settled_revolved_or_cancelled(
    settled_on: date | None, status: str, owed: bool
) -> None:
    item = assess(revolving("100.00"), date(2025, 4, 1)).items[0]
    assert attrs.evolve(item, settled_on=settled_on, status=status).still_owed is owed


def test_an_item_is_accrued_a_bounded_number_of_times_however_many_items_are_overdue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Accrual is lazy: bills never paid cost a few accruals each, not one per checkpoint.

    Every statement date and due date is a checkpoint; accruing every overdue item at
    each would grow with the square of the bills (about 9× from 100 bills to 300).
    """
    from creditrules import _engine

    calls = 0
    catch_up = _engine._Replay._catch_up

    def counted(self: Any, item: Any, t1: date, *, eager: bool = False) -> None:
        nonlocal calls
        calls += 1
        catch_up(self, item, t1, eager=eager)

    monkeypatch.setattr(_engine._Replay, "_catch_up", counted)

    def accruals(count: int) -> int:
        nonlocal calls
        calls = 0
        bills = [
            Bill(date(2000 + k // 12, k % 12 + 1, 1), date(2000 + k // 12, k % 12 + 1, 10), "1.00")
            for k in range(count)
        ]
        account = attrs.evolve(revolving(), bills=bills, opened_on=date(2000, 1, 1))
        result = assess(account, date(2025, 3, 1))
        assert [len(e.items) for e in result.episodes] == [count]
        return calls

    few, many = accruals(100), accruals(300)
    assert many <= 3.2 * few
    assert many <= 10 * 300
