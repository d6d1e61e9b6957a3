"""A downstream project's property tests, written as a user of creditrules writes them.

Only the public API is used: ``creditrules``, the strategies of
``creditrules.testing.strategies``, and ``st.from_type``, which knows creditrules'
types because creditrules registers them through Hypothesis' entry point (nothing
here calls ``register_type_strategies``).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.testing import strategies as cs

SOME = settings(max_examples=25, deadline=None)


def test_from_type_needs_no_setup_in_a_fresh_interpreter() -> None:
    """In a new process, st.from_type(creditrules.Account) draws accounts straight away."""
    code = (
        "import creditrules\n"
        "from hypothesis import given, settings, strategies as st\n"
        "@settings(max_examples=5, database=None)\n"
        "@given(st.from_type(creditrules.Account))\n"
        "def check(account):\n"
        "    assert isinstance(account, creditrules.Account)\n"
        "check()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


@SOME
@given(st.from_type(creditrules.Account))
def test_any_account_can_be_assessed(account: creditrules.Account) -> None:
    """Whatever account from_type draws, assessing it gives figures in range."""
    result = creditrules.assess(account, as_of=cs.last_date(account) + timedelta(days=30))
    assert result.days_past_due >= 0
    assert result.balance.total >= result.overdue.total >= 0
    assert result.report is not None


@SOME
@given(
    st.from_type(creditrules.Bill),
    st.from_type(creditrules.LoanTerms),
    st.from_type(creditrules.Payment),
    st.from_type(creditrules.PolicyValue),
)
def test_values_from_type_round_trip(
    bill: creditrules.Bill,
    loan: creditrules.LoanTerms,
    payment: creditrules.Payment,
    value: creditrules.PolicyValue,
) -> None:
    """Bills, loan terms, payments and policy values from from_type survive to_dict/from_dict."""
    for item in (bill, loan, payment, value):
        assert creditrules.from_dict(type(item), creditrules.to_dict(item)) == item


@SOME
@given(cs.accounts(provider="huabei", behaviours=st.just("on_time"), with_events=False))
def test_paying_huabei_on_time_costs_nothing(account: creditrules.Account) -> None:
    """Paying every Huabei bill in full by its due date costs no interest, fee or penalty."""
    result = creditrules.assess(account, as_of=cs.last_date(account) + timedelta(days=60))
    assert result.cost == 0
    assert result.episodes == ()


@SOME
@given(cs.accounts(provider=None, policies=st.just(()), with_events=False), st.data())
def test_paying_more_never_leaves_more_to_pay(
    account: creditrules.Account, data: st.DataObject
) -> None:
    """Under each installed provider's own policy, paying more never leaves more to pay."""
    scenario = data.draw(cs.scenarios(account), label="scenario")
    as_of = data.draw(cs.as_of_dates(account), label="as_of")
    extra = tuple(e for e in scenario if isinstance(e, creditrules.Payment))
    before = creditrules.assess(account, as_of=as_of)
    after = creditrules.simulate(account, extra, as_of=as_of)
    assert after.balance.total <= before.balance.total


@SOME
@given(
    cs.accounts(provider="generic", products=st.just("revolving"), with_payments=False),
    cs.amounts(min_value="0.01", max_value="500.00"),
)
def test_one_payment_is_allocated_or_kept_as_credit(
    account: creditrules.Account, amount: Decimal
) -> None:
    """One payment of any amount is allocated or kept as credit, to the fen."""
    day = account.bills[0].due_date
    paid = creditrules.simulate(account, [creditrules.Payment(day, amount)], as_of=day)
    assert paid.paid.total + paid.credit == amount
