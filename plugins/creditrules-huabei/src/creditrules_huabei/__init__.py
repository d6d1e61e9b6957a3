"""花呗 Huabei, Ant Group's revolving consumer credit, as a creditrules provider plugin.

Installed, it registers the provider ``huabei`` (so an account file can say
``provider = "huabei"``), the event type ``bill_installment`` (账单分期), the rule
``huabei.bill_installment`` that gives that event its meaning, and the remediation
action ``convert_to_installments`` that offers the conversion before a bill is due.

The policy is declarative: ``provider.toml`` in this package holds every number with
its source and grade, and is read with :func:`creditrules.load_provider`. The Python
code below only registers it, converts bills into installments and offers to, which
the engine's policy parameters cannot express.

>>> from datetime import date
>>> from creditrules_huabei import get_provider
>>> get_provider().policy_at(date(2025, 3, 1))["penalty_daily_rate"].value
Decimal('0.0005')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from importlib.resources import files
from typing import Any

import attrs

import creditrules
from creditrules import (
    Account,
    Action,
    Assessment,
    Context,
    Provider,
    Registry,
    Rule,
    RuleText,
    hookimpl,
)

from ._installments import RULE_ID, BillInstallment, convert, installment_problems

__all__ = [
    "PROVIDER_ID",
    "RULE_ID",
    "BillInstallment",
    "adjust_timeline",
    "get_provider",
    "provider_actions",
    "register_event_types",
    "register_providers",
    "register_rules",
]

#: The provider id account files use.
PROVIDER_ID = "huabei"


@functools.cache
def get_provider() -> Provider:
    """Return the Huabei provider: ``provider.toml`` plus the bill-installment checks.

    Returns:
        The :class:`~creditrules.Provider` registered as ``huabei``.
    """
    declared = creditrules.load_provider(files(__name__) / "provider.toml")

    def validate(account: Account) -> list[tuple[str, str]]:
        return installment_problems(account, declared.policy)

    return attrs.evolve(declared, validate=validate)


@hookimpl
def register_providers(register: Callable[[Provider], None]) -> None:
    """Register the ``huabei`` provider."""
    register(get_provider())


@hookimpl
def register_event_types(register: Callable[[str, type[Any]], None]) -> None:
    """Register the ``bill_installment`` event type (账单分期)."""
    register(BillInstallment.type, BillInstallment)


@hookimpl
def register_rules(register: Callable[..., None]) -> None:
    """Declare the ``huabei.bill_installment`` mechanic, performed in ``provider.adjust``."""
    register(
        Rule(
            RULE_ID,
            "A Huabei bill converted into N monthly installments (账单分期) between its "
            "statement and due dates is replaced by N installments due monthly after it, "
            "principal and fee (the amount × the fee rate of the policy's table, or the "
            "event's quoted rate) split to the fen, the last absorbing the rounding.",
            "en.doing.city/2406/892c10a480ad94be.html (grade C)",
            part_of="provider.adjust",
            texts={
                "zh_CN": RuleText(
                    description="花呗账单在出账日至还款日之间办理账单分期（分N期）的，该账单由"
                    "此后按月到期的N期欠款取代；本金和手续费（金额 × 政策费率表中的费率，或该"
                    "笔分期所报的费率）精确到分分摊，尾差计入最后一期。",
                    fired="{date}将账单 {subject} 的{amount}元分为{periods}期（账单分期）："
                    "手续费率{fee_rate}，手续费{fee}元；首期{first_due}到期，末期{last_due}"
                    "到期，每期{installment}元（末期{last_installment}元），账单上剩余"
                    "{left_on_bill}元。",
                )
            },
        )
    )


@hookimpl
def adjust_timeline(provider: Provider, context: Context) -> None:
    """Convert the bills of a Huabei account that the borrower turned into installments."""
    if provider.id != PROVIDER_ID:
        return
    convert(context, provider.policy)


@hookimpl
def provider_actions(
    assessment: Assessment, account: Account, provider: Provider, registry: Registry
) -> Iterable[Action] | None:
    """Offer to convert an open Huabei bill into installments (``convert_to_installments``).

    One action per bill whose statement date has passed and whose due date has not,
    still unpaid, on a revolving account with a ``bill_installment_fees`` table: convert
    it into the fewest periods of the table, for its fee. Its events are the
    :class:`BillInstallment` itself, so the planner measures its effect by simulation.

    Args:
        assessment: The assessment the actions are for.
        account: The account as known at ``assessment.as_of``.
        provider: The account's provider; the hook acts only for ``huabei``.
        registry: The registry the assessment was made with (its bureau, its simulations).

    Returns:
        The actions, or ``None`` for another provider's account.
    """
    if provider.id != PROVIDER_ID:
        return None
    from ._actions import installment_actions  # lazy: start-up (texts, scenarios)

    return installment_actions(assessment, account, provider, registry)
