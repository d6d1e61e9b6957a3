"""A conformance suite for provider plugins: does your provider behave like a provider must?

Subclass :class:`ProviderConformance` in your plugin's tests and pytest runs every
check against your provider, over accounts generated for it by
:mod:`creditrules.testing.strategies`::

    from pathlib import Path

    from creditrules.testing.conformance import ProviderConformance


    class TestAcmeConformance(ProviderConformance):
        provider_id = "acme"
        golden_dir = Path(__file__).parent / "golden"

The checks (one test method each):

* the provider's plugin loads cleanly with plugin failures fatal (strict mode: the
  suite runs strict), and registers the provider; every policy value and fact has a
  source and a grade ``A``–``D``; effective-dated versions of a parameter do not
  overlap; no parameter is both set and listed as unknown; no rate is above the
  plausibility ceilings of :data:`RATE_CEILINGS` unless the provider states a sourced
  exception; the README (if given) mentions every value and shows its value and grade;
* paying every due item in full on its due date costs no penalty, opens no overdue
  episode and puts no negative code on the credit report;
* the penalty never decreases when a payment moves later;
* money is conserved: what was paid is allocated to a component or kept as credit;
* no figure is ever negative, and nothing is past due beyond what is owed;
* the result does not depend on the order payments and events are listed in;
* accounts and assessments survive ``to_dict``/``from_dict`` and
  ``dump_account``/``load_account``;
* the provider's limits (products, repayment methods, ``max_term_months``,
  ``max_principal``, values required from the contract) are enforced with
  :class:`~creditrules.InputError` at the right JSON path;
* the parameters the provider lists as unknown are reported as unknown, and with no
  penalty rate at all no penalty is charged and the assessment says so;
* the provider's golden cases pass (see :func:`load_golden_case` for the format).

Every check is also a plain function returning the problems it found, in words
(an empty list when all is well), so it can be used outside pytest:

>>> from creditrules import PolicyValue, Provider
>>> rate = PolicyValue("penalty_daily_rate", "0.0005", source="Acme terms §7", grade="B")
>>> check_policy_sources(Provider(id="acme", policy=(rate,)))
[]

Install the ``testing`` extra (Hypothesis and pytest) to use this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .._api import assess
from .._plugins import Registry, get_registry
from .._toml import load_toml
from .._words import unknown_key
from ..assessment import Assessment, unknown_matters
from ..default_plugins.pboc import PBOC
from ..errors import InputError, InputProblem, PluginError
from ..io import dump_account, from_dict, load_account, parse_account, to_dict
from ..model import METHODS, PRODUCTS, Account, Payment
from ..money import parse_money, sum_money
from ..policy import GRADES, PolicyValue
from ..provider import Provider
from . import strategies as cs

__all__ = [
    "EVENT_KINDS",
    "FEATURES",
    "NEGATIVE_CODES",
    "RATE_CEILINGS",
    "RATE_EXCEPTION",
    "Expected",
    "GoldenCase",
    "ProviderConformance",
    "check_figures_in_range",
    "check_golden_case",
    "check_limit",
    "check_money_conserved",
    "check_order_independent",
    "check_paid_on_time",
    "check_penalty_monotone",
    "check_plugin_loads",
    "check_policy_sources",
    "check_rate_ceilings",
    "check_readme",
    "check_readme_values",
    "check_round_trip",
    "check_unknowns",
    "check_unknowns_not_set",
    "check_versions",
    "golden_case_paths",
    "load_golden_case",
]

#: Event types the generated accounts may contain besides payments.
EVENT_KINDS: tuple[str, ...] = ("waiver", "guarantor_paid", "written_off", "account_closed")
#: What :attr:`ProviderConformance.unsupported` may name: product kinds, loan repayment
#: methods, payment behaviours (:data:`creditrules.testing.strategies.BEHAVIOURS`) and
#: event types.
FEATURES: tuple[str, ...] = (*PRODUCTS, *METHODS, *cs.BEHAVIOURS, *EVENT_KINDS)
#: The negative credit-report status codes of the built-in PBOC bureau; the checks ask
#: the bureau of each report (:attr:`creditrules.Bureau.negative_codes`).
NEGATIVE_CODES: frozenset[str] = PBOC.negative_codes


# ----------------------------------------------------------------- wording


def _show(value: Any) -> str:
    """Render a value for a message: amounts and dates plainly, anything else short."""
    if isinstance(value, (Decimal, date, int, str)) and not isinstance(value, bool):
        return str(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _span(value: PolicyValue) -> str:
    return f"{value.effective_from or 'always'}–{value.effective_to or 'open'}"


def _differences(first: Any, second: Any, path: str = "", limit: int = 3) -> list[str]:
    """Name up to ``limit`` places where two values differ (``charged.penalty: 2.50 vs 2.00``)."""
    if first == second:
        return []
    found: list[str] = []
    if type(first) is type(second) and attrs.has(type(first)):
        for field in attrs.fields(type(first)):
            if field.eq:
                where = f"{path}.{field.name}" if path else field.name
                found += _differences(
                    getattr(first, field.name), getattr(second, field.name), where, limit
                )
            if len(found) >= limit:
                break
    elif isinstance(first, tuple) and isinstance(second, tuple) and len(first) == len(second):
        for index, (one, other) in enumerate(zip(first, second, strict=True)):
            found += _differences(one, other, f"{path}[{index}]", limit)
            if len(found) >= limit:
                break
    return found[:limit] or [f"{path or 'the value'}: {_show(first)} vs {_show(second)}"]


def _provider(provider_id: str) -> Provider:
    registry = get_registry()
    try:
        return registry.provider(provider_id)
    except PluginError as exc:
        raise AssertionError(str(exc)) from None
    except KeyError as exc:
        failed = [f"{info.name!r}: {info.error}" for info in registry.plugins if info.error]
        raise AssertionError(
            f"{exc.args[0]}; is the plugin installed (pip install -e .) and advertised "
            "under the creditrules entry-point group?"
            + (f" Plugins that failed to load: {'; '.join(failed)}" if failed else "")
        ) from None


def _fail_on(problems: list[str]) -> None:
    if problems:
        raise AssertionError("\n".join(problems))


# ----------------------------------------------------------------- provider checks


def check_policy_sources(provider: Provider) -> list[str]:
    """Check that every policy value and fact of ``provider`` has a source and a grade A–D.

    Also checks that every parameter listed as unknown or required gives its reason.

    Args:
        provider: The provider to check.

    A message reads, for example, ``policy value penalty_daily_rate has no source``.

    Returns:
        One message per problem; empty when every value is sourced and graded.
    """
    problems: list[str] = []
    counts: dict[str, int] = {}
    for value in provider.policy:
        counts[value.name] = counts.get(value.name, 0) + 1
    for value in provider.policy:
        label = f"policy value {value.name}"
        if counts[value.name] > 1:
            label += f" (version {_span(value)})"
        if not isinstance(value.source, str) or not value.source.strip():
            problems.append(f"{label} has no source")
        if value.grade not in GRADES:
            problems.append(f"{label} has grade {value.grade!r}, not one of {', '.join(GRADES)}")
    for fact in provider.facts:
        if not isinstance(fact.source, str) or not fact.source.strip():
            problems.append(f"fact {fact.key} has no source")
        if fact.grade not in GRADES:
            problems.append(
                f"fact {fact.key} has grade {fact.grade!r}, not one of {', '.join(GRADES)}"
            )
    for section, pairs in (("unknown", provider.unknown), ("required", provider.required)):
        for name, why in pairs:
            if not isinstance(why, str) or not why.strip():
                problems.append(f"{section} parameter {name} gives no reason")
    return problems


def check_versions(provider: Provider) -> list[str]:
    """Check that the effective-dated versions of each of ``provider``'s parameters do not overlap.

    Args:
        provider: The provider to check.

    A message reads, for example, ``versions of grace_days overlap: always–open and
    2025-01-01–open (both in force on 2025-01-01)``.

    Returns:
        One message per problem; empty when no versions overlap.
    """
    problems: list[str] = []
    seen: list[PolicyValue] = []
    for value in provider.policy:
        start, end = value.effective_from, value.effective_to
        if start is not None and end is not None and end < start:
            problems.append(f"a version of {value.name} ends on {end}, before it starts on {start}")
            continue
        for other in seen:
            if other.name == value.name and value.overlaps(other):
                common = max(value.effective_from or date.min, other.effective_from or date.min)
                when = "every day" if common == date.min else f"{common}"
                problems.append(
                    f"versions of {value.name} overlap: {_span(other)} and {_span(value)} "
                    f"(both in force on {when})"
                )
        seen.append(value)
    return problems


def check_readme(provider: Provider, text: str) -> list[str]:
    """Check that a README mentions every parameter the provider sets or lists as unknown.

    Args:
        provider: The provider.
        text: The README's text.

    Returns:
        One message per parameter the README does not name; empty when it names them all.
    """
    problems: list[str] = []
    for name in dict.fromkeys(value.name for value in provider.policy):
        if name not in text:
            problems.append(
                f"the README does not mention policy value {name}: list every value with its "
                "source and grade"
            )
    for section, pairs in (("unknown", provider.unknown), ("required", provider.required)):
        for name, _why in pairs:
            if name not in text:
                problems.append(
                    f"the README does not mention {name}, which the provider lists as {section}: "
                    "say what that means for users"
                )
    return problems


#: Plausibility ceilings of a provider's rates, by parameter: ``(largest value, why)``.
#: Daily rates are annualised over 365 days and held to the 24 % APR line regulators
#: hold licensed lenders to (APR including every fee: PBOC announcement 2021 No. 3); the
#: penalty multiple is held to the +50 % of the contract rate of 银发〔2003〕251号; a
#: penalty cap is held to the APR line itself. (Private lending is capped lower, at 4 ×
#: the one-year LPR: 最高人民法院关于审理民间借贷案件适用法律若干问题的规定, 2020.) A provider
#: whose source states a higher rate declares a :data:`RATE_EXCEPTION` fact.
RATE_CEILINGS: Mapping[str, tuple[Decimal, str]] = {
    "penalty_daily_rate": (
        Decimal("0.24") / 365,
        "24 % a year over 365 days, the APR line for licensed lenders",
    ),
    "revolving_daily_rate": (
        Decimal("0.24") / 365,
        "24 % a year over 365 days, the APR line for licensed lenders",
    ),
    "penalty_rate_multiplier": (
        Decimal("1.5"),
        "the contract rate + 50 % (银发〔2003〕251号)",
    ),
    "penalty_cap": (Decimal("0.24"), "the 24 % APR line for licensed lenders"),
}
#: The key prefix of a :class:`~creditrules.ProviderFact` stating a sourced exception to
#: a rate ceiling: ``rate_exception.penalty_daily_rate``, graded A or B.
RATE_EXCEPTION = "rate_exception."


def check_plugin_loads(registry: Registry, provider_id: str) -> list[str]:
    """Check that the plugin registering ``provider_id`` loaded without any failure.

    Args:
        registry: The registry (as loaded without strict mode, so failures are recorded).
        provider_id: The provider under test.

    Returns:
        One message per problem: the id registered twice, the plugin that failed (with
        its reason), or the provider missing; empty when its plugin loaded cleanly.
    """
    if provider_id in registry.conflicts:
        return [registry.conflicts[provider_id]]
    problems = [
        f"plugin {info.name!r} ({info.distribution}) failed: {info.error}"
        for info in registry.plugins
        if info.error and provider_id in (*info.providers, info.name)
    ]
    if provider_id not in registry.providers:
        failed = [f"{info.name!r}: {info.error}" for info in registry.plugins if info.error]
        problems.append(
            f"no plugin registers the provider {provider_id!r}"
            + (f"; plugins that failed: {'; '.join(failed)}" if failed else "")
        )
    else:
        owner = registry.owner(provider_id)
        problems += [
            f"plugin {info.name!r} ({info.distribution}) failed: {info.error}"
            for info in registry.plugins
            if info.name == owner and info.error
        ]
    return problems


def check_unknowns_not_set(provider: Provider) -> list[str]:
    """Check that no parameter is both given a value and listed as unknown.

    Args:
        provider: The provider.

    Returns:
        One message per parameter that is both; empty when there is none.
    """
    values: dict[str, PolicyValue] = {}
    for value in provider.policy:
        if value.value is not None:
            values.setdefault(value.name, value)
    return [
        f"{name} is listed as unknown but the provider sets it to {_show(values[name].value)} "
        f"(source: {values[name].source}); remove one of the two"
        for name, _why in provider.unknown
        if name in values
    ]


def check_rate_ceilings(provider: Provider) -> list[str]:
    """Check the provider's rates against the plausibility ceilings of :data:`RATE_CEILINGS`.

    A rate above its ceiling is accepted only when the provider states a sourced
    exception: a fact with the key ``rate_exception.<parameter>`` and grade A or B. A
    rate of 0.5 a day is far more often a percentage written as a fraction than a
    contract.

    Args:
        provider: The provider.

    Returns:
        One message per rate above its ceiling without an exception; empty otherwise.
    """
    exceptions = {
        fact.key[len(RATE_EXCEPTION) :]
        for fact in provider.facts
        if fact.key.startswith(RATE_EXCEPTION) and fact.grade in ("A", "B")
    }
    problems: list[str] = []
    for value in provider.policy:
        ceiling = RATE_CEILINGS.get(value.name)
        if ceiling is None or value.value is None or value.name in exceptions:
            continue
        limit, why = ceiling
        if value.value > limit:
            problems.append(
                f"{value.name} = {value.value} (source: {value.source}) is above the plausible "
                f"ceiling of {limit.quantize(Decimal('0.000001'))} ({why}); if the source "
                f"really says so, state it as a fact {RATE_EXCEPTION}{value.name} graded A or B"
            )
    return problems


def _renderings(value: Any) -> list[list[str]]:
    """Ways a README may show ``value``: groups of texts, each group needing one to match."""
    if value is None:
        return [["unset", "none", "unknown", "not set", "—"]]
    if isinstance(value, bool):
        return [[str(value).lower(), "yes" if value else "no"]]
    if isinstance(value, Decimal):
        forms = {str(value), str(value.normalize()), f"{value:f}"}
        percent = (value * 100).normalize()
        forms |= {f"{percent:f} %", f"{percent:f}%"}
        return [sorted(forms)]
    if isinstance(value, int):
        return [[str(value)]]
    if isinstance(value, str):
        return [[value]]
    if isinstance(value, tuple):
        groups: list[list[str]] = []
        for item in value:
            if isinstance(item, tuple):  # a fee table: (periods, rate)
                for part in item:
                    groups += _renderings(part)
            else:
                groups += _renderings(item)
        return groups
    return [[str(value)]]


def _shows(row: str, text: str) -> bool:
    """Whether ``row`` shows ``text`` as a whole token (``0`` is not the 0 of ``0.05``)."""
    pattern = r"(?<![\w.])" + re.escape(text) + r"(?![\w]|\.\d)"
    return re.search(pattern, row, flags=re.IGNORECASE) is not None


def check_readme_values(provider: Provider, text: str) -> list[str]:
    """Check that the README shows each policy value the provider sets, and its grade.

    For each value (each version of an effective-dated parameter), some line of the
    README that names the parameter — a row of its table of values — must show the value
    (as written, or as a percentage: ``0.0005`` or ``0.05 %``) and the grade (a table
    cell ``| B |`` or the words ``grade B``).

    Args:
        provider: The provider.
        text: The README's text.

    Returns:
        One message per value the README does not show; empty when it shows them all.
    """
    problems: list[str] = []
    lines = text.splitlines()
    for value in provider.policy:
        rows = [line for line in lines if re.search(rf"\b{re.escape(value.name)}\b", line)]
        if not rows:
            continue  # check_readme names the parameter missing altogether
        groups = _renderings(value.value)
        grade = re.compile(rf"\|\s*{value.grade}\s*\||grade\s+{value.grade}\b")
        shown = [row for row in rows if all(any(_shows(row, t) for t in g) for g in groups)]
        if not shown:
            problems.append(
                f"the README does not show the value of {value.name}: the provider sets "
                f"{_show(value.value)}"
                + (f" ({_span(value)})" if value.effective_from or value.effective_to else "")
                + "; show it in the row that names the parameter"
            )
        elif not any(grade.search(row) for row in shown):
            problems.append(
                f"the README does not show the grade of {value.name} = {_show(value.value)}: "
                f"the provider grades it {value.grade}"
            )
    return problems


# ----------------------------------------------------------------- account checks


def _on_time_payments(account: Account) -> tuple[Payment, ...]:
    """Payments of every due item's scheduled amount on its due date (after provider rules)."""
    bare = attrs.evolve(account, payments=(), events=())
    return tuple(
        Payment(item.due_date, item.scheduled.total)
        for item in assess(bare, as_of=cs.last_date(bare)).items
        if item.scheduled.total > 0 and item.status != "cancelled"
    )


def check_paid_on_time(account: Account, as_of: date) -> list[str]:
    """Pay every due item of ``account`` in full on its due date and check nothing goes wrong.

    The account's own payments and events are replaced by one payment per due item
    (bill or installment, as the provider's rules make them) of its scheduled amount
    on its due date.

    Args:
        account: The account.
        as_of: The assessment date, on or after the last due date.

    Returns:
        One message per problem (a penalty charged, an overdue episode, days past due, an
        amount past due, a negative code on the credit report); empty when there is none.
    """
    payments = _on_time_payments(account)
    paid = attrs.evolve(account, payments=payments, events=())
    result = assess(paid, as_of=as_of)
    what = f"paying every due item in full on its due date (as of {as_of})"
    problems: list[str] = []
    if result.charged.penalty != 0:
        items = [i.id for i in result.items if i.charged.penalty]
        problems.append(
            f"{what} charged a penalty of {result.charged.penalty} ({', '.join(items)})"
        )
    for episode in result.episodes:
        problems.append(
            f"{what} opened an overdue episode starting {episode.start} "
            f"(items {', '.join(episode.items)})"
        )
    if result.days_past_due:
        problems.append(f"{what} left the account {result.days_past_due} days past due")
    if result.overdue.total:
        problems.append(f"{what} left {result.overdue.total} past due")
    if result.report is not None:
        negative = get_registry().bureau(result.report.bureau).negative_codes
        for month, code in result.report.months.items():
            if code in negative:
                problems.append(
                    f"{what} put the negative code {code!r} on the credit report for {month}"
                )
    return problems


def check_penalty_monotone(account: Account, *, payment: int, days: int, as_of: date) -> list[str]:
    """Move one payment later and check that the penalty does not decrease.

    The check applies when moving the payment leaves the due items as they were. When
    it changes them — a minimum payment now met or missed lets a bill's rest revolve
    into a new item, or not (creditrules conventions B.1) — the two accounts owe
    different debts: a revolved rest bears contract interest that rolls into the next
    bill, which over months can cost more than the penalty on an overdue bill, so
    neither figure has to be monotone and the check does not compare them.

    Args:
        account: The account.
        payment: Index of the payment to move, in ``account.payments``.
        days: How many days later it is made (>= 1).
        as_of: The assessment date, after both payment dates.

    Returns:
        A message such as ``"penalty decreased from 2.50 to 2.00 when the payment of
        1002.50 on 2025-03-15 moved to 2025-03-16 (as of 2025-06-30)"``, or nothing.
    """
    moved = list(account.payments)
    original = moved[payment]
    moved[payment] = attrs.evolve(original, date=original.date + timedelta(days=days))
    later = attrs.evolve(account, payments=tuple(moved))
    first, second = assess(account, as_of=as_of), assess(later, as_of=as_of)
    if {i.id for i in first.items} != {i.id for i in second.items}:
        return []
    before, after = first.penalty, second.penalty
    if before > after:
        return [
            f"penalty decreased from {before} to {after} when the payment of {original.amount} "
            f"on {original.date} moved to {moved[payment].date} (as of {as_of})"
        ]
    return []


def check_money_conserved(account: Account, as_of: date) -> list[str]:
    """Check that everything paid by ``as_of`` is allocated to a component or kept as credit.

    Args:
        account: The account.
        as_of: The assessment date.

    Returns:
        A message saying how much is unaccounted for, or nothing.
    """
    result = assess(account, as_of=as_of)
    paid_in = sum_money(p.amount for p in account.payments if p.date <= as_of)
    allocated = result.paid.total
    problems: list[str] = []
    if allocated + result.credit != paid_in:
        problems.append(
            f"money is not conserved as of {as_of}: payments up to that day total {paid_in}, "
            f"but {allocated} was allocated and {result.credit} kept as credit "
            f"({paid_in - allocated - result.credit} unaccounted for)"
        )
    by_item = sum_money(item.paid.total for item in result.items)
    if by_item != allocated:
        problems.append(
            f"the due items were paid {by_item} in all, but the assessment says {allocated} "
            f"was paid (as of {as_of})"
        )
    return problems


def check_figures_in_range(account: Account, as_of: date) -> list[str]:
    """Check that no figure of the assessment is negative and overdue never exceeds the balance.

    Covers days past due, credit, the balance, overdue, charged and paid amounts by
    component, and every due item's scheduled, charged, paid, waived and outstanding
    components.

    Args:
        account: The account.
        as_of: The assessment date.

    Returns:
        One message per figure out of range, e.g. ``item installment-12 has scheduled
        fees of -0.02``; empty when all are in range.
    """
    result = assess(account, as_of=as_of)
    problems: list[str] = []
    when = f"(as of {as_of})"
    if result.days_past_due < 0:
        problems.append(f"days past due is {result.days_past_due} {when}")
    if result.credit < 0:
        problems.append(f"credit is {result.credit} {when}")
    for label in ("balance", "overdue", "charged", "paid"):
        components = getattr(result, label)
        for name in ("principal", "interest", "fees", "penalty"):
            if components.get(name) < 0:
                problems.append(f"{label} {name} is {components.get(name)} {when}")
    if result.overdue.total > result.balance.total:
        problems.append(
            f"{result.overdue.total} is past due but only {result.balance.total} is owed {when}"
        )
    for item in result.items:
        if item.days_past_due < 0:
            problems.append(f"item {item.id} is {item.days_past_due} days past due {when}")
        for label in ("scheduled", "charged", "paid", "waived", "outstanding"):
            components = getattr(item, label)
            for name in ("principal", "interest", "fees", "penalty"):
                if components.get(name) < 0:
                    problems.append(
                        f"item {item.id} has {label} {name} of {components.get(name)} {when}"
                    )
    return problems


def check_order_independent(account: Account, reordered: Account, as_of: date) -> list[str]:
    """Check that listing the payments and events in another order changes nothing.

    Args:
        account: The account.
        reordered: The same account with its payments and events in another order.
        as_of: The assessment date.

    Returns:
        A message naming what changed, or nothing.
    """
    first = assess(account, as_of=as_of)
    second = assess(reordered, as_of=as_of)
    if first == second:
        return []
    return [
        f"the assessment as of {as_of} changed when the payments and events were listed in "
        f"another order: {'; '.join(_differences(first, second))}"
    ]


def check_round_trip(account: Account, as_of: date) -> list[str]:
    """Check that the account and its assessment survive saving and loading.

    ``from_dict(to_dict(x)) == x`` for the account and the assessment, and
    ``load_account(dump_account(account)) == account`` (when every policy value is set:
    TOML cannot write an unset one).

    Args:
        account: The account.
        as_of: The assessment date.

    Returns:
        One message per value that changed or could not be read back.
    """
    problems: list[str] = []
    result = assess(account, as_of=as_of)
    pairs: tuple[tuple[str, type[Any], Any], ...] = (
        ("account", Account, account),
        ("assessment", Assessment, result),
    )
    for label, cls, value in pairs:
        try:
            back = from_dict(cls, to_dict(value))
        except InputError as exc:
            problems.append(f"from_dict cannot read back to_dict of the {label}: {exc}")
            continue
        if back != value:
            problems.append(
                f"the {label} changed in to_dict/from_dict: {'; '.join(_differences(value, back))}"
            )
    if all(v.value is not None for v in account.policy):
        try:
            loaded = load_account(dump_account(account))
        except InputError as exc:
            problems.append(f"load_account cannot read back dump_account of the account: {exc}")
        else:
            if loaded != account:
                problems.append(
                    "the account changed in dump_account/load_account: "
                    + "; ".join(_differences(account, loaded))
                )
    return problems


def check_limit(account: Account, *, path: str, what: str) -> list[str]:
    """Check that assessing an account that breaks a provider limit raises ``InputError``.

    Args:
        account: An account that breaks one of its provider's limits.
        path: The JSON path the error must name (``$.loan.term_months``).
        what: The breach in words (``a loan of 37 months, longer than max_term_months = 36``).

    Returns:
        A message if the account was accepted, or refused elsewhere than ``path``.
    """
    try:
        assess(account, as_of=cs.last_date(account))
    except InputError as exc:
        if any(problem.path == path for problem in exc.problems):
            return []
        return [f"{what} was refused, but not at {path}: {exc}"]
    return [f"{what} was accepted: assess must raise InputError at {path}"]


def _penalty_rate_known(provider: Provider, account: Account) -> bool:
    values = (*provider.policy, *account.policy)
    if any(v.name == "penalty_daily_rate" and v.value is not None for v in values):
        return True
    return account.loan is not None and any(
        v.name == "penalty_rate_multiplier" and v.value is not None for v in values
    )


def check_unknowns(account: Account, as_of: date) -> list[str]:
    """Check that what the provider does not know is reported as unknown.

    Every parameter in the provider's ``unknown`` list that the account does not set
    must appear in :attr:`~creditrules.Assessment.unknowns` exactly once when it
    matters for the account (:func:`creditrules.assessment.unknown_matters`), and not
    at all when it does not; and when no penalty rate
    is known at all, no penalty may be charged and, once something is past due, the
    assessment must say the penalty is unknown.

    Args:
        account: The account.
        as_of: The assessment date.

    Returns:
        One message per problem.
    """
    provider = _provider(account.provider)
    result = assess(account, as_of=as_of)
    given_names = {value.name for value in account.policy}
    problems: list[str] = []
    for name, _why in provider.unknown:
        said = sum(1 for u in result.unknowns if u.startswith(f"{name}:"))
        matters = name not in given_names and unknown_matters(name, result.rules, result.items)
        if matters and said != 1:
            problems.append(
                f"the assessment as of {as_of} says {said} times that {name} is unknown, "
                "although the provider lists it under unknown and it matters for the account"
            )
        elif not matters and said:
            problems.append(
                f"the assessment as of {as_of} says that {name} is unknown, although it does "
                "not matter for the account (or the account gives it)"
            )
    if not _penalty_rate_known(provider, account):
        if result.charged.penalty != 0:
            problems.append(
                f"a penalty of {result.charged.penalty} was charged as of {as_of}, although "
                "neither the provider nor the account states a penalty rate"
            )
        if result.episodes and not any(u.startswith("penalty") for u in result.unknowns):
            problems.append(
                f"the account was past due (from {result.episodes[0].start}) with no penalty "
                "rate known, but the assessment does not say the penalty is unknown"
            )
    return problems


# ----------------------------------------------------------------- golden cases

_CASE_KEYS = ("as_of", "description", "account_file")
_MONEY_KEYS = ("penalty", "overdue_total", "balance_total", "cost", "credit", "paid_total")
_COUNT_KEYS = ("days_past_due", "episodes")
_EXPECT_KEYS = (*_COUNT_KEYS, *_MONEY_KEYS, "months", "unknowns_contain", "error")


@attrs.frozen
class Expected:
    """The figures a golden case expects (each optional; only those given are checked).

    Attributes:
        days_past_due: :attr:`Assessment.days_past_due <creditrules.Assessment.days_past_due>`.
        penalty: Penalty charged (``charged.penalty``).
        overdue_total: Everything past due (``overdue.total``).
        balance_total: Everything owed (``balance.total``).
        cost: Interest, fees and penalty charged (:attr:`~creditrules.Assessment.cost`).
        credit: Money paid beyond what was due.
        paid_total: Everything paid and allocated (``paid.total``).
        episodes: Number of overdue episodes.
        months: ``(YYYY-MM, code)`` pairs the credit report must show.
        unknowns_contain: Texts each found in one of the assessment's unknowns.
        error: Text of the :class:`~creditrules.InputError` ``assess`` must raise.
    """

    days_past_due: int | None = None
    penalty: Decimal | None = None
    overdue_total: Decimal | None = None
    balance_total: Decimal | None = None
    cost: Decimal | None = None
    credit: Decimal | None = None
    paid_total: Decimal | None = None
    episodes: int | None = None
    months: tuple[tuple[str, str], ...] = ()
    unknowns_contain: tuple[str, ...] = ()
    error: str | None = None


@attrs.frozen
class GoldenCase:
    """A worked example: an account, an as-of date and the figures creditrules must compute.

    Attributes:
        name: The file name (``late-bill.toml``).
        description: What the case shows, in words.
        as_of: The assessment date.
        account: The account.
        expect: The expected figures.
    """

    name: str
    description: str
    as_of: date
    account: Account
    expect: Expected


def _problem(problems: list[InputProblem], path: str, message: str) -> None:
    problems.append(InputProblem(path, message))


def _parse_expect(table: Any, problems: list[InputProblem]) -> Expected:
    if not isinstance(table, Mapping) or not table:
        _problem(problems, "$.expect", "give an [expect] table with at least one figure")
        return Expected()
    fields: dict[str, Any] = {}
    for key, raw in table.items():
        path = f"$.expect.{key}"
        if key not in _EXPECT_KEYS:
            _problem(problems, path, unknown_key(key, _EXPECT_KEYS))
        elif key in _COUNT_KEYS:
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
                _problem(problems, path, f"expected a whole number >= 0, got {_show(raw)}")
            else:
                fields[key] = raw
        elif key in _MONEY_KEYS:
            try:
                fields[key] = parse_money(raw)
            except ValueError as exc:
                _problem(problems, path, str(exc))
        elif key == "months":
            if not isinstance(raw, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
            ):
                _problem(problems, path, 'expected a table such as { "2025-03" = "1" }')
            else:
                fields[key] = tuple(sorted(raw.items()))
        elif key == "unknowns_contain":
            if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
                _problem(problems, path, "expected a list of texts")
            else:
                fields[key] = tuple(raw)
        elif not isinstance(raw, str) or not raw.strip():
            _problem(problems, path, "expected the text the error must contain")
        else:
            fields[key] = raw
    return Expected(**fields)


def load_golden_case(path: str | Path) -> GoldenCase:
    """Load a golden case file.

    A golden case is an account file (format 1) with two more tables, ``[case]`` and
    ``[expect]``. This one pays a bill of 1,000.00 five days late, at 0.05 % a day (the
    ``generic`` provider states no penalty rate, so the account gives its contract's; a
    case of your own names your provider and leaves the rate to it):

    >>> CASE = '''
    ... format = 1
    ...
    ... [case]
    ... as_of = 2025-03-31
    ... description = "A bill of 1,000.00 paid five days late costs 2.50."
    ... # account_file = "accounts/march.toml"   # instead of the account's tables below
    ...
    ... [account]
    ... id = "late-bill"
    ... provider = "generic"
    ... product = "revolving"
    ... opened_on = 2025-01-01
    ...
    ... [policy]
    ... penalty_daily_rate = { value = "0.0005", source = "contract §7", grade = "A" }
    ...
    ... [[bills]]
    ... statement_date = 2025-03-01
    ... due_date = 2025-03-10
    ... amount = "1000.00"
    ...
    ... [[payments]]
    ... date = 2025-03-15
    ... amount = "1002.50"
    ...
    ... [expect]
    ... days_past_due = 0
    ... penalty = "2.50"
    ... balance_total = "0.00"
    ... episodes = 1
    ... months = { "2025-03" = "M" }   # paid late, before the month's report: M, not 1
    ... '''
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     path = Path(directory, "late-bill.toml")
    ...     _ = path.write_text(CASE, encoding="utf-8")
    ...     case = load_golden_case(path)
    >>> case.name, case.as_of, case.expect.penalty, case.expect.months
    ('late-bill.toml', datetime.date(2025, 3, 31), Decimal('2.50'), (('2025-03', 'M'),))
    >>> check_golden_case(case)
    []

    ``[case]`` gives ``as_of`` (required), ``description`` and optionally
    ``account_file``, a path relative to the case file, in place of the account tables.
    ``[expect]`` gives any of ``days_past_due``, ``penalty`` (penalty charged),
    ``overdue_total``, ``balance_total``, ``cost``, ``credit``, ``paid_total``,
    ``episodes`` (their number), ``months`` (``"YYYY-MM" = code`` on the credit
    report), ``unknowns_contain`` (texts each found in one of the assessment's
    unknowns) and ``error`` (text of the ``InputError`` assessing must raise, for a
    case that breaks a limit).

    Args:
        path: The case file.

    Returns:
        The :class:`GoldenCase`.

    Raises:
        InputError: naming the file and the JSON path of every problem.
    """
    path = Path(path)
    file = str(path)
    data = load_toml(path)
    problems: list[InputProblem] = []
    case = data.pop("case", None)
    if not isinstance(case, Mapping):
        _problem(problems, "$.case", "missing [case] table with as_of and description")
        case = {}
    for key in case:
        if key not in _CASE_KEYS:
            _problem(problems, f"$.case.{key}", unknown_key(key, _CASE_KEYS))
    as_of = case.get("as_of")
    if not isinstance(as_of, date) or hasattr(as_of, "hour"):
        _problem(problems, "$.case.as_of", f"expected a date (YYYY-MM-DD), got {_show(as_of)}")
    description = case.get("description", "")
    if not isinstance(description, str):
        _problem(problems, "$.case.description", "expected text")
        description = ""
    expect = _parse_expect(data.pop("expect", None), problems)
    account: Account | None = None
    account_file = case.get("account_file")
    try:
        if account_file is not None:
            if not isinstance(account_file, str):
                _problem(problems, "$.case.account_file", "expected a path relative to this file")
            elif set(data) - {"format"}:
                _problem(
                    problems,
                    "$.case.account_file",
                    "give either account_file or the account's tables, not both",
                )
            else:
                account = load_account(path.parent / account_file)
        else:
            account = parse_account(data, file=file)
    except InputError as exc:
        if exc.file not in (None, file):
            raise
        problems += exc.problems
    if problems or account is None:
        raise InputError(problems, file=file)
    assert isinstance(as_of, date)
    return GoldenCase(
        name=path.name, description=description, as_of=as_of, account=account, expect=expect
    )


def golden_case_paths(directory: str | Path) -> list[Path]:
    """Return the golden case files of a directory: its ``*.toml`` files, sorted.

    Account files a case refers to with ``account_file`` belong in a subdirectory, so
    they are not taken for cases.
    """
    return sorted(Path(directory).glob("*.toml"))


def check_golden_case(case: GoldenCase) -> list[str]:
    """Assess a golden case and compare the figures it expects.

    Args:
        case: The case (see :func:`load_golden_case`).

    A message reads, for example, ``golden case late-bill.toml: penalty is 2.00,
    expected 2.50``.

    Returns:
        One message per figure that differs; empty when every figure matches.
    """
    label = f"golden case {case.name}"
    expect = case.expect
    try:
        result = assess(case.account, as_of=case.as_of)
    except InputError as exc:
        if expect.error is not None and expect.error in str(exc):
            return []
        wanted = f" (expected one saying {expect.error!r})" if expect.error else ""
        return [f"{label}: assess raised InputError{wanted}: {exc}"]
    if expect.error is not None:
        return [f"{label}: expected an InputError saying {expect.error!r}, but assess accepted it"]
    actual: dict[str, Any] = {
        "days_past_due": result.days_past_due,
        "penalty": result.charged.penalty,
        "overdue_total": result.overdue.total,
        "balance_total": result.balance.total,
        "cost": result.cost,
        "credit": result.credit,
        "paid_total": result.paid.total,
        "episodes": len(result.episodes),
    }
    problems = [
        f"{label}: {key} is {actual[key]}, expected {getattr(expect, key)}"
        for key in (*_COUNT_KEYS, *_MONEY_KEYS)
        if getattr(expect, key) is not None and actual[key] != getattr(expect, key)
    ]
    months = result.report.months if result.report is not None else {}
    for month, code in expect.months:
        if month not in months:
            problems.append(
                f"{label}: the credit report as of {case.as_of} does not show {month} "
                "(it shows the 60 months up to the as-of date)"
            )
        elif months[month] != code:
            problems.append(
                f"{label}: the credit report shows {months[month]!r} for {month}, expected {code!r}"
            )
    for text in expect.unknowns_contain:
        if not any(text in unknown for unknown in result.unknowns):
            listed = "; ".join(result.unknowns) or "none"
            problems.append(f"{label}: no unknown mentions {text!r} (unknowns: {listed})")
    return problems


# ----------------------------------------------------------------- limits


@attrs.frozen
class _Breach:
    account: Account
    path: str
    what: str


def _limit_value(provider: Provider, account: Account, name: str, day: date) -> Any:
    values = {**provider.policy_at(day)}
    values.update({v.name: v for v in account.policy if v.in_force(day)})
    value = values.get(name)
    return None if value is None else value.value


def _declares(provider: Provider, policy: Iterable[PolicyValue], name: str) -> bool:
    return any(v.name == name and v.value is not None for v in (*provider.policy, *policy))


@st.composite
def _breaches(
    draw: st.DrawFn, provider: Provider, kinds: tuple[str, ...], policy: tuple[PolicyValue, ...]
) -> _Breach:
    kind = draw(st.sampled_from(kinds), label="limit")
    offered = ", ".join(provider.products)
    if kind in PRODUCTS:
        account = draw(
            cs.accounts(
                provider="generic",
                products=st.just(kind),
                policies=st.just(policy),
                with_payments=False,
                with_events=False,
            )
        )
        return _Breach(
            attrs.evolve(account, provider=provider.id),
            "$.account.product",
            f"a {kind} account ({provider.id} offers {offered} credit only)",
        )
    required = kind.startswith("required:")
    account = draw(
        cs.accounts(
            provider=provider.id,
            products=st.sampled_from(provider.products) if required else st.just("installment"),
            policies=st.just(policy),
            with_payments=False,
            with_events=False,
        )
    )
    if required:
        name = kind.split(":", 1)[1]
        without = tuple(v for v in account.policy if v.name != name)
        return _Breach(
            attrs.evolve(account, policy=without),
            f"$.policy.{name}",
            f"an account that does not give {name} ({provider.id} requires it)",
        )
    loan = account.loan
    assert loan is not None
    if kind in METHODS:
        return _Breach(
            attrs.evolve(account, loan=attrs.evolve(loan, method=kind)),
            "$.loan.method",
            f"a loan repaid by {kind} ({provider.id} offers {', '.join(provider.methods)})",
        )
    limit = _limit_value(provider, account, kind, loan.start_date)
    assume(limit is not None)
    if kind == "max_term_months":
        term = limit + draw(st.integers(1, 24), label="months over")
        return _Breach(
            attrs.evolve(account, loan=attrs.evolve(loan, term_months=term)),
            "$.loan.term_months",
            f"a loan of {term} months, longer than max_term_months = {limit}",
        )
    principal = limit + draw(cs.amounts(max_value="100000.00"), label="over")
    return _Breach(
        attrs.evolve(account, loan=attrs.evolve(loan, principal=principal)),
        "$.loan.principal",
        f"a loan of {principal}, more than max_principal = {limit}",
    )


def _breach_kinds(provider: Provider, policy: tuple[PolicyValue, ...]) -> tuple[str, ...]:
    kinds = [p for p in PRODUCTS if p not in provider.products]
    if "installment" in provider.products:
        kinds += [m for m in METHODS if m not in provider.methods and provider.methods]
        kinds += [n for n in cs.LIMIT_PARAMETERS if _declares(provider, policy, n)]
    kinds += [f"required:{name}" for name, _why in provider.required]
    return tuple(kinds)


# ----------------------------------------------------------------- the suite


def _default_settings() -> settings:
    return settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


class ProviderConformance:
    """Base class of a provider's conformance tests: subclass it in your plugin's tests.

    pytest collects the subclass (name it ``Test…``) and runs every check against the
    provider ``provider_id``. Each property check runs over accounts generated for the
    provider (:meth:`account_strategy`) with ``hypothesis_settings`` (30 examples, no
    deadline, by default). To leave one check out, override its method, e.g. with
    ``@pytest.mark.skip(reason=...)``, and say why.

    Attributes:
        provider_id: The id of the provider under test (required).
        unsupported: Names from :data:`FEATURES` the provider does not support: product
            kinds, repayment methods, payment behaviours or event types left out of the
            generated accounts (what the provider itself declares it does not offer is
            left out anyway, and checked to be refused).
        account_policy: Policy values every generated account states, as from its
            contract — e.g. a penalty rate for a provider that publishes none, so that
            the penalty checks have something to check. The unknowns check runs without
            them.
        golden_dir: Directory of golden case files (``*.toml``; see
            :func:`load_golden_case`), or ``None``.
        readme: The package README, checked to mention every parameter, or ``None``.
        max_items: Most bills, or months of a loan, per generated account.
        hypothesis_settings: The :class:`hypothesis.settings` the property checks run with.
    """

    #: The suite runs strict: a plugin warning during a check (a hook that raised) fails it.
    pytestmark: ClassVar[list[pytest.MarkDecorator]] = [
        pytest.mark.filterwarnings("error::creditrules._plugins.PluginWarning")
    ]

    provider_id: ClassVar[str] = ""
    unsupported: ClassVar[Collection[str]] = ()
    account_policy: ClassVar[tuple[PolicyValue, ...]] = ()
    golden_dir: ClassVar[Path | None] = None
    readme: ClassVar[Path | None] = None
    max_items: ClassVar[int] = 12
    hypothesis_settings: ClassVar[settings] = _default_settings()

    # ------------------------------------------------------------- helpers

    @property
    def provider(self) -> Provider:
        """The provider under test, from the installed plugins.

        Raises:
            TypeError: if the subclass does not set ``provider_id``.
            AssertionError: if no plugin registers ``provider_id``.
        """
        if not self.provider_id:
            raise TypeError(f"{type(self).__name__} must set provider_id")
        return _provider(self.provider_id)

    def _unsupported(self) -> frozenset[str]:
        names = frozenset(self.unsupported)
        unknown = sorted(names - set(FEATURES))
        if unknown:
            raise ValueError(
                f"{type(self).__name__}.unsupported names unknown features {unknown}; "
                f"known: {', '.join(FEATURES)}"
            )
        return names

    def account_strategy(
        self,
        *,
        account_policy: Iterable[PolicyValue] | None = None,
        with_payments: bool = True,
        with_events: bool = True,
    ) -> SearchStrategy[Account]:
        """Generate valid accounts for the provider under test.

        Override it to generate accounts your provider needs (e.g. with its own event
        types); every check draws from it.

        Args:
            account_policy: The accounts' own policy (default: :attr:`account_policy`).
            with_payments: Whether to generate payments.
            with_events: Whether to add waivers, guarantor payments, write-offs, closings.

        Raises:
            ValueError: if ``unsupported`` names an unknown feature, or leaves nothing
                to generate.
            AssertionError: if the provider's versions overlap (no account could be assessed).
        """
        provider = self.provider
        overlaps = check_versions(provider)
        if overlaps:  # every assessment would fail with the same PolicyError
            raise AssertionError(f"cannot assess any {provider.id} account: {'; '.join(overlaps)}")
        unsupported = self._unsupported()
        products = [p for p in provider.products if p not in unsupported]
        behaviours = [b for b in cs.BEHAVIOURS if b not in unsupported]
        if not products or not behaviours:
            raise ValueError(
                f"{type(self).__name__}.unsupported leaves no product or no payment "
                "behaviour to generate accounts with"
            )
        policy = tuple(self.account_policy if account_policy is None else account_policy)
        strategy = cs.accounts(
            provider=provider.id,
            products=st.sampled_from(products),
            policies=st.just(policy),
            max_items=self.max_items,
            behaviours=st.sampled_from(behaviours),
            with_payments=with_payments,
            with_events=with_events,
        )
        if unsupported & set(METHODS):
            strategy = strategy.filter(lambda a: a.loan is None or a.loan.method not in unsupported)
        if unsupported & set(EVENT_KINDS):
            strategy = strategy.map(
                lambda a: attrs.evolve(
                    a, events=tuple(e for e in a.events if e.type not in unsupported)
                )
            )
        return strategy

    def _run(self, test: Callable[[st.DataObject], None]) -> None:
        """Run ``test`` as a Hypothesis property with :attr:`hypothesis_settings`."""
        self.hypothesis_settings(given(st.data())(test))()

    # ------------------------------------------------------------- the provider

    def test_provider_is_registered(self) -> None:
        """An installed plugin registers the provider under test, and loaded without failure."""
        assert self.provider.id == self.provider_id
        _fail_on(check_plugin_loads(get_registry(), self.provider_id))

    def test_no_value_is_both_set_and_unknown(self) -> None:
        """No parameter is both given a value and listed as unknown."""
        _fail_on(check_unknowns_not_set(self.provider))

    def test_rates_are_plausible(self) -> None:
        """No rate is above its ceiling (:data:`RATE_CEILINGS`) without a sourced exception."""
        _fail_on(check_rate_ceilings(self.provider))

    def test_policy_values_are_sourced(self) -> None:
        """Every policy value and fact has a non-empty source and a grade A–D."""
        _fail_on(check_policy_sources(self.provider))

    def test_versions_do_not_overlap(self) -> None:
        """Effective-dated versions of each parameter are never in force on the same day."""
        _fail_on(check_versions(self.provider))

    def test_readme_lists_every_value(self) -> None:
        """The README names every parameter the provider sets or lists as unknown."""
        if self.readme is None:
            pytest.skip("no readme declared")
        _fail_on(check_readme(self.provider, Path(self.readme).read_text(encoding="utf-8")))

    def test_readme_shows_every_value(self) -> None:
        """The README shows the value and the grade of every policy value the provider sets."""
        if self.readme is None:
            pytest.skip("no readme declared")
        text = Path(self.readme).read_text(encoding="utf-8")
        _fail_on(check_readme_values(self.provider, text))

    # ------------------------------------------------------------- properties

    def test_paying_on_time_costs_nothing(self) -> None:
        """Paying every item in full on its due date: no penalty, episode or negative code."""
        strategy = self.account_strategy(with_payments=False, with_events=False)

        def paying_on_time_costs_nothing(data: st.DataObject) -> None:
            account = data.draw(strategy, label="account")
            last = cs.last_date(account)
            as_of = last + timedelta(days=data.draw(st.integers(0, 120), label="days after"))
            _fail_on(check_paid_on_time(account, as_of))

        self._run(paying_on_time_costs_nothing)

    def test_penalty_never_decreases_when_paying_later(self) -> None:
        """Moving any one payment later never lowers the penalty."""
        strategy = self.account_strategy(with_events=False)

        def penalty_never_decreases(data: st.DataObject) -> None:
            account = data.draw(strategy, label="account")
            assume(account.payments)
            index = data.draw(st.integers(0, len(account.payments) - 1), label="payment")
            days = data.draw(st.integers(1, 60), label="days later")
            later = account.payments[index].date + timedelta(days=days)
            last = max(cs.last_date(account), later)
            as_of = last + timedelta(days=data.draw(st.integers(0, 400), label="days after"))
            _fail_on(check_penalty_monotone(account, payment=index, days=days, as_of=as_of))

        self._run(penalty_never_decreases)

    def test_money_is_conserved(self) -> None:
        """Everything paid by the as-of date is allocated to a component or kept as credit."""
        strategy = self.account_strategy()

        def money_is_conserved(data: st.DataObject) -> None:
            account = data.draw(strategy, label="account")
            as_of = data.draw(cs.as_of_dates(account), label="as_of")
            _fail_on(check_money_conserved(account, as_of))

        self._run(money_is_conserved)

    def test_figures_are_never_negative(self) -> None:
        """No amount, day count or item component is negative; overdue never exceeds owed."""
        strategy = self.account_strategy()

        def figures_are_never_negative(data: st.DataObject) -> None:
            account = data.draw(strategy, label="account")
            as_of = data.draw(cs.as_of_dates(account), label="as_of")
            _fail_on(check_figures_in_range(account, as_of))

        self._run(figures_are_never_negative)

    def test_event_order_does_not_matter(self) -> None:
        """Listing payments and events in another order gives an identical assessment."""
        strategy = self.account_strategy()

        def event_order_does_not_matter(data: st.DataObject) -> None:
            account = data.draw(strategy, label="account")
            reordered = attrs.evolve(
                account,
                payments=tuple(data.draw(st.permutations(account.payments), label="payments")),
                events=tuple(data.draw(st.permutations(account.events), label="events")),
            )
            as_of = data.draw(cs.as_of_dates(account), label="as_of")
            _fail_on(check_order_independent(account, reordered, as_of))

        self._run(event_order_does_not_matter)

    def test_values_round_trip(self) -> None:
        """Accounts and assessments survive to_dict/from_dict and dump_account/load_account."""
        strategy = self.account_strategy()

        def values_round_trip(data: st.DataObject) -> None:
            account = data.draw(strategy, label="account")
            _fail_on(check_round_trip(account, data.draw(cs.as_of_dates(account), label="as_of")))

        self._run(values_round_trip)

    def test_limits_raise_input_error(self) -> None:
        """Accounts beyond the provider's limits are refused with InputError at the right path."""
        provider = self.provider
        policy = tuple(self.account_policy)
        kinds = _breach_kinds(provider, policy)
        if not kinds:
            pytest.skip(
                f"{provider.id} declares no limit: it offers every product and method and "
                "sets no max_term_months, max_principal or required value"
            )
        strategy = _breaches(provider, kinds, policy)

        def limits_raise_input_error(data: st.DataObject) -> None:
            breach = data.draw(strategy, label="breach")
            _fail_on(check_limit(breach.account, path=breach.path, what=breach.what))

        self._run(limits_raise_input_error)

    def test_unknown_values_are_reported(self) -> None:
        """Without the contract's values, unknown parameters (e.g. the penalty) are reported."""
        strategy = self.account_strategy(account_policy=())

        def unknown_values_are_reported(data: st.DataObject) -> None:
            account = data.draw(strategy, label="account")
            _fail_on(check_unknowns(account, data.draw(cs.as_of_dates(account), label="as_of")))

        self._run(unknown_values_are_reported)

    # ------------------------------------------------------------- golden cases

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize :meth:`test_golden_case` with the files of :attr:`golden_dir`."""
        if "golden_case" not in metafunc.fixturenames:
            return
        paths: list[Path | None] = []
        if self.golden_dir is not None and Path(self.golden_dir).is_dir():
            paths += golden_case_paths(self.golden_dir)
        if not paths:
            paths.append(None)
        metafunc.parametrize(
            "golden_case", paths, ids=[p.name if p else "no-golden-cases" for p in paths]
        )

    def test_golden_case(self, golden_case: Path | None) -> None:
        """The provider's golden case gives the figures it expects."""
        if golden_case is None:
            if self.golden_dir is None:
                pytest.skip("no golden_dir declared")
            where = Path(self.golden_dir)
            if not where.is_dir():
                pytest.fail(f"golden_dir {where} does not exist")
            pytest.fail(f"golden_dir {where} has no golden case files (*.toml)")
        case = load_golden_case(golden_case)
        problems = check_golden_case(case)
        if case.account.provider != self.provider_id:
            problems.insert(
                0,
                f"golden case {case.name} is for provider {case.account.provider!r}, "
                f"not {self.provider_id!r}",
            )
        if problems and case.description:
            problems.insert(0, f"{case.name}: {case.description}")
        _fail_on(problems)
