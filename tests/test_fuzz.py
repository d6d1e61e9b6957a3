"""Fuzzing: near-valid account and provider files give a result or a CreditRulesError.

The inputs are the example account files and the bundled providers' files, mutated:
a value replaced by one of another type or an extreme (huge numbers, dates at the ends
of the calendar, NaN, deep nesting, odd unicode), a key deleted, an unknown key added,
an entry duplicated; and, as text, a key written twice or bytes inserted. Whatever the
input, reading and assessing it must either give a result that keeps the invariants
(no negative money, nothing below the fen, days past due ≥ 0, episodes in order,
overdue ≤ balance) or raise :class:`~creditrules.CreditRulesError` — never another
exception.

The same mutations run two ways: as Hypothesis properties on every test run (the
``ci`` profile runs more examples), and as a long random run with a time budget::

    nox -s fuzz                              # 10 minutes
    nox -s fuzz -- --seconds 3600            # an hour
    python tests/test_fuzz.py --seconds 60   # without nox

which prints how many inputs it tried and exits 1 on the first non-library exception,
printing the input (add it to ``tests/corpus/``). Recorded run: ``--seconds 2400 --seed
2026`` tried 1,090,400 inputs (141,570 assessed, the rest refused with a
CreditRulesError), zero non-library exceptions.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import decimal
import random
import reprlib
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import CreditRulesError
from creditrules._provider_file import parse_provider
from creditrules._toml import loads_toml
from creditrules.io import parse_account
from creditrules.money import is_fen

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT_SEEDS = sorted((ROOT / "examples").glob("*.toml"))
PROVIDER_SEEDS = sorted((ROOT / "plugins").glob("*/src/*/provider.toml"))
AS_OF_CHOICES = (
    date(2025, 6, 30),
    date(2025, 12, 31),
    date(1970, 1, 1),
    date(2199, 12, 31),
    date(2024, 1, 1),
)

#: Values a leaf may be replaced with: other types and extremes.
EXTREMES: tuple[Any, ...] = (
    0,
    -1,
    1,
    2**31,
    2**63,
    10**30,
    -(10**30),
    True,
    False,
    "",
    " ",
    "0",
    "-0.01",
    "1e30",
    "1e999999",
    "-1e999999",
    "NaN",
    "Infinity",
    "0.001",
    "123456789012345678901234567890.00",
    "花呗\u200b",
    "\u0000",
    "\U0001f4b8" * 50,
    "x" * 10_000,
    Decimal("1e999999"),
    Decimal("-0.00"),
    Decimal("NaN"),
    Decimal("0.0000000000000000000000000000001"),
    Decimal("99999999999999999999999999"),
    date(1, 1, 1),
    date(9999, 12, 31),
    date(1969, 12, 31),
    date(2200, 1, 1),
    date(2025, 2, 28),
    datetime(2025, 3, 1, 12, 0),
    [],
    [1, 2, 3],
    {},
    {"value": "0.0005"},
    {"value": "0.0005", "source": "", "grade": "Z"},
)


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``data`` (tables and arrays included) down to 40 deep, depth first."""
    found = [path]
    if len(path) > 40:
        return found
    if isinstance(data, dict):
        for key, value in data.items():
            found += _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _leaves(value, (*path, index))
    return found


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return data


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _extreme(rnd: random.Random) -> Any:
    roll = rnd.random()
    if roll < 0.05:
        return _nested(rnd.choice((33, 200, 1000)))
    if roll < 0.15:
        return rnd.randint(-(2**70), 2**70)
    if roll < 0.25:
        return Decimal(rnd.randint(-(10**12), 10**12)) / Decimal(10) ** rnd.randint(0, 40)
    if roll < 0.3:
        return date.fromordinal(rnd.randint(1, date.max.toordinal()))
    return copy.deepcopy(rnd.choice(EXTREMES))


def mutate_data(data: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    """Apply one to three structural mutations to parsed file data."""
    data = copy.deepcopy(data)
    for _ in range(rnd.randint(1, 3)):
        paths = _leaves(data)
        path = rnd.choice(paths)
        action = rnd.random()
        if action < 0.55 or not path:
            value = _extreme(rnd)
            data = _set(data, path, value) if path else data
            if isinstance(value, list) and value and isinstance(value[0], list):
                break  # deep nesting: the last mutation (copying it would recurse)
        elif action < 0.7:
            parent = _get(data, path[:-1])
            del parent[path[-1]]
        elif action < 0.8:
            target = _get(data, path[:-1])
            if isinstance(target, dict):
                target[rnd.choice(("extra", "amout", "金额", "type", "value"))] = _extreme(rnd)
        elif action < 0.9:
            target = _get(data, path[:-1])
            if isinstance(target, list) and target:
                for _ in range(rnd.choice((1, 2, 50))):
                    try:
                        target.append(copy.deepcopy(rnd.choice(target)))
                    except RecursionError:  # a deeply nested value inserted before
                        break
        else:
            value = _get(data, path)
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                # a Decimal already at the end of its range cannot grow
                with contextlib.suppress(ArithmeticError):
                    data = _set(data, path, value * rnd.choice((-1, 10**6, 10**20)))
            elif isinstance(value, date):
                shifted = value.toordinal() + rnd.choice((-1, 1)) * rnd.randint(1, 400_000)
                if 1 <= shifted <= date.max.toordinal():
                    data = _set(data, path, date.fromordinal(shifted))
    return data


def mutate_text(text: str, rnd: random.Random) -> str:
    """Mutate TOML text: a line written twice, bytes inserted, a line dropped."""
    lines = text.splitlines()
    index = rnd.randrange(len(lines))
    roll = rnd.random()
    if roll < 0.4:
        lines.insert(index, lines[index])  # a duplicated key or table
    elif roll < 0.7:
        noise = "".join(rnd.choice("[]{}=\"'\\.,#\n\t 0123456789eE+-:T花\u0000") for _ in range(5))
        at = rnd.randrange(len(lines[index]) + 1)
        lines[index] = lines[index][:at] + noise + lines[index][at:]
    else:
        del lines[index]
    return "\n".join(lines)


#: How many inputs gave a result (not an error), for the long run's report.
RESULTS = [0]


def check_invariants(assessment: creditrules.Assessment) -> None:
    """Assert the invariants every assessment keeps."""
    RESULTS[0] += 1
    for name in ("charged", "paid", "overdue", "balance"):
        components = getattr(assessment, name)
        for field in ("principal", "interest", "fees", "penalty", "total"):
            amount = getattr(components, field)
            assert amount >= 0, f"{name}.{field} = {amount}"
            assert is_fen(amount), f"{name}.{field} = {amount} is below the fen"
    assert assessment.credit >= 0 and is_fen(assessment.credit)
    assert assessment.days_past_due >= 0
    starts = [episode.start for episode in assessment.episodes]
    assert starts == sorted(starts), f"episodes out of order: {starts}"
    for episode in assessment.episodes:
        assert episode.end is None or episode.start <= episode.end
        assert episode.max_days_past_due >= 0 and episode.max_overdue_amount >= 0
    assert assessment.overdue.total <= assessment.balance.total
    for item in assessment.items:
        assert item.charged.total >= 0 and is_fen(item.charged.total)


def run_account(data: Any, as_of: date) -> None:
    """Read and assess account data: a result keeping the invariants, or a CreditRulesError."""
    try:
        account = parse_account(data, file="fuzz.toml")
        assessment = creditrules.assess(account, as_of)
        check_invariants(assessment)
        creditrules.to_json(assessment)
    except CreditRulesError:
        pass


def run_account_text(text: str, as_of: date) -> None:
    """As :func:`run_account`, from TOML text."""
    try:
        data = loads_toml(text, source="fuzz.toml")
    except CreditRulesError:
        return
    run_account(data, as_of)


def run_provider(data: Any) -> None:
    """Read provider data, then assess an account of it: a result, or a CreditRulesError."""
    try:
        provider = parse_provider(data, file="fuzz-provider.toml")
        registry = creditrules.get_registry()
        if provider.id in registry.providers:
            provider = attrs.evolve(provider, id=provider.id + "-fuzz")
        registry = registry.with_providers(provider)
        account = creditrules.Account(
            id="fuzz",
            provider=provider.id,
            product=provider.products[0] if provider.products else "revolving",
            opened_on=date(2025, 1, 1),
            bills=[creditrules.Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")]
            if not provider.products or provider.products[0] == "revolving"
            else [],
            loan=None
            if not provider.products or provider.products[0] == "revolving"
            else creditrules.LoanTerms(
                "1200.00",
                12,
                provider.methods[0] if provider.methods else "equal_installment",
                date(2025, 1, 1),
                daily_rate="0.0004",
            ),
            payments=[creditrules.Payment(date(2025, 3, 20), "100.00")],
            policy=[
                creditrules.PolicyValue(name, "0.0005", source="fuzz", grade="A")
                for name, _ in provider.required
                if name == "penalty_daily_rate"
            ],
        )
        check_invariants(creditrules.assess(account, date(2025, 6, 30), registry=registry))
    except CreditRulesError:
        pass


_ACCOUNTS = {path.name: loads_toml(path.read_text(encoding="utf-8")) for path in ACCOUNT_SEEDS}
_ACCOUNT_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in ACCOUNT_SEEDS}
_PROVIDERS = {str(path): loads_toml(path.read_text(encoding="utf-8")) for path in PROVIDER_SEEDS}
_FUZZ_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@_FUZZ_SETTINGS
@given(
    st.sampled_from(sorted(_ACCOUNTS)),
    st.randoms(use_true_random=False),
    st.sampled_from(AS_OF_CHOICES),
)
def test_mutated_account_files_give_a_result_or_a_creditrules_error(
    name: str, rnd: random.Random, as_of: date
) -> None:
    """A mutated account file is assessed within the invariants, or is a CreditRulesError."""
    run_account(mutate_data(_ACCOUNTS[name], rnd), as_of)


@_FUZZ_SETTINGS
@given(st.sampled_from(sorted(_ACCOUNT_TEXTS)), st.randoms(use_true_random=False))
def test_mutated_account_text_gives_a_result_or_a_creditrules_error(
    name: str, rnd: random.Random
) -> None:
    """Account TOML with duplicated keys or noise is a result or a CreditRulesError."""
    run_account_text(mutate_text(_ACCOUNT_TEXTS[name], rnd), date(2025, 6, 30))


@_FUZZ_SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_is_a_result_or_a_creditrules_error(text: str) -> None:
    """Any text given as an account file is a result or a CreditRulesError."""
    run_account_text(text, date(2025, 6, 30))


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates()
    | st.datetimes()
    | st.sampled_from(EXTREMES[:30])
)
_KEY_NAMES = (
    *("format", "account", "id", "provider", "product", "opened_on", "bills", "payments"),
    *("events", "policy", "loan", "amount", "date", "type", "value", "grace_days", "x"),
)
_KEYS = st.sampled_from(_KEY_NAMES) | st.text(max_size=8)
#: Arbitrary TOML-like documents: tables and arrays of scalars, with the keys of an
#: account file more likely than others.
DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=30,
)


@_FUZZ_SETTINGS
@given(st.dictionaries(_KEYS, DOCUMENTS, max_size=8), st.sampled_from(AS_OF_CHOICES))
def test_arbitrary_documents_give_a_result_or_a_creditrules_error(
    data: dict[str, Any], as_of: date
) -> None:
    """Any document of tables, arrays and scalars read as an account file: result or error."""
    run_account(data, as_of)
    run_provider(data)


@_FUZZ_SETTINGS
@given(st.sampled_from(sorted(_PROVIDERS)), st.randoms(use_true_random=False))
def test_mutated_provider_files_give_a_result_or_a_creditrules_error(
    name: str, rnd: random.Random
) -> None:
    """A mutated provider file is refused with a CreditRulesError, or assesses within bounds."""
    run_provider(mutate_data(_PROVIDERS[name], rnd))


# --------------------------------------------------------------------------- the long run

Runner = Callable[[random.Random], tuple[str, Any, Callable[[], None]]]


def _account_case(rnd: random.Random) -> tuple[str, Any, Callable[[], None]]:
    name = rnd.choice(sorted(_ACCOUNTS))
    as_of = rnd.choice(AS_OF_CHOICES)
    if rnd.random() < 0.2:
        text = mutate_text(_ACCOUNT_TEXTS[name], rnd)
        return (
            f"account text from {name}, as of {as_of}",
            text,
            lambda: run_account_text(text, as_of),
        )
    data = mutate_data(_ACCOUNTS[name], rnd)
    return f"account from {name}, as of {as_of}", data, lambda: run_account(data, as_of)


def _provider_case(rnd: random.Random) -> tuple[str, Any, Callable[[], None]]:
    name = rnd.choice(sorted(_PROVIDERS))
    data = mutate_data(_PROVIDERS[name], rnd)
    return f"provider from {name}", data, lambda: run_provider(data)


def long_run(seconds: float, seed: int) -> int:
    """Fuzz for ``seconds``; return the number of inputs tried (raise on a non-library error)."""
    rnd = random.Random(seed)
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        for _ in range(100):
            case = _provider_case if rnd.random() < 0.3 else _account_case
            label, data, run = case(rnd)
            try:
                run()
            except Exception as exc:
                print(f"non-library exception after {count} inputs ({label}):", file=sys.stderr)
                print(reprlib.repr(data), file=sys.stderr)
                raise exc
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """Run the long fuzz session (``nox -s fuzz``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="time budget")
    parser.add_argument("--seed", type=int, default=12, help="random seed")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with decimal.localcontext():
        count = long_run(args.seconds, args.seed)
    elapsed = time.monotonic() - started
    print(
        f"fuzz: {count:,} generated inputs in {elapsed:.0f} s (seed {args.seed}), "
        f"{RESULTS[0]:,} assessed within the invariants, the rest refused with a "
        "CreditRulesError; zero non-library exceptions"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
