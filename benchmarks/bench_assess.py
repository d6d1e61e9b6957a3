"""Benchmark creditrules.assess on fixed accounts; prints median times and ratios.

Run:  python benchmarks/bench_assess.py [--number N] [--repeat R]

Every case is timed in the same process as a baseline (a one-bill account), so
the ratios ("× baseline") are comparable across machines even when the absolute
times are not. The last two cases assess the same account 1 year and 10 years
after its last event: the replay's cost grows with the number of events, not of
days, so their ratio should stay near 1 (anything the assessment does per month,
such as the credit-report grid, shows up here).

Nothing is asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

import creditrules
from creditrules import Account, Bill, Context, LoanTerms, Payment, PolicySet, PolicyValue, assess
from creditrules.model import add_months


def contract(**values: object) -> list[PolicyValue]:
    return [
        PolicyValue(name, value, source="benchmark contract", grade="A")
        for name, value in values.items()
    ]


def one_bill() -> Account:
    """Baseline: one bill, paid five days late."""
    return Account(
        id="baseline",
        provider="generic",
        product="revolving",
        opened_on=date(2024, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")],
        payments=[Payment(date(2025, 3, 15), "1002.50")],
        policy=contract(penalty_daily_rate="0.0005"),
    )


def loan_12() -> Account:
    """A 12-installment loan (等额本息) with 12 payments; three of them late."""
    loan = LoanTerms(
        principal="12000.00",
        term_months=12,
        method="equal_installment",
        start_date=date(2024, 1, 15),
        annual_rate="0.162",
    )
    payments = []
    for period in range(1, 13):
        due = loan.due_date(period)
        late = 7 if period in (3, 4, 9) else 0
        payments.append(Payment(due + timedelta(days=late), "1095.00"))
    return Account(
        id="loan-12",
        provider="generic",
        product="installment",
        opened_on=date(2024, 1, 15),
        loan=loan,
        payments=payments,
        policy=contract(penalty_rate_multiplier="1.5", penalty_base="unpaid_principal"),
    )


def revolving_24() -> Account:
    """A revolving account with 24 monthly bills and 24 payments (on time, late, partial)."""
    bills, payments = [], []
    for month in range(24):
        statement = add_months(date(2023, 1, 1), month)
        due = statement + timedelta(days=9)
        amount = f"{800 + 37 * month}.00"
        bills.append(Bill(statement, due, amount))
        if month % 6 == 5:  # late by 12 days, with enough for the penalty
            payments.append(Payment(due + timedelta(days=12), f"{820 + 37 * month}.00"))
        elif month % 6 == 2:  # partial on time, rest later
            payments.append(Payment(due, "300.00"))
        else:
            payments.append(Payment(due - timedelta(days=2), amount))
    return Account(
        id="revolving-24",
        provider="generic",
        product="revolving",
        opened_on=date(2022, 12, 1),
        bills=bills,
        payments=payments,
        policy=contract(penalty_daily_rate="0.0005", grace_days=3),
    )


def last_event(account: Account) -> date:
    days = [p.date for p in account.payments] + [b.due_date for b in account.bills]
    return max(days)


def replay(account: Account, as_of: date) -> object:
    """The rules engine alone (items, ordering, replay), without the credit report."""
    registry = creditrules.get_registry()
    provider = registry.provider(account.provider)
    policies = PolicySet(provider=provider.policy, account=account.policy)
    context = Context(account=account, as_of=as_of, policies=policies, provider=provider)
    return registry.rules.run(context).ledger


def median_time(call: Callable[[], object], number: int, repeat: int) -> float:
    """Median seconds per call over ``repeat`` batches of ``number`` calls."""
    call()  # warm up (plugins, caches)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20, help="calls per timed batch")
    parser.add_argument("--repeat", type=int, default=15, help="timed batches (median taken)")
    args = parser.parse_args(argv)

    creditrules.get_registry()  # load plugins once, outside the timings
    baseline = one_bill()
    loan, revolving = loan_12(), revolving_24()
    one_year = last_event(revolving) + timedelta(days=365)
    ten_years = last_event(revolving) + timedelta(days=3650)
    cases: list[tuple[str, Account, date]] = [
        ("baseline: 1 bill, 1 payment", baseline, date(2025, 4, 30)),
        ("loan: 12 installments, 12 payments", loan, date(2025, 2, 28)),
        ("revolving: 24 bills, 24 payments", revolving, one_year),
        ("revolving, as of 1 year after", revolving, one_year),
        ("revolving, as of 10 years after", revolving, ten_years),
    ]

    print(
        f"creditrules {creditrules.__version__} · Python {platform.python_version()} · "
        f"median of {args.repeat} × {args.number} calls"
    )
    width = max(len(name) for name, _, _ in cases)
    print(f"{'case':<{width}}  {'events':>6}  {'items':>5}  {'median':>10}  {'× baseline':>10}")
    times: dict[str, float] = {}
    for name, account, as_of in cases:
        seconds = median_time(partial(assess, account, as_of=as_of), args.number, args.repeat)
        times[name] = seconds
        result = assess(account, as_of=as_of)
        events = len(account.payments) + len(account.events)
        ratio = seconds / times[cases[0][0]]
        print(
            f"{name:<{width}}  {events:>6}  {len(result.items):>5}  "
            f"{seconds * 1e3:>8.3f}ms  {ratio:>9.1f}×"
        )
    growth = times[cases[4][0]] / times[cases[3][0]]
    engine = [
        median_time(partial(replay, revolving, day), args.number, args.repeat)
        for day in (one_year, ten_years)
    ]
    print(
        f"\n10 years vs 1 year after the last event (revolving, 24 bills):\n"
        f"  assess (engine + credit report): {growth:.2f}×\n"
        f"  rules engine alone:              {engine[1] / engine[0]:.2f}×  "
        f"({engine[0] * 1e3:.3f}ms vs {engine[1] * 1e3:.3f}ms)\n"
        "The replay's cost grows with events, not days: expect about 1 for the engine.\n"
        "The report adds one snapshot per calendar month, so assess grows a little."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
