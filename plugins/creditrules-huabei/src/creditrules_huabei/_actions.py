"""The bill-installment action: convert a bill before its due date (private).

The plugin's ``provider_actions`` hookimpl returns these actions; the core planner
ranks them with its own and re-measures their effect by simulation.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import cast

import attrs

import creditrules
from creditrules import (
    Account,
    Assessment,
    Bill,
    Bureau,
    Citation,
    DueItemResult,
    Event,
    Policy,
    PolicySet,
    Provider,
    Registry,
    Scenario,
)
from creditrules.model import add_months
from creditrules.money import EXACT, FEN, to_fen
from creditrules.remediation import Action, Effect, Phrase

from ._installments import BillInstallment, installment_problems

__all__ = ["CODE", "installment_actions"]

#: The action's code (a key of :data:`creditrules.remediation.CATALOGUE`).
CODE = "convert_to_installments"

#: What the action is measured against: doing nothing more (the name of the baseline row).
_BASELINE = "paying nothing more"
#: The same words in any locale (creditrules' catalogue has them).
_NOTHING_MORE = Phrase(_BASELINE)


def installment_actions(
    assessment: Assessment, account: Account, provider: Provider, registry: Registry
) -> list[Action]:
    """Offer to convert each bill that can still be converted into installments.

    A bill qualifies when the assessment date is between its statement date and its
    due date (inclusive) and it is still open and unpaid (nothing paid, something
    owed, not already converted), on a revolving account whose policy has a
    ``bill_installment_fees`` table. The action converts into the fewest periods of
    the table; its steps list every option with its fee.

    Args:
        assessment: The assessment the actions are for.
        account: The account as known at ``assessment.as_of``.
        provider: The Huabei provider (its policy holds the fee table).
        registry: The registry in force (its bureau's snapshot days; its simulations).

    Returns:
        One ``convert_to_installments`` action per qualifying bill.
    """
    as_of = assessment.as_of
    policies = PolicySet(provider=provider.policy, account=account.policy)
    policy = policies.at(as_of)
    table: tuple[tuple[int, Decimal], ...] = policy.bill_installment_fees
    if not table or account.product != "revolving":
        return []
    found: list[Action] = []
    for bill in account.bills:
        item = _open_item(assessment, bill)
        if item is None:
            continue
        periods, _ = table[0]
        event = BillInstallment(as_of, bill.id, periods)
        converted = attrs.evolve(account, events=(*account.events, _as_event(event)))
        if installment_problems(converted, provider.policy):
            continue
        horizon = _snapshot_on_or_after(bill.due_date, policies, registry.bureau(policy.bureau))
        found.append(_action(assessment, account, provider, policy, item, event, horizon, registry))
    return found


def _open_item(assessment: Assessment, bill: Bill) -> DueItemResult | None:
    """The bill's due item if the bill can be converted today, else ``None``."""
    if not bill.statement_date <= assessment.as_of <= bill.due_date:
        return None
    try:
        item = assessment.item(bill.id)
    except KeyError:  # already converted: its installments replaced it
        return None
    live = item.settled_on is None and item.status not in ("cancelled", "revolved")
    if not live or item.paid.total > 0 or item.outstanding.total <= 0:
        return None
    return item


def _action(
    assessment: Assessment,
    account: Account,
    provider: Provider,
    policy: Policy,
    item: DueItemResult,
    event: BillInstallment,
    horizon: dt.date,
    registry: Registry,
) -> Action:
    table: tuple[tuple[int, Decimal], ...] = policy.bill_installment_fees
    periods, rate = table[0]
    amount = item.outstanding.total
    due = item.due_date
    fee = _fee(amount, rate)
    lead = Phrase(
        "The bill of {amount} due {due} becomes {periods} monthly installments, the first due "
        "a month later, for a fee of {fee}: nothing is past due on {due}.",
        translations={
            "zh_CN": "{due}到期的{amount}元账单转为{periods}期按月分期，首期在一个月后到期，"
            "手续费{fee}元：{due}不会逾期。"
        },
        amount=amount,
        due=due,
        periods=periods,
        fee=fee,
    )
    effect = _measure(lead, account, event, horizon, registry)
    owed_to = assessment.owed_to
    applied = policy.origin("bill_installment_fees").value
    return Action(
        code=CODE,
        title=Phrase(
            "If you cannot pay the bill due {due} in full: convert it into {periods} "
            "installments (fee {fee})",
            translations={
                "zh_CN": "如果无法全额偿还{due}到期的账单：将其分{periods}期（手续费{fee}元）"
            },
            due=due,
            periods=periods,
            fee=fee,
        ),
        deadline=due,
        amount=amount,
        effect=effect,
        steps=[
            Phrase(
                "In the {app} app, convert the bill due {due} into installments (账单分期) "
                "on or before {due}.",
                translations={
                    "zh_CN": "在{app} App中，于{due}或之前为{due}到期的账单办理账单分期。"
                },
                app=provider.display_name,
                due=due,
            ),
            Phrase(
                "Options and their fees: {options}.",
                translations={"zh_CN": "可选期数及手续费：{options}。"},
                options=Phrase.join(_options(amount, table), "clauses"),
            ),
            Phrase(
                "It costs a fee: paying the bill in full by its due date costs nothing. "
                "Convert only what you cannot pay.",
                translations={
                    "zh_CN": "分期要收手续费：在到期日前全额还款则不花任何费用。"
                    "只为无力偿还的部分办理分期。"
                },
            ),
            Phrase(
                "Then pay every installment on its due date: a missed installment is overdue "
                "like any bill.",
                translations={
                    "zh_CN": "之后每期都按到期日还款：任何一期未按时还款都和普通账单一样算逾期。"
                },
            ),
        ],
        citations=[
            Citation(
                "bill_installment_fees",
                Phrase(
                    "Total fee of converting a bill into N installments, by N.",
                    translations={"zh_CN": "账单分N期的总手续费，按期数N列出。"},
                ),
                applied.source,
                applied.grade,
                applied.note,
            )
        ],
        events=(_as_event(event),),
        pay_to=provider.display_name if owed_to in ("", provider.id) else owed_to,
        details={
            "bill": event.bill,
            "periods": str(periods),
            "fee_rate": str(rate),
            "fee": str(fee),
        },
    )


def _options(amount: Decimal, table: tuple[tuple[int, Decimal], ...]) -> list[Phrase]:
    """Every option of the fee table: its fee and about what each month costs."""
    options = []
    for periods, rate in table:
        fee = _fee(amount, rate)
        with decimal.localcontext(EXACT):
            monthly = ((amount + fee) / periods).quantize(FEN, rounding=decimal.ROUND_CEILING)
            percent = f"{rate * 100:.1f}"
        options.append(
            Phrase(
                "{periods} months: fee {fee} ({percent}%), about {monthly} a month",
                translations={
                    "zh_CN": "{periods}期：手续费{fee}元（{percent}%），每月约{monthly}元"
                },
                periods=periods,
                fee=fee,
                percent=percent,
                monthly=monthly,
            )
        )
    return options


def _measure(
    lead: Phrase, account: Account, event: BillInstallment, horizon: dt.date, registry: Registry
) -> Effect:
    """The effect of converting, simulated at ``horizon`` against paying nothing more.

    The core planner measures the action again, with the same two simulations, and
    keeps the text: the figures stated are the figures it obtains.
    """
    baseline, converted = creditrules.compare(
        account,
        [Scenario("convert", (_as_event(event),))],
        as_of=horizon,
        baseline=_BASELINE,
        registry=registry,
    )
    # The fees of the installments count from the start, billed or not (cost_to_come).
    cost_saved = (baseline.total_cost + baseline.cost_to_come) - (
        converted.total_cost + converted.cost_to_come
    )
    avoided = baseline.negative_months - converted.negative_months
    # The figures in the words of the core planner's effects (creditrules' catalogue has them).
    figures = []
    if cost_saved > 0:
        figures.append(Phrase("{amount} less in interest, fees and penalty", amount=cost_saved))
    elif cost_saved < 0:
        figures.append(Phrase("{amount} more in fees and interest", amount=-cost_saved))
    if avoided:
        figures.append(
            Phrase(
                "{n} negative month fewer on the credit report"
                if avoided > 0
                else "{n} negative month more on the credit report",
                plural="{n} negative months fewer on the credit report"
                if avoided > 0
                else "{n} negative months more on the credit report",
                n=abs(avoided),
            )
        )
    text = lead
    if figures:
        compared = Phrase(
            "Compared with {baseline} until {date}: {figures}.",
            baseline=_NOTHING_MORE,
            date=horizon,
            figures=Phrase.join(figures, "list"),
        )
        text = Phrase.join([lead, compared])
    return Effect(text, cost_saved=cost_saved, negative_months_avoided=avoided, horizon=horizon)


def _as_event(event: BillInstallment) -> Event:
    # creditrules.Event names the core's event types only; a plugin's own types are
    # registered at run time (register_event_types) and accepted wherever events are.
    return cast(Event, event)


def _fee(amount: Decimal, rate: Decimal) -> Decimal:
    """The fee of converting ``amount`` at ``rate``, rounded half-up to the fen."""
    with decimal.localcontext(EXACT):
        return to_fen(amount * rate)


def _snapshot_on_or_after(day: dt.date, policies: PolicySet, bureau: Bureau) -> dt.date:
    """The first snapshot day of the credit report on or after ``day``."""
    snapshot = _snapshot_day(day.year, day.month, policies, bureau)
    if snapshot >= day:
        return snapshot
    following = add_months(dt.date(day.year, day.month, 1), 1)
    return _snapshot_day(following.year, following.month, policies, bureau)


def _snapshot_day(year: int, month: int, policies: PolicySet, bureau: Bureau) -> dt.date:
    """The month's snapshot day: the ``snapshot`` policy value if set, else the bureau's."""
    applied = policies.at(dt.date(year, month, 1)).origin("snapshot")
    rule = None if applied.layer == "default" else applied.value.value
    return bureau.snapshot_day(year, month, rule)
