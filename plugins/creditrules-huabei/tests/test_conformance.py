"""The creditrules conformance suite, run against the huabei provider.

Where the suite's accounts have events, a third of them also convert one bill into
installments (账单分期), so the plugin's ``adjust_timeline`` is checked too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import attrs
from creditrules_huabei import BillInstallment
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from creditrules import Account, PolicyValue
from creditrules.testing.conformance import ProviderConformance

HERE = Path(__file__).resolve().parent


@st.composite
def _with_bill_installment(draw: st.DrawFn, account: Account) -> Account:
    """The account with one of its bills converted into installments."""
    bills = [bill for bill in account.bills if bill.amount > 0]
    if not bills:
        return account
    bill = draw(st.sampled_from(bills), label="bill converted")
    days = (bill.due_date - bill.statement_date).days
    day = bill.statement_date + timedelta(days=draw(st.integers(0, days), label="converted on"))
    event = BillInstallment(day, bill.id, draw(st.sampled_from((3, 6, 9, 12)), label="periods"))
    return attrs.evolve(account, events=(*account.events, event))


class TestHuabeiConformance(ProviderConformance):
    """花呗 Huabei behaves as a creditrules provider must."""

    provider_id = "huabei"
    golden_dir = HERE / "golden"
    readme = HERE.parent / "README.md"

    def account_strategy(
        self,
        *,
        account_policy: Iterable[PolicyValue] | None = None,
        with_payments: bool = True,
        with_events: bool = True,
    ) -> SearchStrategy[Account]:
        """The suite's accounts; with events, a third of them convert a bill into installments.

        The checks that run without events (paying on time, the penalty moving later)
        get none. With a bill installment due between a bill and the rest of it that
        revolves after a minimum payment, paying that minimum late rather than on time
        can lower the penalty: the next payment then pays the older bill's principal
        rather than the installment's penalty (the waterfall, conventions A.5).
        """
        accounts = super().account_strategy(
            account_policy=account_policy, with_payments=with_payments, with_events=with_events
        )
        if not with_events:
            return accounts
        return accounts.flatmap(
            lambda account: st.one_of(
                st.just(account), st.just(account), _with_bill_installment(account)
            )
        )
