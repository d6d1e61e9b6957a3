"""The composer: the registry passed in, rules scoped to providers, actions planned on demand."""

from __future__ import annotations

import os
import pickle
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest

import creditrules
from creditrules import (
    Account,
    Assessment,
    Bill,
    Context,
    Payment,
    PolicyValue,
    Rule,
    RuleText,
    assess,
    hookimpl,
    load_provider,
    to_dict,
    to_json,
)
from creditrules._plugins import get_registry

ACME = """
format = 1
[provider]
id = "acme"
name_en = "Acme Credit"
products = ["revolving"]

[policy.penalty_daily_rate]
value = "0.001"
source = "Acme terms 2025, art. 7"
grade = "B"

[policy.grace_days]
value = 2
source = "Acme terms 2025, art. 6"
grade = "B"
"""


def _account(provider: str = "acme") -> Account:
    return Account(
        id="c",
        provider=provider,
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")],
        payments=[Payment(date(2025, 3, 20), "500.00")],
        policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")]
        if provider == "generic"
        else [],
    )


def test_a_provider_file_is_assessed_through_the_registry_argument() -> None:
    """A provider read by load_provider, passed with registry=, needs no environment or override."""
    assert "CREDITRULES_PROVIDER_FILES" not in os.environ
    registry = get_registry().with_providers(load_provider(ACME))
    result = assess(_account(), date(2025, 3, 31), registry=registry)
    assert result.provider == "acme"
    assert result.policy_value("penalty_daily_rate") == Decimal("0.001")
    # 1,000.00 × 0.1 % × 10 days = 10.00 to the payment, which pays that penalty first and
    # 490.00 of principal; then 510.00 × 0.1 % × 11 days = 5.61.
    assert result.charged.penalty == Decimal("15.61")
    with pytest.raises(creditrules.InputError, match="unknown provider 'acme'"):
        assess(_account(), date(2025, 3, 31))  # the installed registry does not know it


def test_simulate_and_compare_take_the_registry_too() -> None:
    """Both simulate and compare use the registry they are given."""
    registry = get_registry().with_providers(load_provider(ACME))
    later = creditrules.simulate(
        _account(), [Payment(date(2025, 4, 1), "600.00")], date(2025, 4, 30), registry=registry
    )
    assert later.balance.total == 0
    table = creditrules.compare(
        _account(),
        {"pay": [Payment(date(2025, 4, 1), "600.00")]},
        as_of=date(2025, 4, 30),
        registry=registry,
    )
    assert table.row("pay").balance == 0


class ScopedPlugin:
    """A third-party plugin whose rule applies to the generic provider only, with its own texts."""

    ran: ClassVar[list[str]] = []

    @staticmethod
    def rule(context: Context) -> None:
        """Note the account and fire once."""
        ScopedPlugin.ran.append(context.account.provider)
        context.fire("acme.flag_large", "account", limit="1000.00")

    @hookimpl
    def register_rules(self, register: Any) -> None:
        """Register the scoped rule after the replay."""
        register(
            Rule(
                "acme.flag_large",
                "Flags accounts with large bills.",
                "Acme risk policy 2025",
                ScopedPlugin.rule,
                providers={"generic"},
                texts={
                    "en": RuleText(
                        "Flags accounts with large bills.",
                        fired="bills reach {limit}",
                        not_fired="no bill reaches the limit",
                    ),
                    "zh_CN": RuleText(
                        "标记大额账单的账户。",
                        fired="账单达到 {limit}",
                        not_fired="没有账单达到限额",
                    ),
                },
            ),
            after="timeline.replay",
        )


def test_a_rule_declared_for_one_provider_never_runs_on_another() -> None:
    """Rule(providers={"generic"}) runs on generic accounts and is skipped on the others."""
    ScopedPlugin.ran.clear()
    registry = get_registry(extra=(("acme-risk", ScopedPlugin()),)).with_providers(
        load_provider(ACME)
    )
    try:
        generic = assess(_account("generic"), date(2025, 3, 31), registry=registry)
        acme = assess(_account("acme"), date(2025, 3, 31), registry=registry)
    finally:
        get_registry(reload=True)
    assert ScopedPlugin.ran == ["generic"]
    assert generic.fired("acme.flag_large") and not acme.fired("acme.flag_large")


class TimelinePlugin:
    """A plugin that owns no provider but implements adjust_timeline."""

    calls: ClassVar[list[str]] = []

    @hookimpl
    def adjust_timeline(self, provider: creditrules.Provider, context: Context) -> None:
        """Record the call."""
        TimelinePlugin.calls.append(provider.id)


def test_adjust_timeline_is_called_only_for_the_owner_of_the_provider() -> None:
    """A plugin's adjust_timeline never runs on accounts of a provider it did not register."""
    TimelinePlugin.calls.clear()
    registry = get_registry(extra=(("timeline", TimelinePlugin()),))
    try:
        assess(_account("generic"), date(2025, 3, 31), registry=registry)
    finally:
        get_registry(reload=True)
    assert TimelinePlugin.calls == []


def test_event_types_live_in_the_registry() -> None:
    """Registering an event type changes that registry only, never a module global."""

    @attrs.frozen
    class Deferral:
        date: date
        note: str = ""
        type: ClassVar[str] = "acme_deferral"

    class EventPlugin:
        @hookimpl
        def register_event_types(self, register: Any) -> None:
            register("acme_deferral", Deferral)

    with_event = get_registry(extra=(("events", EventPlugin()),))
    try:
        assert with_event.event_types["acme_deferral"] is Deferral
    finally:
        fresh = get_registry(reload=True)
    assert "acme_deferral" not in fresh.event_types
    assert "acme_deferral" not in creditrules.model.EVENT_TYPES


def test_a_non_class_event_type_is_refused_at_registration() -> None:
    """register_event_types(tag, 42) is the plugin's failure, named, not a crash later."""

    class BadEvents:
        @hookimpl
        def register_event_types(self, register: Any) -> None:
            register("bad", 42)

    with pytest.warns(creditrules.PluginWarning, match="bad-events"):
        registry = get_registry(extra=(("bad-events", BadEvents()),))
    get_registry(reload=True)
    assert "bad" not in registry.event_types


def test_actions_are_planned_on_first_access_and_kept() -> None:
    """Assessing does not plan; reading actions plans once; equality and pickling hold."""
    account = _account("generic")
    first = assess(account, date(2025, 3, 31))
    assert first._actions is None  # nothing planned yet
    second = assess(account, date(2025, 3, 31))
    assert first == second  # comparing plans both
    assert first._actions is not None and first.actions == second.actions
    assert first.actions[0].code == "pay_overdue_now"
    copy = pickle.loads(pickle.dumps(first))
    assert copy == first and copy.actions == first.actions


def test_the_report_and_the_record_are_built_on_first_access_and_kept() -> None:
    """Assessing builds neither; reading builds each once; copies, JSON and equality hold."""
    account = _account("generic")
    first = assess(account, date(2025, 3, 31))
    assert first._report is None and first._record is None  # nothing built yet
    report = first.report
    assert report is not None and first.report is report  # built once, then kept
    assert report.as_of == date(2025, 3, 31) and first._record is None
    # A pickled copy has no services to build with: it is built before it leaves.
    second = assess(account, date(2025, 3, 31))
    copy = pickle.loads(pickle.dumps(second))
    assert copy._report == report and copy._record is not None
    assert copy.record == first.record and copy.items == first.items
    third = assess(account, date(2025, 3, 31))
    assert to_json(third) == to_json(first)  # the JSON writes them (built when written)
    assert [k for k in to_dict(third)][-3:] == ["report", "record", "actions"]


def test_a_hand_built_assessment_has_no_actions_and_cannot_explain() -> None:
    """An assessment built without the composer has no plan and says why it cannot explain."""
    result = assess(_account("generic"), date(2025, 3, 31))
    bare = Assessment(
        **{
            a.alias: getattr(result, a.name)
            for a in attrs.fields(Assessment)
            if a.name not in ("_actions", "_services")
        }
    )
    assert bare.actions == ()
    with pytest.raises(LookupError, match=r"creditrules\.assess"):
        bare.explain()
