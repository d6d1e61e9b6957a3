"""What-if: one account under several scenarios, side by side.

A scenario is a list of extra events — "pay 1,000.00 on 20 March", "the lender
waives the penalty" — and :func:`compare` assesses the account under each one
at the same date, returning a frozen :class:`Comparison` table: what it costs,
the penalty, how late it got, how many months the credit report records as
negative, and when the report is clean again.

>>> from creditrules import Account, Bill, PolicyValue
>>> account = Account(
...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")],
...     policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")],
... )
>>> table = compare(
...     account,
...     [parse_scenario("pay 2025-03-20 1005.00"), parse_scenario("pay 2025-04-20 1020.50")],
...     as_of=date(2025, 6, 30),
... )
>>> [(row.name, row.total_cost, row.negative_months) for row in table]
[('as is', Decimal('56.00'), 4), ('pay 2025-03-20 1005.00', Decimal('5.00'), 0), \
('pay 2025-04-20 1020.50', Decimal('20.50'), 1)]

Scenarios can be written as text (the ``creditrules compare`` command takes
them as ``--scenario``) — ``pay YYYY-MM-DD AMOUNT`` or ``waive penalty|fees|interest
YYYY-MM-DD AMOUNT``, several joined by ``;``, optionally named with ``NAME:`` — or
listed in a TOML file read by :func:`load_scenarios`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from ._api import WhatIfs
from ._convert import check_keys, from_dict
from ._i18n import N_, Translatable, message_of
from ._plugins import Registry, get_registry
from ._toml import load_toml
from .assessment import Assessment
from .errors import InputError, InputProblem
from .model import Account, Event, Payment, Waiver
from .money import ZERO, parse_money, sum_money
from .remediation import Phrase
from .report import _grid
from .rules import RuleSet

__all__ = [
    "Comparison",
    "Scenario",
    "ScenarioResult",
    "compare",
    "load_scenarios",
    "parse_scenario",
    "total_cost",
]


def total_cost(assessment: Assessment) -> Decimal:
    """What the debt cost beyond principal: interest, fees and penalty, less what was waived.

    Unlike :attr:`Assessment.cost <creditrules.Assessment.cost>` (what was
    charged), a waiver — or the part of the debt a signed plan forgives — lowers it.
    The same figure as :attr:`Assessment.net_cost <creditrules.Assessment.net_cost>`.

    Args:
        assessment: An assessment.

    Returns:
        The net cost at ``assessment.as_of``.
    """
    return assessment.net_cost


def _events(value: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(value)


@attrs.frozen
class Scenario:
    """A named list of extra events to simulate.

    Attributes:
        name: What to call it in the table.
        events: The events (payments, waivers, an agreement, …).
    """

    name: str
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)


@attrs.frozen
class ScenarioResult:
    """One row of a :class:`Comparison`: the account under one scenario.

    Attributes:
        name: The scenario's name.
        events: Its extra events.
        total_cost: Interest, fees and penalty charged, less waivers (:func:`total_cost`).
        penalty: Penalty charged, less waivers.
        paid: Everything paid by the date of the comparison.
        balance: Everything still owed (:attr:`Assessment.balance
            <creditrules.Assessment.balance>`).
        days_past_due: Days past due at the date of the comparison.
        max_days_past_due: The most days past due ever reached.
        negative_months: Months the credit report recorded with a negative status
            (as reported, before any relief or expiry).
        worst_status: The worst status the report shows at the date (after relief).
        clean_on: First day the report shows nothing negative; ``None`` while
            something is unpaid.
        months: The report's status grid as displayed at the date, ``"YYYY-MM"`` →
            code (a relieved or expired record's months show ``N``).
        history: The code each month had when it was reported, from the opening month.
        ignored_events: Events dated after the date of the comparison (not applied).
        cost_to_come: Interest and fees the schedule already sets for periods not yet
            started (:attr:`Assessment.cost_to_come
            <creditrules.Assessment.cost_to_come>`), not in ``total_cost``.
        payoff: What a payment on the date of the comparison must be to clear the
            account (:attr:`Assessment.payoff <creditrules.Assessment.payoff>`): 0.00
            once a scenario repays everything.
    """

    name: str
    events: tuple[Event, ...]
    total_cost: Decimal
    penalty: Decimal
    paid: Decimal
    balance: Decimal
    days_past_due: int
    max_days_past_due: int
    negative_months: int
    worst_status: str
    clean_on: date | None
    months: Mapping[str, str] = attrs.field(converter=_grid)
    history: Mapping[str, str] = attrs.field(converter=_grid)
    ignored_events: int = 0
    cost_to_come: Decimal = ZERO
    payoff: Decimal | None = None


def _rows(value: Iterable[ScenarioResult]) -> tuple[ScenarioResult, ...]:
    return tuple(value)


@attrs.frozen
class Comparison:
    """Scenarios side by side at one date; iterate over it for the rows.

    Attributes:
        account_id: The account.
        as_of: The date every scenario is assessed at.
        rows: One :class:`ScenarioResult` per scenario, in the order given
            (the account as it is first, unless left out).
    """

    account_id: str
    as_of: date
    rows: tuple[ScenarioResult, ...] = attrs.field(converter=_rows)

    def __iter__(self) -> Iterator[ScenarioResult]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def names(self) -> tuple[str, ...]:
        """The scenarios' names, in order."""
        return tuple(row.name for row in self.rows)

    def row(self, name: str) -> ScenarioResult:
        """Return the row of the scenario called ``name``.

        Raises:
            KeyError: if there is none.
        """
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(name)


def _scenario_list(
    scenarios: Mapping[str, Sequence[Event]] | Iterable[Scenario | Sequence[Event]],
) -> list[Scenario]:
    if isinstance(scenarios, Mapping):
        return [Scenario(str(name), tuple(events)) for name, events in scenarios.items()]
    found = []
    for index, item in enumerate(scenarios, start=1):
        if isinstance(item, Scenario):
            found.append(item)
        elif isinstance(item, (str, bytes)):
            raise TypeError(f"scenario {index} is text: parse it with parse_scenario({item!r})")
        else:
            found.append(Scenario(f"scenario {index}", tuple(item)))
    return found


def _negative_months(assessment: Assessment, registry: Registry) -> int:
    report = assessment.report
    if report is None:
        return 0
    bureau = registry.bureaus.get(report.bureau)
    if bureau is None:  # pragma: no cover - assess found it a moment ago
        return 0
    return sum(1 for code in report.history.values() if bureau.is_negative(code))


def _row(scenario: Scenario, result: Assessment, registry: Registry) -> ScenarioResult:
    report = result.report
    waived_penalty = sum_money(item.waived.penalty for item in result.items)
    return ScenarioResult(
        name=scenario.name,
        events=scenario.events,
        total_cost=total_cost(result),
        penalty=result.charged.penalty - waived_penalty,
        paid=result.paid.total,
        balance=result.balance.total,
        days_past_due=result.days_past_due,
        max_days_past_due=max(
            (result.days_past_due, *(e.max_days_past_due for e in result.episodes))
        ),
        negative_months=_negative_months(result, registry),
        worst_status=report.max_status if report is not None else "/",
        clean_on=report.clean_on if report is not None else None,
        months=report.months if report is not None else {},
        history=report.history if report is not None else {},
        ignored_events=result.ignored_events,
        cost_to_come=result.cost_to_come,
        payoff=result.payoff,
    )


def compare(
    account: Account,
    scenarios: Mapping[str, Sequence[Event]] | Iterable[Scenario | Sequence[Event]],
    *,
    as_of: date,
    baseline: str | None = "as is",
    ruleset: RuleSet | None = None,
    registry: Registry | None = None,
) -> Comparison:
    """Assess ``account`` under each scenario at ``as_of`` and tabulate the results.

    Each row is what :func:`creditrules.simulate` gives for its scenario; the account is
    replayed once, up to the earliest scenario event, and each scenario goes on from
    there (:class:`creditrules.WhatIfs`).

    Args:
        account: The account (not modified).
        scenarios: :class:`Scenario` values, a mapping of name → events, or lists
            of events (named ``scenario 1``, ``scenario 2``, …).
        as_of: The date every scenario is assessed at; events after it are not applied
            (each row counts them in ``ignored_events``).
        baseline: Name of a first row with no extra events (the account as it is),
            or ``None`` to leave it out.
        ruleset: As for :func:`creditrules.assess`.
        registry: As for :func:`creditrules.assess`.

    Returns:
        The frozen :class:`Comparison`.

    Raises:
        ValueError: if two scenarios have the same name.
        InputError: as :func:`creditrules.assess` (e.g. an event before the account opened).
    """
    registry = registry if registry is not None else get_registry()
    listed = _scenario_list(scenarios)
    if baseline is not None:
        listed.insert(0, Scenario(baseline, ()))
    names = [s.name for s in listed]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            Phrase(
                N_("scenario names must be unique; repeated: {names}"),
                names=Phrase.join(duplicates, "list"),
            )
        )
    # Every scenario goes on from one replay of the account up to its first event.
    since = min((as_of, *(event.date for s in listed for event in s.events)))
    what_ifs = WhatIfs(account, since, ruleset=ruleset, registry=registry)
    rows = [
        _row(scenario, what_ifs.simulate(scenario.events, as_of), registry) for scenario in listed
    ]
    return Comparison(account.id, as_of, rows)


# --------------------------------------------------------------------------- scenario text

_EVENT = re.compile(
    r"^(?:(?P<pay>pay)|waive\s+(?P<component>penalty|fees|interest))\s+"
    r"(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<amount>\S+)$",
    re.IGNORECASE,
)
_SYNTAX = N_("write 'pay YYYY-MM-DD AMOUNT' or 'waive penalty|fees|interest YYYY-MM-DD AMOUNT'")


def _parse_event(text: str, path: str) -> Event:
    match = _EVENT.match(" ".join(text.split()))
    if match is None:
        raise InputError(
            Translatable(
                N_("cannot read {text}: {syntax}"),
                text=repr(text.strip()),
                syntax=Translatable(_SYNTAX),
            ),
            path=path,
        )
    try:
        day = date.fromisoformat(match["date"])
    except ValueError as exc:
        raise InputError(
            Translatable(
                N_("{value} is not a valid date: {reason}"),
                value=repr(match["date"]),
                reason=Translatable(str(exc)),
            ),
            path=path,
        ) from None
    try:
        amount = parse_money(match["amount"])
    except ValueError as exc:
        raise InputError(message_of(exc), path=path) from None
    if amount <= ZERO:
        raise InputError(
            Translatable(N_("the amount must be greater than zero, got {amount}"), amount=amount),
            path=path,
        )
    if match["pay"]:
        return Payment(day, amount)
    return Waiver(day, match["component"].lower(), amount)


def parse_scenario(text: str, *, name: str | None = None) -> Scenario:
    """Read a scenario written as text.

    ``pay YYYY-MM-DD AMOUNT`` is a payment; ``waive penalty YYYY-MM-DD AMOUNT``
    (or ``fees``, ``interest``) a waiver. Join several with ``;``, and name the
    scenario with a ``NAME:`` prefix.

    >>> parse_scenario("early: pay 2025-03-20 1,000; waive penalty 2025-03-20 5")
    Scenario(name='early', events=(Payment(date=datetime.date(2025, 3, 20), \
amount=Decimal('1000.00'), note=''), Waiver(date=datetime.date(2025, 3, 20), \
component='penalty', amount=Decimal('5.00'), note='')))

    Args:
        text: The scenario.
        name: Its name (default: the ``NAME:`` prefix, else the text itself).

    Returns:
        The :class:`Scenario`.

    Raises:
        InputError: naming the part that cannot be read (path ``$.events[i]``).
    """
    body = text.strip()
    label, colon, rest = body.partition(":")
    if colon:  # an event never holds a colon: what comes before one is the name, any name
        body = rest.strip()
        name = name if name is not None else label.strip()
    parts = [p for p in body.split(";") if p.strip()]
    if not parts:
        raise InputError(
            Translatable(
                N_("the scenario {text} has no events: {syntax}"),
                text=repr(text),
                syntax=Translatable(_SYNTAX),
            )
        )
    events = tuple(_parse_event(part, f"$.events[{index}]") for index, part in enumerate(parts))
    return Scenario(name if name is not None else body, events)


def _scenario_from_table(table: Any, path: str, registry: Registry) -> Scenario:
    if not isinstance(table, Mapping):
        raise InputError(Translatable(N_("expected a table with a name and events")), path=path)
    unknown = check_keys(table, ("name", "events"), path)
    if unknown:
        raise InputError(unknown)
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(Translatable(N_("a scenario needs a name")), path=f"{path}.name")
    raw = table.get("events", [])
    if isinstance(raw, str) or not isinstance(raw, list):
        raise InputError(Translatable(N_("events must be a list")), path=f"{path}.events")
    events: list[Event] = []
    for index, item in enumerate(raw):
        where = f"{path}.events[{index}]"
        if isinstance(item, str):
            events.extend(parse_scenario(item, name=name).events)
            continue
        try:
            events.append(from_dict(Event, item, converter=registry.converter))
        except InputError as exc:
            raise InputError(
                [InputProblem(where + p.path.removeprefix("$"), p.message) for p in exc.problems]
            ) from None
    return Scenario(name, tuple(events))


def load_scenarios(
    source: str | os.PathLike[str], *, registry: Registry | None = None
) -> tuple[Scenario, ...]:
    """Read scenarios from a TOML file.

    Each ``[[scenario]]`` has a ``name`` and ``events``: text as for
    :func:`parse_scenario`, or event tables as in an account file (with their
    ``type``)::

        [[scenario]]
        name = "pay on the 20th"
        events = ["pay 2025-03-20 1000.00"]

        [[scenario]]
        name = "pay half, ask for a waiver"
        events = [
            "pay 2025-03-20 500",
            { type = "waiver", date = 2025-03-20, component = "penalty", amount = "5.00" },
        ]

    Args:
        source: Path of the file.
        registry: Whose event types the event tables may use (default: the installed
            plugins').

    Returns:
        The scenarios, in file order.

    Raises:
        InputError: naming the file and the JSON path of every problem.
    """
    file = os.fspath(source)
    data = load_toml(file)
    registry = registry if registry is not None else get_registry()
    try:
        unknown = check_keys(data, ("format", "scenario"), "$")
        if unknown:
            raise InputError(unknown)
        tables = data.get("scenario", [])
        if not isinstance(tables, list) or not tables:
            raise InputError(
                Translatable(N_("no scenarios: add [[scenario]] tables")), path="$.scenario"
            )
        return tuple(
            _scenario_from_table(table, f"$.scenario[{index}]", registry)
            for index, table in enumerate(tables)
        )
    except InputError as exc:
        raise InputError(exc.problems, file=file) from None
