"""分期乐 Fenqile (乐信 LexinFintech), installment purchases and loans, as a creditrules plugin.

Installed, it registers the provider ``fenqile`` (so an account file can say
``provider = "fenqile"``) and the rule ``fenqile.guarantor``. The policy is
declarative: ``provider.toml`` in this package holds every number with its source and
grade, read with :func:`creditrules.load_provider`. No public source states Fenqile's
late fee, penalty rate or grace period, so the provider sets none and lists them in
:attr:`~creditrules.Provider.unknown`: the account file gives them from the contract.

>>> from creditrules_fenqile import get_provider
>>> [name for name, _ in get_provider().unknown]
['penalty_daily_rate', 'grace_days', 'penalty_base']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.resources import files

import attrs

import creditrules
from creditrules import Context, GuarantorPaid, Provider, Rule, RuleText, hookimpl

__all__ = [
    "PROVIDER_ID",
    "RULE_ID",
    "adjust_timeline",
    "get_provider",
    "register_providers",
    "register_rules",
]

#: The provider id account files use.
PROVIDER_ID = "fenqile"
#: The rule id recorded when a guarantor compensation is attributed to the account's guarantor.
RULE_ID = "fenqile.guarantor"


@functools.cache
def get_provider() -> Provider:
    """Return the Fenqile provider, read from ``provider.toml``.

    Returns:
        The :class:`~creditrules.Provider` registered as ``fenqile``.
    """
    return creditrules.load_provider(files(__name__) / "provider.toml")


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register the ``fenqile`` provider."""
    register(get_provider())


@hookimpl
def register_rules(register: Callable[..., None]) -> None:
    """Declare the ``fenqile.guarantor`` mechanic, performed in ``provider.adjust``."""
    register(
        Rule(
            RULE_ID,
            "A guarantor_paid event (代偿) on a Fenqile account that names no guarantor is "
            "attributed to the account's guarantor, to whom the debt is then owed.",
            "digipub.cc/dy/article/KJ3EILPC05566TBX.html (court case, 2025; grade B)",
            part_of="provider.adjust",
            texts={
                "zh_CN": RuleText(
                    description="分期乐账户上未写明担保方的担保代偿事件（guarantor_paid，代偿）"
                    "归属于该账户的担保方，此后债务改为欠该担保方。",
                    fired="未写明担保方的代偿归属于账户的担保方{guarantor}，此后债务改为欠"
                    "该担保方（资金方：{funder}）。",
                )
            },
        )
    )


@hookimpl
def adjust_timeline(provider: Provider, context: Context) -> None:
    """Name the account's guarantor on compensation events that do not name one."""
    guarantor = context.account.guarantor
    if provider.id != PROVIDER_ID or not guarantor:
        return
    for index, event in enumerate(context.events):
        if isinstance(event, GuarantorPaid) and not event.guarantor:
            context.events[index] = attrs.evolve(event, guarantor=guarantor)
            context.fire(
                RULE_ID,
                f"guarantor {event.date}",
                guarantor=guarantor,
                funder=context.account.funder or "not given",
            )
