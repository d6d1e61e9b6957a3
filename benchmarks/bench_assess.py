"""Benchmark creditrules against a hand-written floor; prints ratios, asserts nothing.

Run:  python benchmarks/bench_assess.py [--repeat R] [--quick]

Five tables (see benchmarks/README.md for how to read them):

1. **Stages vs the floor.** For each case, the floor (``floor.py``: the headline
   figures in minimal Decimal code) is checked equal to creditrules, then each stage
   of an assessment is timed paired with the floor, in one process: the replay alone,
   the report grid, the decision record, a default ``assess``, ``assess`` plus reading
   its actions, ``to_json`` and ``explain`` of an assessment. The ratio printed is the
   median over ``R`` pairs of (stage time ÷ floor time).
2. **Scaling.** ``assess`` (and the replay alone) for growing numbers of bills and
   payments, the same events spread over 1 and over 10 years, and loans of growing
   term. Accounts built in code are not bounded by the account file's 1,000 entries,
   so every size is a whole ``assess``.
3. **One DPD decision.** Days past due → status code in plain Python and through the
   built-in bureau (and GoRules ZEN / rule-engine when installed: optional).
4. **Start-up.** The whole process of ``creditrules assess examples/huabei.toml``
   against ``python -c pass``, and the imports of the libraries every command needs.
5. **What-ifs.** Ten ways to pay an account as ten ``simulate`` calls and through one
   ``WhatIfs`` (one replay up to the as-of date, then only the days after each).

Nothing is asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

import creditrules
from creditrules import (
    Account,
    Bill,
    Context,
    LoanTerms,
    Payment,
    PolicySet,
    PolicyValue,
    WhatIfs,
    assess,
    build_schedule,
    simulate,
    to_json,
)
from creditrules.ledger import ItemSpec
from creditrules.model import add_months
from creditrules.record import build_record
from creditrules.report import build_report

sys.path.insert(0, str(Path(__file__).parent))
import floor

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
REGISTRY = creditrules.get_registry()


def contract(**values: object) -> list[PolicyValue]:
    return [
        PolicyValue(name, value, source="benchmark contract", grade="A")
        for name, value in values.items()
    ]


# ---------------------------------------------------------------- cases


class Case:
    """An account, its as-of date, and the same account as the floor sees it."""

    def __init__(self, name: str, account: Account, as_of: date) -> None:
        self.name = name
        self.account = account
        self.as_of = as_of
        self.payments = [(p.date, p.amount) for p in account.payments]
        policy = PolicySet(
            provider=REGISTRY.provider(account.provider).policy, account=account.policy
        ).at(as_of)
        self.grace = policy.grace
        self.principal_only = policy.penalty_base == "unpaid_principal"
        loan = account.loan
        if loan is not None:
            self.rate = floor.EXACT.multiply(policy.penalty_rate_multiplier, loan.daily)
        else:
            self.rate = policy.penalty_daily_rate

    def items(self) -> list[floor.Item]:
        loan = self.account.loan
        if loan is None:
            return [(b.statement_date, b.due_date, b.amount, D("0.00")) for b in self.account.bills]
        dues = [loan.due_date(k) for k in range(1, loan.term_months + 1)]
        return floor.level_schedule(
            loan.principal, loan.annual, loan.term_months, dues, loan.start_date
        )

    def floor(self) -> floor.Headline:
        return floor.headline(
            self.items(),
            self.payments,
            self.as_of,
            rate=self.rate,
            grace=self.grace,
            principal_only=self.principal_only,
        )


def loan_case(term: int = 12) -> Case:
    """A 等额本息 loan of ``term`` months, one payment a month; 1 in 4 a week late."""
    loan = LoanTerms(
        principal="12000.00",
        term_months=term,
        method="equal_installment",
        start_date=date(2024, 1, 15),
        annual_rate="0.162",
    )
    schedule = build_schedule(loan)
    payments = []
    for inst in schedule:
        late = 7 if inst.period % 4 == 3 else 0
        extra = D("5.00") if late else D("0.00")  # covers a week's penalty
        payments.append(Payment(inst.due_date + timedelta(days=late), inst.total + extra))
    account = Account(
        id=f"loan-{term}",
        provider="generic",
        product="installment",
        opened_on=loan.start_date,
        loan=loan,
        payments=payments,
        policy=contract(penalty_rate_multiplier="1.5", penalty_base="unpaid_principal"),
    )
    return Case(f"loan: {term} installments, {term} payments", account, schedule[-1].due_date)


def revolving(name: str, bills: list[Bill], payments: list[Payment], **policy: object) -> Account:
    """A revolving account of the generic provider with ``bills``, ``payments`` and a contract."""
    return Account(
        id=name,
        provider="generic",
        product="revolving",
        opened_on=bills[0].statement_date,
        bills=bills,
        payments=payments,
        policy=contract(**policy),
    )


def bills_case(count: int, *, years: int | None = None, grace: int = 0) -> Case:
    """``count`` bills and ``count`` payments; every third paid 12 days late, with its penalty.

    Bills are monthly, or spread evenly over ``years`` years.
    """
    start = date(2000, 1, 1)
    bills, payments = [], []
    for k in range(count):
        if years is None:
            statement = add_months(start, k)
        else:
            statement = start + timedelta(days=k * 365 * years // count)
        due = statement + timedelta(days=9)
        amount = D(800 + 37 * (k % 24))
        bills.append(Bill(statement, due, amount, id=f"bill-{k}"))
        if k % 3 == 2:
            payments.append(Payment(due + timedelta(days=12), amount + D("10.00")))
        else:
            payments.append(Payment(due - timedelta(days=2), amount))
    account = revolving(
        f"bills-{count}", bills, payments, penalty_daily_rate="0.0005", grace_days=grace
    )
    span = f" over {years} years" if years else ""
    grace_days = f", {grace} days' grace" if grace else ""
    return Case(f"{count} bills, {count} payments{span}{grace_days}", account, payments[-1].date)


def arrears_case(count: int) -> Case:
    """``count`` monthly bills, each paid 300.00 three days late: the arrears keep growing.

    Every bill stays overdue, so every payment day posts the penalty of all of them (the
    floor too): the cost grows with bills × payments.
    """
    start = date(2000, 1, 1)
    bills, payments = [], []
    for k in range(count):
        statement = add_months(start, k)
        due = statement + timedelta(days=9)
        bills.append(Bill(statement, due, D(800 + 37 * (k % 24)), id=f"bill-{k}"))
        payments.append(Payment(due + timedelta(days=3), D("300.00")))
    account = revolving(f"arrears-{count}", bills, payments, penalty_daily_rate="0.0005")
    return Case(f"{count} bills in growing arrears", account, payments[-1].date + timedelta(20))


# ---------------------------------------------------------------- stages


def replay(account: Account, as_of: date) -> object:
    """The rules engine alone (items, ordering, replay): the ledger."""
    provider = REGISTRY.provider(account.provider)
    policies = PolicySet(provider=provider.policy, account=account.policy)
    context = Context(
        account=account, as_of=as_of, policies=policies, provider=provider, registry=REGISTRY
    )
    return REGISTRY.rules.run(context).ledger


def stages(case: Case) -> dict[str, Callable[[], object]]:
    account, as_of = case.account, case.as_of
    provider = REGISTRY.provider(account.provider)
    policies = PolicySet(provider=provider.policy, account=account.policy)
    bureau = REGISTRY.bureau(policies.at(as_of).bureau)
    done = assess(account, as_of)

    def report() -> object:
        return build_report(done, account, bureau=bureau, policies=policies)

    def record() -> object:
        return build_record(
            account_id=account.id,
            as_of=as_of,
            first_day=account.opened_on,
            policies=policies,
            rules=REGISTRY.rules,
            registry=REGISTRY,
            provider=account.provider,
            bureau=bureau.id,
        )

    return {
        "replay": partial(replay, account, as_of),
        "report": report,
        "record": record,
        "assess": partial(assess, account, as_of),
        "assess + actions": lambda: assess(account, as_of).actions,
        "to_json": partial(to_json, done),
        "explain": done.explain,
    }


def once(call: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        call()
    return (time.perf_counter() - start) / number


def batch_size(call: Callable[[], object]) -> int:
    """Calls per timed batch so that a batch takes about 20 ms."""
    seconds = once(call, 1)
    return max(1, min(2000, int(0.02 / max(seconds, 1e-7))))


def paired(call: Callable[[], object], base: Callable[[], object], repeat: int) -> float:
    """Median over ``repeat`` pairs of (time of ``call`` ÷ time of ``base``)."""
    call(), base()  # warm up
    n_call, n_base = batch_size(call), batch_size(base)
    ratios = []
    for _ in range(repeat):
        ratios.append(once(call, n_call) / once(base, n_base))
    return statistics.median(ratios)


def median_time(call: Callable[[], object], repeat: int) -> float:
    call()
    number = batch_size(call)
    return statistics.median(once(call, number) for _ in range(repeat))


# ---------------------------------------------------------------- checks


def creditrules_headline(case: Case) -> floor.Headline:
    result = assess(case.account, case.as_of)
    episodes = [(e.start, e.end, e.max_days_past_due) for e in result.episodes]
    return result.days_past_due, result.penalty, episodes


def checked(case: Case) -> bool:
    """Whether the floor gives creditrules' figures on ``case`` (printed if not)."""
    ours, theirs = case.floor(), creditrules_headline(case)
    if ours != theirs:
        print(f"  ! floor differs on {case.name}: floor {ours[:2]} creditrules {theirs[:2]}")
        for a, b in zip(ours[2], theirs[2], strict=False):
            if a != b:
                print(f"    first episode that differs: floor {a} creditrules {b}")
                break
        return False
    return True


# ---------------------------------------------------------------- tables


def table_stages(cases: list[Case], repeat: int) -> None:
    print("\n## 1. Stages vs the floor (median of paired runs, × floor)\n")
    names = list(stages(cases[0]))
    print("| case | floor | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for case in cases:
        if not checked(case):
            continue
        floor_time = median_time(case.floor, repeat)
        row = [f"{paired(call, case.floor, repeat):.1f}×" for call in stages(case).values()]
        print(f"| {case.name} | {floor_time * 1e6:.0f} µs | " + " | ".join(row) + " |")


def dense_case(count: int) -> Case:
    """``count`` bills every 8 days from 1971 and ``count`` payments (one in three late).

    Monthly bills would run past 2199 at 10,000; these fit. Accounts built in code are
    not bounded by the account file's 1,000-entry lists, so ``assess`` runs on all.
    """
    specs, payments = _bill_specs(count), _bill_payments(count)
    bills = [Bill(s.open_date, s.due_date, s.principal, id=s.id) for s in specs]
    account = revolving(f"dense-{count}", bills, payments, penalty_daily_rate="0.0005")
    return Case(f"{count} bills every 8 days, {count} payments", account, payments[-1].date)


def table_scaling(repeat: int, quick: bool) -> None:
    print("\n## 2. Scaling (median times; paired growth over the row above, paired × floor)\n")
    print("| what | assess | replay alone | floor | × floor |")
    print("|---|---:|---:|---:|---:|")
    sizes = (10, 100, 1000) if quick else (10, 100, 1000, 10000)
    previous: Callable[[], object] | None = None
    for count in sizes:  # one shape at every size: bills 8 days apart (10,000 fit before 2200)
        case = dense_case(count)
        same = checked(case)
        run = partial(assess, case.account, case.as_of)
        seconds = median_time(run, repeat)
        alone = median_time(partial(replay, case.account, case.as_of), repeat)
        floor_time = median_time(case.floor, repeat)
        # The ratios are paired (see table 1): the growth over the row above, and the floor.
        growth = f" ({paired(run, previous, repeat):.1f}×)" if previous else ""
        print(
            f"| {count:,} bills (8 days apart) + payments | {seconds * 1e3:.2f} ms{growth} | "
            f"{alone * 1e3:.2f} ms | {floor_time * 1e3:.2f} ms{'' if same else ' (differs!)'} | "
            f"{paired(run, case.floor, repeat):.1f}× (assess) |"
        )
        previous = run
    for count in (100, 400) if not quick else (100,):
        case = arrears_case(count)
        same = checked(case)
        run = partial(assess, case.account, case.as_of)
        seconds = median_time(run, max(3, repeat // 3))
        floor_time = median_time(case.floor, max(3, repeat // 3))
        print(
            f"| {count:,} bills, each partly paid (arrears grow) | {seconds * 1e3:.1f} ms | | "
            f"{floor_time * 1e3:.2f} ms{'' if same else ' (differs!)'} | "
            f"{paired(run, case.floor, max(3, repeat // 3)):.1f}× (assess) |"
        )
    size = 300 if quick else 1000
    one, ten = bills_case(size, years=1), bills_case(size, years=10)
    t_one = median_time(partial(assess, one.account, one.as_of), repeat)
    t_ten = median_time(partial(assess, ten.account, ten.as_of), repeat)
    print(
        f"| the same {size:,} bills + payments over 1 year → 10 years | "
        f"{t_one * 1e3:.1f} → {t_ten * 1e3:.1f} ms (**{t_ten / t_one:.2f}×**) | | | |"
    )
    for term in (12, 120, 360, 600):
        try:
            case = loan_case(term)
        except ValueError as exc:
            print(f"| loan of {term} months | refused on input: {exc} | | | |")
            continue
        loan = case.account.loan
        assert loan is not None
        seconds = median_time(partial(assess, case.account, case.as_of), max(3, repeat // 3))
        schedule = median_time(partial(build_schedule, loan), repeat)
        print(
            f"| loan of {term} months, {term} payments | {seconds * 1e3:.1f} ms | "
            f"(schedule alone {schedule * 1e3:.2f} ms) | | |"
        )


def _bill_specs(count: int) -> list[ItemSpec]:
    start = date(1971, 1, 1)  # every 8 days: 10,000 bills fit before 2200
    specs = []
    for k in range(count):
        statement = start + timedelta(days=k * 8)
        due = statement + timedelta(days=9)
        specs.append(ItemSpec(f"bill-{k}", "bill", statement, due, D(800 + 37 * (k % 24))))
    return specs


def _bill_payments(count: int) -> list[Payment]:
    payments = []
    for spec in _bill_specs(count):
        k = int(spec.id.split("-")[1])
        if k % 3 == 2:
            payments.append(Payment(spec.due_date + timedelta(days=5), spec.principal + 10))
        else:
            payments.append(Payment(spec.due_date - timedelta(days=2), spec.principal))
    return payments


#: Days past due → status code: the upper bound of each code 1–6 (beyond: 7).
DPD_LIMITS = (30, 60, 90, 120, 150, 180)


def _zen_decision() -> Callable[[int], str] | None:
    """The DPD decision as a GoRules ZEN decision table (first hit), if zen-engine is installed."""
    try:
        import zen
    except ImportError:
        return None
    rules = [
        {"_id": f"code-{n}", "dpd": f"<= {limit}", "code": f'"{n}"'}
        for n, limit in enumerate(DPD_LIMITS, start=1)
    ]
    rules.append({"_id": "code-7", "dpd": "", "code": '"7"'})
    table = {
        "hitPolicy": "first",
        "inputs": [{"id": "dpd", "type": "expression", "field": "dpd", "name": "DPD"}],
        "outputs": [{"id": "code", "type": "expression", "field": "code", "name": "Code"}],
        "rules": rules,
    }
    graph = {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {
                "id": "table",
                "type": "decisionTableNode",
                "name": "Status",
                "content": table,
                "position": {"x": 200, "y": 0},
            },
            {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 400, "y": 0}},
        ],
        "edges": [
            {"id": "a", "type": "edge", "sourceId": "in", "targetId": "table"},
            {"id": "b", "type": "edge", "sourceId": "table", "targetId": "out"},
        ],
    }
    # Compiled once and kept: each call evaluates the cached decision, without a trace.
    decision = zen.ZenEngine().create_decision(zen.ZenDecisionContent(json.dumps(graph)))

    def code(days: int) -> str:
        result: str = decision.evaluate({"dpd": days}, {"trace": False})["result"]["code"]
        return result

    return code


def _rule_engine_decision() -> Callable[[int], str] | None:
    """The DPD decision as one ``rule-engine`` rule per code, if rule-engine is installed."""
    try:
        import rule_engine  # type: ignore[import-untyped]
    except ImportError:
        return None
    rules = [
        (rule_engine.Rule(f"dpd <= {limit}"), str(n)) for n, limit in enumerate(DPD_LIMITS, start=1)
    ]

    def code(days: int) -> str:
        thing = {"dpd": days}
        for rule, status in rules:
            if rule.matches(thing):
                return status
        return "7"

    return code


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _decide_all(code: Callable[[int], str], days: list[int]) -> list[str]:
    return [code(d) for d in days]


def _what_if_runs(
    account: Account, day: date, horizon: date, options: list[list[Payment]]
) -> tuple[Callable[[], object], Callable[[], object]]:
    """Ten what-ifs as ten ``simulate`` calls, and through one :class:`WhatIfs`."""

    def full() -> None:
        for events in options:
            simulate(account, events, horizon)

    def forked() -> None:
        what_ifs = WhatIfs(account, day)
        for events in options:
            what_ifs.simulate(events, horizon)

    return full, forked


def table_what_ifs(repeat: int, quick: bool) -> None:
    print("\n## 5. What-ifs (ten ways to pay, each assessed 90 days on; paired)\n")
    print("| account | one assess | 10 × simulate | WhatIfs, 10 what-ifs | speed-up |")
    print("|---|---:|---:|---:|---:|")
    for case in [loan_case(12), bills_case(100 if quick else 1000)]:
        account, day = case.account, case.as_of
        horizon = day + timedelta(days=90)
        options = [[Payment(day, D(100 * k))] for k in range(1, 11)]
        what_ifs = WhatIfs(account, day)
        if any(
            what_ifs.simulate(events, horizon) != simulate(account, events, horizon)
            for events in options
        ):  # the same assessments, or nothing is timed
            print(f"| {case.name} | ! a what-if differs from simulate | | | |")
            continue
        full, forked = _what_if_runs(account, day, horizon, options)
        one = median_time(partial(assess, account, day), repeat)
        times = median_time(full, repeat), median_time(forked, repeat)
        print(
            f"| {case.name} | {one * 1e3:.2f} ms | {times[0] * 1e3:.1f} ms | "
            f"{times[1] * 1e3:.1f} ms | {paired(full, forked, repeat):.1f}× |"
        )


def table_decision(repeat: int) -> None:
    print("\n## 3. One DPD → status decision (median per decision)\n")
    bureau = REGISTRY.bureau("pboc")
    days = list(range(1, 200))

    def plain_code(d: int) -> str:
        for n, limit in enumerate(DPD_LIMITS, start=1):
            if d <= limit:
                return str(n)
        return "7"

    engines: list[tuple[str, Callable[[int], str] | None]] = [
        ("plain Python", plain_code),
        ("creditrules bureau.dpd_code", bureau.dpd_code),
        (f"GoRules ZEN (zen-engine {_version('zen-engine')})", _zen_decision()),
        (f"rule-engine {_version('rule-engine')}", _rule_engine_decision()),
    ]
    expected = [plain_code(d) for d in days]
    print("| engine | µs per decision |\n|---|---:|")
    for name, code in engines:
        if code is None:
            print(f"| {name.split(' (')[0]} | not installed (`pip install -e '.[bench]'`) |")
            continue
        run = partial(_decide_all, code, days)
        if run() != expected:
            print(f"| {name} | ! gives other codes than plain Python: not timed |")
            continue
        seconds = median_time(run, repeat)
        print(f"| {name} | {seconds / len(days) * 1e6:.2f} |")


#: The libraries every command imports (entry points through ``importlib.metadata``).
_DEPENDENCIES = "attrs, cattrs, click, pluggy, rich.console, importlib.metadata"


def table_startup(repeat: int) -> None:
    print("\n## 4. Start-up (whole process, median of runs)\n")
    exe = Path(sys.executable)
    cli = exe.parent / "creditrules"
    runs = {
        "python -c pass": [str(exe), "-c", "pass"],
        "python -c 'import creditrules'": [str(exe), "-c", "import creditrules"],
        # What every command needs before any of creditrules' own work: the floor of
        # the start-up with these dependencies.
        f"python -c 'import {_DEPENDENCIES}'": [str(exe), "-c", f"import {_DEPENDENCIES}"],
        "creditrules.get_registry() (the plugins loaded)": [
            str(exe),
            "-c",
            "import creditrules; creditrules.get_registry()",
        ],
        "creditrules --help": [str(cli), "--help"],
        "creditrules assess examples/huabei.toml": [str(cli), "assess", "examples/huabei.toml"],
    }
    env = {**os.environ, "NO_COLOR": "1"}
    base: float | None = None
    print("| command | median | × python -c pass |\n|---|---:|---:|")
    for name, argv in runs.items():
        samples = []
        for _ in range(max(5, repeat // 2)):
            start = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
            samples.append(time.perf_counter() - start)
        seconds = statistics.median(samples)
        base = base or seconds
        print(f"| {name} | {seconds * 1e3:.0f} ms | {seconds / base:.1f}× |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed pairs (median taken)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else args.repeat
    print(
        f"creditrules {creditrules.__version__} · Python {platform.python_version()} · "
        f"{platform.machine()} · {os.cpu_count()} cores · {platform.platform(terse=True)}"
    )
    table_stages([loan_case(12), bills_case(24, grace=3), bills_case(1000)], repeat)
    table_scaling(repeat, args.quick)
    table_decision(repeat)
    table_startup(repeat)
    table_what_ifs(repeat, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
