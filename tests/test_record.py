"""Tests for creditrules.record: decision records, content hashes, verify and recompute."""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import creditrules
from creditrules import (
    Account,
    AppliedValue,
    Assessment,
    Bill,
    DecisionRecord,
    Payment,
    PluginVersion,
    PolicyValue,
    Rule,
    assess,
    from_dict,
    get_registry,
    recompute,
    to_dict,
    to_json,
    verify,
)
from creditrules.record import content_hash, policy_hash, policy_in_force, ruleset_hash
from creditrules.testing import strategies as cs

AS_OF = date(2025, 4, 30)


def _account(rate: str = "0.0005", **changes: object) -> Account:
    account = Account(
        id="demo",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
        payments=[Payment(date(2025, 3, 15), "501.25")],
        policy=[PolicyValue("penalty_daily_rate", rate, source="contract §7", grade="A")],
    )
    return attrs.evolve(account, **changes) if changes else account


def test_assess_records_versions_and_hashes() -> None:
    """An assessment carries a record with the versions, plugins, hashes, account and date."""
    record = assess(_account(), as_of=AS_OF).record
    assert record is not None
    assert record.account_id == "demo"
    assert record.as_of == AS_OF
    assert record.creditrules_version == creditrules.__version__
    assert record.policy_hash.startswith("sha256:") and len(record.policy_hash) == 7 + 64
    assert record.ruleset_hash.startswith("sha256:") and len(record.ruleset_hash) == 7 + 64
    names = {p.name for p in record.plugins}
    assert "creditrules.default_plugins.generic" in names  # the provider's plugin
    assert "creditrules.default_plugins.pboc" in names  # the bureau's plugin
    for plugin in record.plugins:
        assert plugin.distribution and plugin.version


def test_record_lists_only_plugins_that_take_part() -> None:
    """Plugins whose rules are in force or that run during assessment are listed; others not."""
    registry = get_registry()
    record = assess(_account(), as_of=AS_OF).record
    assert record is not None
    listed = {p.name for p in record.plugins}
    origins = {rule.origin for rule in registry.rules}
    for info in registry.plugins:
        runs = any(not hook.startswith("register_") for hook in info.hooks)
        owns = info.name in origins or info.providers == ("generic",) or "pboc" in info.bureaus
        assert (info.name in listed) == ((runs or owns) and not info.error), info.name


def test_record_hash_of_the_ruleset_is_its_ids_and_origins() -> None:
    """The ruleset hash is the content hash of every rule's id and origin, in order."""
    record = assess(_account(), as_of=AS_OF).record
    assert record is not None
    rules = get_registry().rules
    assert record.ruleset_hash == ruleset_hash(rules)
    assert record.ruleset_hash == content_hash([[r.id, r.origin] for r in rules])


def test_verify_recomputes_an_equal_assessment() -> None:
    """verify() is true for the assessment of the same account, and recompute() equals it."""
    account = _account()
    result = assess(account, as_of=AS_OF)
    assert verify(account, result)
    assert recompute(account, result) == result


def test_a_changed_policy_value_changes_the_policy_hash() -> None:
    """Changing one policy value changes the policy hash, not the ruleset hash; verify fails."""
    before = assess(_account("0.0005"), as_of=AS_OF)
    after = assess(_account("0.0006"), as_of=AS_OF)
    assert before.record is not None and after.record is not None
    assert before.record.policy_hash != after.record.policy_hash
    assert before.record.ruleset_hash == after.record.ruleset_hash
    assert not verify(_account("0.0006"), before)
    assert before.record.differences(after.record) == (
        f"policy_hash: {before.record.policy_hash} → {after.record.policy_hash}",
    )


def test_a_changed_source_changes_the_policy_hash() -> None:
    """The provenance of a value is part of the hash, not only the number."""
    value = PolicyValue("penalty_daily_rate", "0.0005", source="contract §8", grade="A")
    first = assess(_account(), as_of=AS_OF).record
    second = assess(_account(policy=[value]), as_of=AS_OF).record
    assert first is not None and second is not None
    assert first.policy_hash != second.policy_hash


def test_the_record_holds_every_value_in_force_during_the_assessment() -> None:
    """A value that stopped before ``as_of`` is in the record, with the one that replaced it."""
    old = PolicyValue(
        "penalty_daily_rate",
        "0.0005",
        source="contract §7 (2024)",
        grade="A",
        effective_to=date(2025, 3, 12),
    )
    new = PolicyValue(
        "penalty_daily_rate",
        "0.0006",
        source="contract §7 (2025)",
        grade="A",
        effective_from=date(2025, 3, 13),
    )
    result = assess(_account(policy=[old, new]), as_of=AS_OF)
    record = result.record
    assert record is not None
    rates = [a.value for a in record.policy if a.value.name == "penalty_daily_rate"]
    assert rates == [old, new]
    assert record.policy_value("penalty_daily_rate", date(2025, 3, 11)).value == old
    assert record.policy_value("penalty_daily_rate", date(2025, 3, 14)).value == new
    assert [a.value for a in result.policy if a.value.name == "penalty_daily_rate"] == [new]
    assert record.policy_hash == policy_hash(record.policy)


def test_ruleset_hash_changes_with_the_rules_in_force() -> None:
    """Assessing with an extra rule changes the ruleset hash and the verify result."""
    account = _account()
    extra = get_registry().rules.append(Rule("demo.noop", "Does nothing.", "test", origin="demo"))
    plain = assess(account, as_of=AS_OF)
    with_extra = assess(account, as_of=AS_OF, ruleset=extra)
    assert plain.record is not None and with_extra.record is not None
    assert plain.record.ruleset_hash != with_extra.record.ruleset_hash
    assert verify(account, with_extra, ruleset=extra)
    assert not verify(account, with_extra)


def test_verify_is_false_for_another_account() -> None:
    """An assessment does not verify against an account with another id."""
    result = assess(_account(), as_of=AS_OF)
    assert not verify(_account(id="other"), result)


def test_verify_is_false_when_a_figure_was_altered() -> None:
    """A stored assessment whose figures were edited does not verify."""
    account = _account()
    result = assess(account, as_of=AS_OF)
    assert not verify(account, attrs.evolve(result, days_past_due=result.days_past_due + 1))
    assert not verify(account, attrs.evolve(result, credit=Decimal("1.00")))


def test_differences_name_versions_and_plugins() -> None:
    """differences() says which versions and plugins changed, and is empty for equal records."""
    record = assess(_account(), as_of=AS_OF).record
    assert record is not None
    assert record.differences(record) == ()
    bumped = attrs.evolve(
        record,
        creditrules_version="9.9.9",
        plugins=(*record.plugins[1:], PluginVersion("extra", "creditrules-extra", "1.0")),
    )
    lines = record.differences(bumped)
    assert f"creditrules_version: {record.creditrules_version} → 9.9.9" in lines
    first = record.plugins[0]
    assert f"plugin {first.name}: {first.distribution} {first.version} → absent" in lines
    assert "plugin extra: absent → creditrules-extra 1.0" in lines


def test_record_round_trips_through_json() -> None:
    """A record (and the assessment holding it) survives to_dict/from_dict and JSON."""
    result = assess(_account(), as_of=AS_OF)
    assert result.record is not None
    data = json.loads(to_json(result))
    assert from_dict(Assessment, data) == result
    assert from_dict(DecisionRecord, to_dict(result.record)) == result.record
    assert data["record"]["policy_hash"] == result.record.policy_hash


def test_a_reloaded_assessment_verifies() -> None:
    """An assessment saved as JSON and loaded back still verifies against its account."""
    account = _account()
    saved = to_json(assess(account, as_of=AS_OF))
    assert verify(account, from_dict(Assessment, json.loads(saved)))


def test_content_hash_ignores_key_order_but_not_values() -> None:
    """The canonical JSON sorts keys, so equal data hashes equally whatever its key order."""
    assert content_hash({"a": 1, "b": [1, 2]}) == content_hash({"b": [1, 2], "a": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 2})
    assert content_hash(Decimal("1.10")) != content_hash(Decimal("1.1"))


def test_policy_in_force_prefers_the_highest_layer() -> None:
    """policy_in_force() picks the account layer over the provider and the default."""
    values = [
        AppliedValue(PolicyValue("grace_days", 0, source="engine", grade="D"), "default"),
        AppliedValue(PolicyValue("grace_days", 3, source="account", grade="A"), "account"),
        AppliedValue(PolicyValue("grace_days", 1, source="provider", grade="B"), "provider"),
    ]
    assert policy_in_force(values, "grace_days", date(2025, 1, 1)).value.value == 3
    with pytest.raises(KeyError):
        policy_in_force(values, "penalty_base", date(2025, 1, 1))


@given(cs.accounts(), st.randoms(use_true_random=False))
def test_the_record_does_not_depend_on_event_order(account: Account, rng: random.Random) -> None:
    """Listing the same events in another order gives the same record (and assessment)."""
    as_of = cs.last_date(account)
    events = list(account.events)
    payments = list(account.payments)
    rng.shuffle(events)
    rng.shuffle(payments)
    shuffled = attrs.evolve(account, events=tuple(events), payments=tuple(payments))
    first = assess(account, as_of=as_of)
    assert first.record == assess(shuffled, as_of=as_of).record
    assert verify(shuffled, first)
