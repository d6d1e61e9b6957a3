"""Tests for creditrules.rules: named rules, rulesets and their use by assess()."""

from __future__ import annotations

from datetime import date

import pytest

from creditrules import (
    CORE_RULES,
    Account,
    Bill,
    Context,
    PluginError,
    PolicyValue,
    Rule,
    RuleSet,
    assess,
)
from creditrules.policy import PolicySet

PHASES = ("items.bills", "items.schedule", "events.order", "provider.adjust", "timeline.replay")


def _noop(context: Context) -> None:
    context.fire("custom.rule", "account", seen=len(context.items))


CUSTOM = Rule("custom.rule", "Counts the due items.", "test", _noop, origin="tests")


def _account() -> Account:
    return Account(
        id="rules",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
        policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")],
    )


def test_core_rules_run_the_phases_in_order() -> None:
    """The core ruleset's phase rules are the documented five, in order."""
    assert tuple(r.id for r in CORE_RULES.phases()) == PHASES
    assert CORE_RULES.ids[: len(PHASES)] == PHASES


def test_every_core_rule_is_described_and_cited() -> None:
    """Each rule has a dotted id, one-line description and citation; mechanics name a phase."""
    for rule in CORE_RULES:
        assert "." in rule.id
        assert rule.description and "\n" not in rule.description
        assert rule.citation
        assert rule.origin == "creditrules"
        if rule.apply is None:
            assert rule.part_of in CORE_RULES
            assert CORE_RULES[rule.part_of].apply is not None


def test_mechanics_named_in_the_issue_are_declared() -> None:
    """Penalty, grace, waterfall, credit, posting and episode mechanics are declared rules."""
    for rule_id in (
        "grace.period",
        "grace.missed",
        "penalty.accrual",
        "accrual.posting",
        "payment.waterfall",
        "payment.credit",
        "early_repayment.interest_to_date",
        "revolving.minimum_payment",
        "episode.tracking",
    ):
        assert rule_id in CORE_RULES


def test_duplicate_rule_ids_are_a_plugin_error_naming_both_origins() -> None:
    """Two rules with one id are a PluginError naming who registered each."""
    twin = Rule("items.bills", "Another.", "test", _noop, origin="some-plugin")
    with pytest.raises(
        PluginError, match=r"'items.bills' is registered twice \(creditrules and some-plugin\)"
    ):
        CORE_RULES.append(twin)


def test_replace_swaps_a_rule_in_place() -> None:
    """replace() keeps the position of the rule it replaces and leaves the original alone."""
    replacement = Rule("events.order", "Custom order.", "test", _noop, origin="tests")
    replaced = CORE_RULES.replace(replacement)
    assert replaced.ids == CORE_RULES.ids
    assert replaced["events.order"].origin == "tests"
    assert CORE_RULES["events.order"].origin == "creditrules"


def test_replace_of_an_unknown_rule_is_a_plugin_error() -> None:
    """Replacing a rule id that does not exist is a PluginError."""
    with pytest.raises(PluginError, match=r"cannot replace unknown rule 'custom.rule' \(tests\)"):
        CORE_RULES.replace(CUSTOM)


def test_insert_after_and_before() -> None:
    """insert_after/insert_before put a rule next to its anchor."""
    after = CORE_RULES.insert_after("events.order", CUSTOM)
    assert after.ids[after.ids.index("events.order") + 1] == "custom.rule"
    before = CORE_RULES.insert_before("timeline.replay", CUSTOM)
    assert before.ids[before.ids.index("timeline.replay") - 1] == "custom.rule"
    assert len(after) == len(CORE_RULES) + 1
    assert "custom.rule" not in CORE_RULES


def test_insert_at_an_unknown_anchor_is_a_plugin_error() -> None:
    """Anchoring on a rule that does not exist is a PluginError naming both."""
    with pytest.raises(
        PluginError, match=r"'custom.rule' \(tests\) anchors on unknown rule 'nope'"
    ):
        CORE_RULES.insert_after("nope", CUSTOM)
    with pytest.raises(PluginError):
        CORE_RULES.insert_before("nope", CUSTOM)


def test_inserting_an_existing_id_is_a_plugin_error() -> None:
    """Inserting a second rule with an existing id is refused; use replace."""
    twin = Rule("timeline.replay", "Twin.", "test", _noop, origin="tests")
    with pytest.raises(PluginError, match="use replace"):
        CORE_RULES.insert_after("events.order", twin)


def test_lookup_by_id() -> None:
    """A ruleset supports `in`, indexing by id (KeyError if absent) and len()."""
    assert "timeline.replay" in CORE_RULES
    assert CORE_RULES["timeline.replay"].apply is not None
    with pytest.raises(KeyError):
        CORE_RULES["nope"]
    assert len(RuleSet([CUSTOM])) == 1


def test_context_fire_records_facts_as_text() -> None:
    """Context.fire() records the rule, subject, facts as text and policy names."""
    context = Context(account=_account(), as_of=date(2025, 3, 15), policies=PolicySet())
    context.fire("custom.rule", "account", policy=("grace_days",), amount=1, when=date(2025, 1, 1))
    (firing,) = context.firings
    assert (firing.rule, firing.subject, firing.policy) == (
        "custom.rule",
        "account",
        ("grace_days",),
    )
    assert firing.facts == (("amount", "1"), ("when", "2025-01-01"))
    context.unknown("why")
    context.unknown("why")
    assert context.unknowns == ["why"]


def test_assess_runs_a_custom_ruleset_and_records_it() -> None:
    """A rule inserted into the ruleset runs in assess() and shows in ruleset and firings."""
    ruleset = CORE_RULES.insert_after("timeline.replay", CUSTOM)
    result = assess(_account(), as_of=date(2025, 3, 15), ruleset=ruleset)
    assert result.ruleset == ruleset.ids
    (firing,) = result.fired("custom.rule")
    assert firing.fact("seen") == "1"
    assert result.overdue.penalty == assess(_account(), as_of=date(2025, 3, 15)).overdue.penalty


def test_a_replaced_phase_changes_the_result() -> None:
    """Replacing items.bills with a rule that adds no items leaves nothing to owe."""
    empty = Rule("items.bills", "No bills.", "test", lambda context: None, origin="tests")
    result = assess(_account(), as_of=date(2025, 3, 15), ruleset=CORE_RULES.replace(empty))
    assert result.items == ()
    assert result.balance.total == 0
