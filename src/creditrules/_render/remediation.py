"""What to do: the actions of an assessment, a negotiated plan, a what-if comparison.

Used by ``creditrules plan`` (:func:`render_actions`, :func:`render_plan`,
:func:`plan_data`) and ``creditrules compare`` (:func:`render_comparison`,
:func:`comparison_data`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from .._convert import to_dict
from .._plugins import Registry
from ..assessment import Assessment
from ..comparison import Comparison
from ..model import Event
from ..money import format_money
from ..remediation import Action, NegotiatedPlan
from .common import indent, plain_table

__all__ = ["comparison_data", "plan_data", "render_actions", "render_comparison", "render_plan"]


def _sources(action_citations: Sequence[Any]) -> Text:
    text = Text()
    for index, citation in enumerate(action_citations):
        if index:
            text.append("\n")
        text.append(f"[{citation.grade}] {citation.source}", style="dim")
    return text


def _action(action: Action) -> list[RenderableType]:
    head = Text(f"{action.priority:>2}. ", style="bold")
    head.append(action.title, style="bold")
    head.append(f"  ({action.code})", style="dim")
    facts = []
    if action.deadline is not None:
        facts.append(f"by {action.deadline}")
    if action.amount is not None:
        facts.append(f"amount {format_money(action.amount)}")
    if action.pay_to:
        facts.append(f"pay to {action.pay_to} only")
    parts: list[RenderableType] = [head]
    if facts:
        parts.append(indent(Text(" · ".join(facts), style="cyan")))
    parts.append(indent(Text(action.effect.text)))
    if action.steps:
        parts.append(indent(Text("\n".join(f"• {step}" for step in action.steps))))
    if action.citations:
        parts.append(indent(_sources(action.citations)))
    if action.origin != "creditrules":
        parts.append(indent(Text(f"from the plugin {action.origin}", style="dim")))
    return parts


def render_actions(assessment: Assessment) -> RenderableType:
    """Lay out the actions of an assessment, most urgent first."""
    header = Text(f"{assessment.account_id}", style="bold")
    header.append(f" · what to do, as of {assessment.as_of}")
    parts: list[RenderableType] = [header]
    if not assessment.actions:
        parts.append(
            Text("Nothing to do: nothing is overdue and the report shows nothing negative.")
        )
    for action in assessment.actions:
        parts.append(Text(""))
        parts.extend(_action(action))
    return Group(*parts)


def render_plan(plan: NegotiatedPlan) -> RenderableType:
    """Lay out a negotiated repayment plan: figures, installments, policy notes, checklist."""
    parts: list[RenderableType] = [
        Text("\nNegotiated repayment plan (协商还款) to propose", style="bold"),
    ]
    lines = [
        f"With: {plan.counterparty}, signed on {plan.start}",
        f"Replaces: {format_money(plan.owed)} owed"
        + (
            f" after a down payment of {format_money(plan.down_payment)}"
            if plan.down_payment
            else ""
        ),
        f"Plan: {plan.term_months} × {format_money(plan.monthly)} a month, "
        f"{plan.first_due} to {plan.last_due} (capacity {format_money(plan.capacity)})",
        f"Total: {format_money(plan.total)}; repaying everything on {plan.as_of}: "
        f"{format_money(plan.pay_now)} ({format_money(plan.extra_cost)} more)",
        f"Longest plan: {plan.policy.max_term_months} months"
        + ("" if plan.policy.max_term_known else " (the lender's maximum is unknown)"),
        "Penalty stops once signed: "
        + {None: "unknown", True: "yes", False: "no"}[plan.policy.penalty_stops],
    ]
    parts.append(indent(Text("\n".join(lines)), 2))
    if not plan.feasible:
        parts.append(
            indent(
                Text(
                    f"Even the longest plan needs {format_money(plan.monthly)} a month, more than "
                    f"{format_money(plan.capacity)}: offer what you can and say so.",
                    style="bold yellow",
                ),
                2,
            )
        )
    parts.append(indent(Text(plan.effect.text), 2))
    table = plain_table()
    table.add_column("#", justify="right")
    table.add_column("due")
    table.add_column("amount", justify="right")
    for number, installment in enumerate(plan.installments, start=1):
        table.add_row(str(number), str(installment.due_date), format_money(installment.amount))
    parts.append(indent(table, 2))
    for note in plan.policy.notes:
        parts.append(indent(Text(note, style="italic"), 2))
    parts.append(Text("\nChecklist", style="bold"))
    parts.append(indent(Text("\n".join(f"• {step}" for step in plan.checklist)), 2))
    parts.append(indent(_sources(plan.citations), 2))
    return Group(*parts)


def plan_data(plan: NegotiatedPlan, registry: Registry) -> dict[str, Any]:
    """The plan as plain data, with its derived figures and its agreement event.

    Args:
        plan: The plan.
        registry: The registry whose converter writes the values.
    """
    data: dict[str, Any] = to_dict(plan, converter=registry.converter)
    data.update(
        term_months=plan.term_months,
        monthly=str(plan.monthly),
        first_due=plan.first_due.isoformat(),
        last_due=plan.last_due.isoformat(),
        total=str(plan.total),
        extra_cost=str(plan.extra_cost),
        feasible=plan.feasible,
        agreement=to_dict(plan.as_event(), Event, converter=registry.converter),
    )
    return data


def render_comparison(table: Comparison) -> RenderableType:
    """Lay out a comparison: one row per scenario."""
    grid = plain_table()
    grid.add_column("scenario", overflow="fold", min_width=12, ratio=1)
    for title in ("cost", "penalty", "paid", "to clear", "DPD", "max", "neg."):
        grid.add_column(title, justify="right", no_wrap=True)
    grid.add_column("worst", justify="center", no_wrap=True)
    grid.add_column("clean on", no_wrap=True)
    for row in table:
        name = Text(row.name)
        if row.ignored_events:  # said in the table itself, not only under it
            name.append(f"\n(not applied: dated after {table.as_of})", style="yellow")
        grid.add_row(
            name,
            format_money(row.total_cost),
            format_money(row.penalty),
            format_money(row.paid),
            format_money(row.payoff if row.payoff is not None else row.balance),
            str(row.days_past_due),
            str(row.max_days_past_due),
            str(row.negative_months),
            row.worst_status,
            str(row.clean_on) if row.clean_on is not None else "unpaid",
        )
    header = Text(f"{table.account_id}", style="bold")
    header.append(f" · scenarios as of {table.as_of}")
    notes = [
        Text(
            f"cost: interest, fees and penalty charged up to {table.as_of}, less waivers · "
            f"to clear: what a payment on {table.as_of} must be to clear the account (its "
            "payoff) · DPD: days past due now, max: the most ever · neg.: months the "
            "report recorded as negative · clean on: first day nothing negative shows",
            style="dim",
        )
    ]
    ignored = [row.name for row in table if row.ignored_events]
    if ignored:
        notes.append(
            Text(
                f"Events after {table.as_of} were not applied in: {', '.join(ignored)}; "
                "give --as-of on or after their dates to compare them",
                style="yellow",
            )
        )
    return Group(header, grid, *notes)


def comparison_data(table: Comparison, registry: Registry) -> dict[str, Any]:
    """The comparison as plain data.

    Args:
        table: The comparison.
        registry: The registry whose converter writes the values.
    """
    data: dict[str, Any] = to_dict(table, converter=registry.converter)
    return data
