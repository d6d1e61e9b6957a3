"""An assessment: days past due, components, cost, episodes, due items, policy in force."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .._plugins import Registry
from ..assessment import Assessment, Components
from ..money import format_money
from ..policy import PARAMETERS, AppliedValue
from .common import plain_table, rate_hint, section
from .report import summary_line

__all__ = ["render_assessment"]

_STATUS_STYLES = {
    "overdue": "bold red",
    "in_grace": "yellow",
    "paid_late": "yellow",
    "paid_on_time": "green",
    "paid_in_grace": "green",
}


def render_assessment(assessment: Assessment, registry: Registry) -> RenderableType:
    """Lay out an assessment for the terminal.

    Args:
        assessment: The assessment.
        registry: The registry it was computed with (for the provider's name and
            the credit report's bureau).

    Returns:
        A rich renderable.
    """
    parts: list[RenderableType] = []
    provider = registry.providers.get(assessment.provider)
    name = provider.display_name if provider is not None else assessment.provider
    header = Text(f"{assessment.account_id}", style="bold")
    header.append(f" · {name} ({assessment.provider}) · as of {assessment.as_of}")
    parts.append(header)

    dpd = assessment.days_past_due
    status = Text("Days past due: ")
    status.append(str(dpd), style="bold red" if dpd else "bold green")
    if assessment.current_episode is not None:
        status.append(f"  (overdue since {assessment.current_episode.start})", style="red")
    parts.append(status)

    unknowns = assessment.unknowns
    if unknowns:
        parts.append(
            Panel(
                Text("\n".join(f"• {u}" for u in unknowns)),
                title="Unknown — not computed",
                title_align="left",
                border_style="bold yellow",
            )
        )

    warnings = assessment.warnings
    if warnings:
        parts.append(
            Panel(
                Text("\n".join(f"• {w}" for w in warnings)),
                title="Warning — check these values",
                title_align="left",
                border_style="bold red",
            )
        )

    parts.append(_components_table(assessment))
    if assessment.payoff is not None:
        payoff = Text(f"To repay everything on {assessment.as_of} (payoff): ")
        payoff.append(format_money(assessment.payoff), style="bold")
        parts.append(payoff)
    cost = Text(f"Cost so far (interest + fees + penalty charged up to {assessment.as_of}): ")
    cost.append(format_money(assessment.cost), style="bold")
    parts.append(cost)
    parts.extend(Text(note) for note in _notes(assessment))

    if assessment.report is not None:
        parts.append(Text(f"Credit report: {summary_line(assessment.report, registry)}"))

    if assessment.episodes:
        parts.append(section("Overdue episodes"))
        parts.append(_episodes_table(assessment))
    if assessment.items:
        parts.append(section("Due items"))
        parts.append(_items_table(assessment))
    parts.append(section(f"Policy in force on {assessment.as_of}"))
    parts.append(_policy_table(assessment.policy))
    return Group(*parts)


def _notes(assessment: Assessment) -> list[str]:
    """The lines under the cost: credit, assignee, guarantor, write-off, closing, ignored events."""
    notes = []
    if assessment.credit:
        notes.append(f"Credit (paid beyond what was due): {format_money(assessment.credit)}")
    if assessment.owed_to and assessment.owed_to != assessment.provider:
        notes.append(f"Owed to: {assessment.owed_to}")
    for label, day in (
        ("Guarantor paid (代偿) on", assessment.guarantor_paid_on),
        ("Written off on", assessment.written_off_on),
        ("Closed on", assessment.closed_on),
    ):
        if day is not None:
            notes.append(f"{label} {day}")
    if assessment.ignored_events:
        notes.append(
            f"{assessment.ignored_events} event(s) dated after {assessment.as_of} not applied"
        )
    return notes


def _components_table(assessment: Assessment) -> Table:
    columns: dict[str, Components] = {
        "balance": assessment.balance,
        "overdue": assessment.overdue,
        "charged": assessment.charged,
        "paid": assessment.paid,
    }
    table = plain_table()
    table.add_column("")
    for title in columns:
        table.add_column(title, justify="right")
    for component in ("principal", "interest", "fees", "penalty", "total"):
        cells = [format_money(c.get(component)) for c in columns.values()]
        style = "bold" if component == "total" else None
        table.add_row(component, *cells, style=style)
    return table


def _episodes_table(assessment: Assessment) -> Table:
    table = plain_table()
    table.add_column("start")
    table.add_column("end")
    table.add_column("max DPD", justify="right")
    table.add_column("max overdue", justify="right")
    for episode in assessment.episodes:
        end = Text(str(episode.end)) if episode.end else Text("ongoing", style="bold red")
        table.add_row(
            str(episode.start),
            end,
            str(episode.max_days_past_due),
            format_money(episode.max_overdue_amount),
        )
    return table


def _items_table(assessment: Assessment) -> Table:
    table = plain_table()
    table.add_column("item", overflow="fold")
    table.add_column("due date", no_wrap=True)
    for title in ("due", "paid", "outstanding"):
        table.add_column(title, justify="right", no_wrap=True)
    table.add_column("status")
    table.add_column("DPD", justify="right")
    for item in assessment.items:
        table.add_row(
            item.id,
            str(item.due_date),
            format_money(item.scheduled.total),
            format_money(item.paid.total),
            format_money(item.outstanding.total),
            Text(item.status, style=_STATUS_STYLES.get(item.status, "")),
            str(item.days_past_due),
        )
    return table


def _policy_table(applied: Sequence[AppliedValue]) -> Table:
    table = plain_table()
    table.add_column("parameter", no_wrap=True)
    table.add_column("value", max_width=22)
    table.add_column("layer", no_wrap=True)
    table.add_column("grade", no_wrap=True)
    table.add_column("source", min_width=14, overflow="fold")
    for item in applied:
        value = item.value
        if item.layer == "default":  # the engine convention: name the brief's section only
            source = Text(f"convention {PARAMETERS[value.name].spec}")
        else:
            source = Text(value.source)
            if value.note:
                source.append(f"\n{value.note}", style="italic")
        table.add_row(
            value.name,
            rate_hint(value.name, value.value),
            item.layer,
            value.grade,
            source,
            style="dim" if item.layer == "default" else None,
        )
    return table
