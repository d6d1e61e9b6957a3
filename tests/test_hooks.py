"""Every hook: documented, and exercised by an in-process plugin."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

import creditrules
from creditrules import Account, Bill, Rule, hookimpl
from creditrules._plugins import get_registry, reset_registry
from creditrules.hookspecs import HOOKS

ROOT = Path(__file__).resolve().parents[1]


@attrs.frozen
class Deferral:
    """A test event: the lender moves a bill's due date (in-process plugin)."""

    type: ClassVar[str] = "deferral"
    date: date
    bill: str
    new_due_date: date
    note: str = ""


class DeferralPlugin:
    """An in-process plugin using every hook."""

    @hookimpl
    def register_providers(self, register: Any) -> None:
        """Register the provider whose accounts the deferral applies to."""
        register(creditrules.Provider(id="deferring", name_en="Deferring Co"))

    @hookimpl
    def register_event_types(self, register: Any) -> None:
        """Register the deferral event."""
        register("deferral", Deferral)

    @hookimpl
    def register_rules(self, register: Any) -> None:
        """Declare the deferral mechanic and add a phase rule after the replay."""
        register(
            Rule("test.deferral", "Moves a bill's due date.", "test", part_of="provider.adjust")
        )
        register(
            Rule(
                "test.after",
                "Counts items.",
                "test",
                lambda ctx: ctx.extra.update(n=len(ctx.items)),
            ),
            after="timeline.replay",
        )

    @hookimpl
    def adjust_timeline(self, provider: creditrules.Provider, context: creditrules.Context) -> None:
        """Apply deferrals to the due items, once per assessment."""
        for event in context.events:
            if isinstance(event, Deferral):
                context.items = [
                    attrs.evolve(item, due_date=event.new_due_date)
                    if item.id == event.bill
                    else item
                    for item in context.items
                ]
                context.fire("test.deferral", event.bill, new_due_date=event.new_due_date)
        context.events = [e for e in context.events if not isinstance(e, Deferral)]

    @hookimpl
    def register_bureaus(self, register: Any) -> None:
        """Register a test bureau that keeps records 3 years."""
        if BUREAU_BASE:
            register(attrs.evolve(BUREAU_BASE[0], id="testbureau", retention_years=3))

    @hookimpl
    def register_commands(self, cli: Any) -> None:
        """Record that the CLI hook was called."""
        CALLS.append(cli)


CALLS: list[Any] = []
BUREAU_BASE: list[Any] = []


@pytest.fixture
def registry() -> Iterator[creditrules.Registry]:
    """A registry with the in-process plugin."""
    yield get_registry(extra=(("deferral", DeferralPlugin()),))
    reset_registry()


def test_every_hook_is_documented() -> None:
    """Each hookspec has a docstring, a line in HOOKS and an entry in the hook reference."""
    from creditrules import hookspecs

    reference = (ROOT / "docs" / "reference" / "hooks.md").read_text(encoding="utf-8")
    specs = {
        name
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, "creditrules_spec")
    }
    assert specs == set(HOOKS)
    for name in specs:
        assert (getattr(hookspecs, name).__doc__ or "").strip(), name
        assert f"creditrules.hookspecs.{name}" in reference, f"{name} missing from the docs"


def test_every_hook_is_tested() -> None:
    """Each hook name appears in some test (this file or a plugin's), so none goes untested."""
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")]
    sources += [p.read_text(encoding="utf-8") for p in (ROOT / "plugins").glob("*/tests/*.py")]
    this = Path(__file__).name
    for name in HOOKS:
        users = [s for s in sources if f"def {name}(" in s]
        assert users, f"no test implements the {name} hook ({this} should)"


def test_event_type_rules_and_timeline_hooks(registry: creditrules.Registry) -> None:
    """A plugin's event type loads, its rules are in the ruleset, adjust_timeline applies once.

    adjust_timeline runs for the plugin that registered the account's provider only.
    """
    assert "test.deferral" in registry.rules and "test.after" in registry.rules
    assert registry.rules.ids.index("test.after") == registry.rules.ids.index("timeline.replay") + 1
    assert registry.rules["test.after"].origin == "deferral"
    account = Account(
        id="d",
        provider="deferring",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "100.00")],
        events=[Deferral(date(2025, 3, 5), "bill-2025-03-10", date(2025, 4, 10))],
    )
    result = creditrules.assess(account, as_of=date(2025, 3, 31), registry=registry)
    assert result.days_past_due == 0
    assert result.item("bill-2025-03-10").due_date == date(2025, 4, 10)
    assert len(result.fired("test.deferral")) == 1
    assert "test.after" in result.ruleset
    # On another provider's account the plugin's adjust_timeline is not called.
    other = attrs.evolve(account, provider="generic", events=())
    assert not creditrules.assess(other, date(2025, 3, 31), registry=registry).fired(
        "test.deferral"
    )


def test_register_bureaus_hook_adds_a_bureau() -> None:
    """A plugin's bureau is registered beside the built-in PBOC bureau."""
    BUREAU_BASE.append(get_registry(reload=True).bureaus["pboc"])
    try:
        registry = get_registry(extra=(("deferral", DeferralPlugin()),))
        assert registry.bureaus["testbureau"].retention_years == 3
        assert "pboc" in registry.bureaus
    finally:
        BUREAU_BASE.clear()
        reset_registry()


def test_register_commands_hook_receives_the_cli(registry: creditrules.Registry) -> None:
    """register_commands is called with the CLI group."""
    pytest.importorskip("click")
    registry.manager.hook.register_commands(cli="the-cli")
    assert CALLS[-1] == "the-cli"
