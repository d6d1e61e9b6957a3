"""Decision records: what it takes to recompute an assessment and check it.

Every :func:`creditrules.assess` stores a :class:`DecisionRecord` in
``assessment.record``: the version of creditrules and of each plugin that took
part, the policy values in force on any day of the assessment, and two content
hashes — one of those policy values, one of the rules in force (ids and
origins). Keep the record with the account file, and
:func:`creditrules.verify` tells you later whether the same assessment comes
out again; :meth:`DecisionRecord.differences` says what changed when it does
not.

>>> from datetime import date
>>> from creditrules import Account, Bill, assess
>>> account = Account(
...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
... )
>>> record = assess(account, as_of=date(2025, 3, 15)).record
>>> record.account_id, record.as_of, record.policy_hash[:7]
('demo', datetime.date(2025, 3, 15), 'sha256:')
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from ._convert import to_dict
from ._version import __version__
from .policy import AppliedValue, PolicySet

if TYPE_CHECKING:
    from ._plugins import Registry
    from .rules import Rule

__all__ = [
    "DecisionRecord",
    "PluginVersion",
    "content_hash",
    "policy_hash",
    "policy_in_force",
    "ruleset_hash",
]

#: Layers of policy resolution, highest priority first.
_PRIORITY = ("account", "provider", "default")


@attrs.frozen
class PluginVersion:
    """One plugin that took part in an assessment.

    Attributes:
        name: The plugin's name (entry-point name, or module name for built-ins).
        distribution: The distribution that ships it (``creditrules`` for built-ins).
        version: That distribution's version.
    """

    name: str
    distribution: str
    version: str


@attrs.frozen
class DecisionRecord:
    """What an assessment was computed with, so that it can be recomputed and checked.

    Attributes:
        account_id: The account's id.
        as_of: The assessment date.
        creditrules_version: The version of creditrules that computed it.
        plugins: The plugins that took part (the provider's, the bureau's, those
            whose rules are in force and those called during every assessment),
            in load order.
        policy_hash: ``sha256:`` + hex digest of the canonical JSON of :attr:`policy`.
        ruleset_hash: ``sha256:`` + hex digest of the canonical JSON of the rules in
            force (id and origin of each, in order).
        policy: Every policy value in force on some day from the account's opening
            to ``as_of``, each with the layer that set it.
    """

    account_id: str
    as_of: date
    creditrules_version: str
    plugins: tuple[PluginVersion, ...]
    policy_hash: str
    ruleset_hash: str
    policy: tuple[AppliedValue, ...] = ()

    def differences(self, other: DecisionRecord) -> tuple[str, ...]:
        """Say what differs between this record and ``other``, one line per difference.

        Args:
            other: Another record, e.g. of the same account recomputed today.

        Returns:
            Lines such as ``"creditrules_version: 0.1.0 → 0.2.0"``; empty if the
            records are equal.
        """
        lines = [
            f"{name}: {mine} → {theirs}"
            for name in (
                "account_id",
                "as_of",
                "creditrules_version",
                "policy_hash",
                "ruleset_hash",
            )
            if (mine := getattr(self, name)) != (theirs := getattr(other, name))
        ]
        before = {p.name: p for p in self.plugins}
        after = {p.name: p for p in other.plugins}
        for name in sorted(before.keys() | after.keys()):
            old, new = before.get(name), after.get(name)
            if old == new:
                continue
            lines.append(f"plugin {name}: {_plugin_text(old)} → {_plugin_text(new)}")
        return tuple(lines)

    def policy_value(self, name: str, day: date) -> AppliedValue:
        """Return the value of parameter ``name`` in force on ``day``.

        Raises:
            KeyError: if the record holds no value of ``name`` in force on ``day``.
        """
        return policy_in_force(self.policy, name, day)


def _plugin_text(plugin: PluginVersion | None) -> str:
    if plugin is None:
        return "absent"
    return f"{plugin.distribution} {plugin.version}".strip()


def policy_in_force(values: Iterable[AppliedValue], name: str, day: date) -> AppliedValue:
    """Return the applied value of ``name`` in force on ``day`` (highest layer first).

    Args:
        values: Applied values, e.g. :attr:`DecisionRecord.policy`.
        name: The parameter.
        day: The day.

    Returns:
        The value the highest layer sets on ``day``.

    Raises:
        KeyError: if none of ``values`` is of ``name`` and in force on ``day``.
    """
    candidates = [a for a in values if a.value.name == name and a.value.in_force(day)]
    if not candidates:
        raise KeyError(name)
    return min(candidates, key=lambda a: _PRIORITY.index(a.layer))


def content_hash(data: Any) -> str:
    """Return ``sha256:`` + the hex digest of the canonical JSON of ``data``.

    Args:
        data: Any value :func:`creditrules.to_dict` accepts.

    Returns:
        The hash; equal values always give equal hashes.
    """
    text = json.dumps(to_dict(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# Values are immutable, so their hashes are cached: assessments made while planning
# (simulations) share the policy and rules of the assessment they plan for.
@functools.lru_cache(maxsize=256)
def _cached_hash(data: tuple[Any, ...]) -> str:
    return content_hash(data)


def policy_hash(values: Sequence[AppliedValue]) -> str:
    """Return the content hash of policy values (value, provenance, dates and layer)."""
    return _cached_hash(tuple(values))


def ruleset_hash(rules: Iterable[Rule]) -> str:
    """Return the content hash of a ruleset: the id and origin of each rule, in order."""
    return _cached_hash(tuple((rule.id, rule.origin) for rule in rules))


def _policy_across(policies: PolicySet, first: date, last: date) -> tuple[AppliedValue, ...]:
    """Every applied value in force on some day of ``first`` … ``last``, in order of use."""
    days = [first, *(d for d in policies.breakpoints() if first < d <= last)]
    if len(days) == 1:  # one policy throughout: its values, one per parameter
        return policies.at(first).applied
    seen: set[AppliedValue] = set()
    values: list[AppliedValue] = []
    for day in days:
        for applied in policies.at(day).applied:
            if applied not in seen:
                seen.add(applied)
                values.append(applied)
    return tuple(values)


def build_record(
    *,
    account_id: str,
    as_of: date,
    first_day: date,
    policies: PolicySet,
    rules: Iterable[Rule],
    registry: Registry,
    provider: str,
    bureau: str,
) -> DecisionRecord:
    """Build the decision record of one assessment (:func:`creditrules.assess` calls it).

    Args:
        account_id: The account's id.
        as_of: The assessment date.
        first_day: The first day the assessment covers (the account's opening, or an
            earlier item's opening).
        policies: The account's layered policy.
        rules: The rules in force.
        registry: The plugin registry the assessment used.
        provider: The provider id.
        bureau: The credit bureau id.

    Returns:
        The :class:`DecisionRecord`.
    """
    rules = tuple(rules)
    policy = _policy_across(policies, min(first_day, as_of), as_of)
    used = {rule.origin for rule in rules}
    used.update(
        name
        for name in (registry.provider_plugin.get(provider), registry.bureau_plugin.get(bureau))
        if name is not None
    )
    plugins = tuple(
        PluginVersion(info.name, info.distribution, info.version)
        for info in registry.plugins
        if not info.error
        and (
            info.name in used
            # a plugin's remediation actions are asked for on every account
            or "provider_actions" in info.hooks
        )
    )
    return DecisionRecord(
        account_id=account_id,
        as_of=as_of,
        creditrules_version=__version__,
        plugins=plugins,
        policy_hash=policy_hash(policy),
        ruleset_hash=ruleset_hash(rules),
        policy=policy,
    )
