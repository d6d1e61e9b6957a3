"""Cheap what-ifs: forking an account's replay at the as-of date gives a full replay's figures.

The planner measures each action by simulating the account with extra events. Instead of
replaying the whole account for each, it replays the account once up to the as-of date
and forks that state for every what-if (``_Composer.what_ifs``), replaying only the days
after. These tests compare the two on generated accounts: every figure, the report and
the rule trace must be equal; only the decision record is left out of a what-if.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import Account, Agreement, Assessment, Payment, PlannedPayment, Waiver, _planner
from creditrules._api import _Composer
from creditrules.comparison import Scenario, _row
from creditrules.model import Event, add_months
from creditrules.testing import strategies as cs

REGISTRY = creditrules.get_registry()


def _without_record(assessment: Assessment) -> Assessment:
    return attrs.evolve(assessment, record=None)


def _what_if_events(draw: st.DrawFn, day: date) -> list[Event]:
    """Payments, a waiver or a signed plan, dated from ``day`` to three months after."""
    events: list[Event] = []
    for _ in range(draw(st.integers(0, 3), label="payments")):
        when = day + timedelta(days=draw(st.integers(0, 90)))
        events.append(Payment(when, draw(cs.amounts(min_value="0.01", max_value="5000.00"))))
    if draw(st.booleans(), label="waiver"):
        component = draw(st.sampled_from(["penalty", "interest", "fees"]))
        events.append(
            Waiver(day, component, draw(cs.amounts(min_value="0.01", max_value="500.00")))
        )
    if draw(st.booleans(), label="plan"):
        amount = draw(cs.amounts(min_value="10.00", max_value="3000.00"))
        events.append(
            Agreement(day, [PlannedPayment(add_months(day, k), amount) for k in (1, 2, 3)])
        )
    return events


@settings(max_examples=200)
@given(st.data())
def test_a_forked_what_if_equals_its_full_replay(data: st.DataObject) -> None:
    """Several what-ifs forked from one replay each equal ``simulate`` of the same events."""
    account: Account = data.draw(cs.accounts(provider=None, max_items=12), label="account")
    day = data.draw(cs.as_of_dates(account), label="as_of")
    composer = _Composer(REGISTRY)
    what_if = composer.what_ifs(day)
    for number in range(data.draw(st.integers(1, 3), label="what-ifs")):
        events = _what_if_events(data.draw, day)
        horizon = day + timedelta(days=data.draw(st.integers(0, 400), label=f"horizon {number}"))
        forked = what_if(account, events, horizon)
        full = composer.simulate(account, events, horizon)
        assert forked.items == full.items
        assert forked.rules == full.rules
        assert forked.report == full.report
        assert forked == _without_record(full)


def test_what_ifs_fork_one_replay() -> None:
    """The account is replayed once up to the as-of date; each what-if forks that replay."""
    account = creditrules.load_account("examples/huabei.toml")
    day = date(2025, 12, 31)
    composer = _Composer(REGISTRY)
    what_if = composer.what_ifs(day)
    first = what_if(account, [Payment(day, creditrules.assess(account, day).payoff)], day)
    fork = what_if.fork  # type: ignore[attr-defined]
    assert fork is not None and fork.day == day
    later = what_if(account, [], date(2026, 3, 31))
    assert what_if.fork is fork  # type: ignore[attr-defined]
    assert first.days_past_due == 0 and later.days_past_due > 0
    assert later == _without_record(composer.simulate(account, [], date(2026, 3, 31)))


def test_what_ifs_outside_the_fork_are_replayed_in_full() -> None:
    """An event before the fork's day, or another account, is simulated from the start."""
    account = creditrules.load_account("examples/huabei.toml")
    day = date(2025, 12, 31)
    composer = _Composer(REGISTRY)
    what_if = composer.what_ifs(day)
    what_if(account, [], day)
    early = [Payment(day - timedelta(days=40), Decimal("100.00"))]
    assert what_if(account, early, day) == composer.simulate(account, early, day)
    other = attrs.evolve(account, id="other")
    assert what_if(other, [], day) == composer.simulate(other, [], day)


def test_actions_are_the_same_with_and_without_forking() -> None:
    """Every example's actions, planned with forked what-ifs, equal those planned in full."""
    for path in sorted(Path("examples").glob("*.toml")):
        account = creditrules.load_account(path)
        for as_of in (date(2025, 9, 30), date(2026, 6, 30)):
            if as_of < account.opened_on:
                continue
            forked = creditrules.assess(account, as_of).actions
            full = _planned_in_full(account, as_of)
            assert forked == full, path.name


def _planned_in_full(account: Account, as_of: date) -> object:
    composer = _Composer(REGISTRY)
    assessment = composer.assess(account, as_of)
    services = assessment._services
    planner = _planner.Planner(
        assessment,
        account,
        provider=services.provider,  # type: ignore[union-attr]
        bureau=services.bureau,  # type: ignore[union-attr]
        policies=services.policies,  # type: ignore[union-attr]
        registry=REGISTRY,
        simulate=composer.simulate,
    )
    return _planner.plan(planner)


# ------------------------------------------------------------- the public WhatIfs


@settings(max_examples=150)
@given(st.data())
def test_public_what_ifs_equal_simulate(data: st.DataObject) -> None:
    """``WhatIfs(account, since).simulate`` equals ``simulate``, record and all, for any events.

    Events before ``since`` and as-of dates before it are drawn too: those what-ifs are
    replayed in full, with the same result.
    """
    account: Account = data.draw(cs.accounts(provider=None, max_items=12), label="account")
    since = data.draw(cs.as_of_dates(account), label="since")
    what_ifs = creditrules.WhatIfs(account, since, registry=REGISTRY)
    for number in range(data.draw(st.integers(1, 3), label="what-ifs")):
        start = since - timedelta(days=data.draw(st.sampled_from([0, 0, 0, 20]), label="early"))
        events = _what_if_events(data.draw, max(start, account.opened_on))
        shift = data.draw(st.integers(-10, 400), label=f"horizon {number}")
        horizon = max(since + timedelta(days=shift), account.opened_on)
        assert what_ifs.simulate(events, horizon) == creditrules.simulate(
            account, events, horizon, registry=REGISTRY
        )


def test_public_what_ifs_replay_the_account_once() -> None:
    """The first what-if replays the account up to ``since``; the others fork that replay."""
    account = creditrules.load_account("examples/huabei.toml")
    since = date(2025, 12, 31)
    what_ifs = creditrules.WhatIfs(account, since)
    assert (what_ifs.account, what_ifs.since) == (account, since)
    assert repr(what_ifs) == "WhatIfs('huabei-2023', since=2025-12-31)"
    payoff = creditrules.assess(account, since).payoff
    paid = what_ifs.simulate([Payment(since, payoff)], date(2026, 3, 31))
    fork = what_ifs._what_if.fork  # type: ignore[attr-defined]
    assert fork is not None and fork.day == since
    unpaid = what_ifs.simulate([], date(2026, 3, 31))
    assert what_ifs._what_if.fork is fork  # type: ignore[attr-defined]
    assert paid.overdue.total == 0 < unpaid.overdue.total
    assert paid == creditrules.simulate(account, [Payment(since, payoff)], date(2026, 3, 31))


def test_public_what_ifs_before_the_account_opened_are_replayed_in_full() -> None:
    """A ``since`` before the account opened forks nothing; each what-if is a full replay."""
    account = creditrules.load_account("examples/huabei.toml")
    what_ifs = creditrules.WhatIfs(account, account.opened_on - timedelta(days=30))
    as_of = date(2025, 9, 30)
    assert what_ifs.simulate([], as_of) == creditrules.assess(account, as_of)
    assert what_ifs._what_if.fork is None  # type: ignore[attr-defined]


def test_public_what_ifs_want_a_date() -> None:
    account = creditrules.load_account("examples/huabei.toml")
    with pytest.raises(TypeError, match=r"since must be a datetime\.date"):
        creditrules.WhatIfs(account, datetime(2025, 9, 30, 12))  # type: ignore[arg-type]


def test_compare_forks_one_replay_and_equals_simulate() -> None:
    """``compare`` assesses every scenario as ``simulate`` does, from one replay."""
    account = creditrules.load_account("examples/huabei.toml")
    as_of = date(2026, 3, 31)
    scenarios = {
        "pay now": [Payment(date(2025, 12, 31), Decimal("500.00"))],
        "pay later": [Payment(date(2026, 2, 1), Decimal("500.00"))],
        "after the as-of": [Payment(date(2026, 5, 1), Decimal("500.00"))],
    }
    comparison = creditrules.compare(account, scenarios, as_of=as_of)
    expected = [
        _row(Scenario(name, tuple(events)), creditrules.simulate(account, events, as_of), REGISTRY)
        for name, events in [("as is", []), *scenarios.items()]
    ]
    assert list(comparison.rows) == expected


def test_what_ifs_never_share_an_item_an_early_repayment_changes() -> None:
    """A fork copies a settled installment that a payoff may still change.

    An installment paid ahead of its period is settled, yet a payoff later in that
    period gives part of its interest back: a what-if that pays off must leave the next
    what-if's figures untouched.
    """
    account = creditrules.load_account("examples/jiebei.toml")
    kept = [p for p in account.payments if p.date <= date(2025, 5, 8)]
    ahead = Payment(date(2025, 5, 20), Decimal("908.26"))  # installment 6, due 06-08
    later = Payment(date(2025, 5, 22), Decimal("0.01"))  # its trace is written by then
    account = attrs.evolve(account, payments=(*kept, ahead, later))
    what_ifs = creditrules.WhatIfs(account, date(2025, 5, 25), registry=REGISTRY)
    payoff = [Payment(date(2025, 6, 1), Decimal("10000.00"))]
    for events in (payoff, [], payoff):
        forked = what_ifs.simulate(events, date(2025, 6, 30))
        assert forked == creditrules.simulate(account, events, date(2025, 6, 30))
    refund = [a for i in forked.items for a in i.allocations if a.source == "refund"]
    assert refund and all(a.amount < 0 for a in refund)
