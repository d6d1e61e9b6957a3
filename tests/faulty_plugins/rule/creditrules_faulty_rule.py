"""A creditrules plugin that loads, then raises while assessing.

* its rule ``faulty_rule.explode`` raises on its own provider's accounts;
* its ``adjust_timeline`` raises on its own provider's account ``timeline-fails``;
* its ``provider_actions`` raises on every account, of every provider.

With ``FAULTY_PLUGIN_HEALTHY=1`` in the environment none of them raises: the same
plugin without its faults, to compare with (a plugin that loads is named in the
decision record of every assessment, and its rules in the ruleset).
"""

import os
from collections.abc import Callable
from typing import Any

from creditrules import PolicyValue, Provider, Rule, hookimpl

PROVIDER = "faulty_rule"
FAULTY = os.environ.get("FAULTY_PLUGIN_HEALTHY") != "1"


def _explode(context: Any) -> None:
    if FAULTY:
        raise RuntimeError("rule failed on purpose")


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register the plugin's own provider."""
    register(
        Provider(
            id=PROVIDER,
            name_en="Faulty rule",
            products=("revolving",),
            policy=(PolicyValue("penalty_daily_rate", "0.0005", source="test §1", grade="A"),),
        )
    )


@hookimpl
def register_rules(register: Callable[..., None]) -> None:
    """Register a rule that raises, for the plugin's own provider only."""
    register(
        Rule("faulty_rule.explode", "Explodes.", "test", _explode, providers=PROVIDER),
        after="timeline.replay",
    )


@hookimpl
def adjust_timeline(provider: Provider, context: Any) -> None:
    """Raise on the account ``timeline-fails`` (called for this plugin's provider only)."""
    if FAULTY and context.account.id == "timeline-fails":
        raise RuntimeError("adjust_timeline failed on purpose")


@hookimpl
def provider_actions(assessment: Any, account: Any, provider: Any, registry: Any) -> None:
    """Raise, whatever the account's provider."""
    if FAULTY:
        raise RuntimeError("provider_actions failed on purpose")
