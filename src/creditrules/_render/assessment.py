"""An assessment: days past due, components, cost, episodes, due items, policy in force."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .._i18n import N_, Messages
from .._plugins import Registry
from ..assessment import Assessment, Components, DueItemResult
from ..money import format_money
from ..policy import PARAMETERS, AppliedValue
from ..provider import Provider
from .cjk import wrapped
from .common import (
    ENGLISH,
    KeyedTable,
    bullets,
    indent,
    pack,
    plain_table,
    provider_text,
    rate_hint,
    section,
    source_lines,
    translate_known,
    value_items,
)
from .report import summary_line

__all__ = ["render_assessment"]

_STATUS_WORDS = {
    "overdue": N_("overdue"),
    "in_grace": N_("in grace"),
    "paid_late": N_("paid late"),
    "paid_on_time": N_("paid on time"),
    "paid_in_grace": N_("paid in grace"),
    "open": N_("open"),
    "not_due": N_("not due"),
    "revolved": N_("revolved"),
    "cancelled": N_("cancelled"),
    "restructured": N_("restructured"),
}
_COMPONENTS = {
    "principal": N_("principal"),
    "interest": N_("interest"),
    "fees": N_("fees"),
    "penalty": N_("penalty"),
    "total": N_("total"),
}
_FIGURES = {
    "balance": N_("balance"),
    "overdue": N_("overdue"),
    "charged": N_("charged"),
    "paid": N_("paid"),
}
_LAYERS = {"default": N_("default"), "provider": N_("provider"), "account": N_("account")}
_STATUS_STYLES = {
    "overdue": "bold red",
    "in_grace": "yellow",
    "paid_late": "yellow",
    "paid_on_time": "green",
    "paid_in_grace": "green",
}


def render_assessment(
    assessment: Assessment, registry: Registry, tr: Messages = ENGLISH
) -> RenderableType:
    """Lay out an assessment for the terminal.

    Args:
        assessment: The assessment.
        registry: The registry it was computed with (for the provider's name and
            the credit report's bureau).
        tr: The messages of the language to use.

    Returns:
        A rich renderable.
    """
    parts: list[RenderableType] = []
    provider = registry.providers.get(assessment.provider)
    name = provider.display_name if provider is not None else assessment.provider
    header = Text(f"{assessment.account_id}", style="bold")
    header.append(f" · {name} ({assessment.provider}) · ")
    header.append(tr._("as of {date}", date=tr.date(assessment.as_of)))
    parts.append(header)

    dpd = assessment.days_past_due
    status = Text(tr._("Days past due: "))
    status.append(str(dpd), style="bold red" if dpd else "bold green")
    if assessment.current_episode is not None:
        since = tr._("overdue since {date}", date=str(assessment.current_episode.start))
        status.append("  " + tr._("({text})", text=since), style="red")
    parts.append(status)

    if assessment.unknowns:
        unknowns = [_unknown(text, provider, tr) for text in assessment.unknowns]
        parts.append(_box(unknowns, tr._("Unknown — not computed"), "bold yellow", tr))
    if assessment.warnings:
        texts = [w.text(tr) for w in assessment.warnings]
        parts.append(_box(texts, tr._("Warning — check these values"), "bold red", tr))

    parts.append(_components_table(assessment, tr))
    if assessment.payoff is not None:
        payoff = Text(tr._("To repay everything on {date} (payoff): ", date=str(assessment.as_of)))
        payoff.append(format_money(assessment.payoff), style="bold")
        parts.append(wrapped(payoff, tr))
    cost = Text(
        tr._(
            "Cost so far (interest + fees + penalty charged up to {date}): ",
            date=str(assessment.as_of),
        )
    )
    cost.append(format_money(assessment.cost), style="bold")
    parts.append(wrapped(cost, tr))
    parts.extend(wrapped(note, tr) for note in _notes(assessment, tr))

    if assessment.report is not None:
        line = summary_line(assessment.report, registry, tr)
        parts.append(wrapped(tr._("Credit report: {summary}", summary=line), tr))

    if assessment.episodes:
        parts.append(section(tr._("Overdue episodes")))
        parts.append(_episodes_table(assessment, tr))
    if assessment.items:
        parts.append(section(tr._("Due items")))
        parts.append(_items_table(assessment, tr))
    parts.append(section(tr._("Policy in force on {date}", date=str(assessment.as_of))))
    parts.extend(_policy_table(assessment.policy, provider, tr))
    return Group(*parts)


#: What the engine says when no penalty rate is known and the provider said nothing.
_PENALTY_UNKNOWN = N_(
    "penalty: no penalty rate is known for this provider; give penalty_daily_rate "
    "from your contract in the account's [policy] table"
)


def _unknown(text: str, provider: Provider | None, tr: Messages) -> str:
    """One of the assessment's unknowns (``name: why``) in the locale's words.

    The reason is the provider's (from its ``unknown`` list) in its own translation, or
    one of the engine's messages from the catalogue; anything else is shown as it is.
    """
    name, _, why = text.partition(": ")
    reasons = dict(provider.unknown) if provider is not None else {}
    if name in PARAMETERS and reasons.get(name) == why:
        return tr._(
            "{parameter}: {reason}", parameter=name, reason=provider_text(why, provider, tr)
        )
    return translate_known(text, (_PENALTY_UNKNOWN,), tr)


def _notes(assessment: Assessment, tr: Messages) -> list[str]:
    """The lines under the cost: credit, assignee, guarantor, write-off, closing, ignored events."""
    notes = []
    if assessment.credit:
        credit = format_money(assessment.credit)
        notes.append(tr._("Credit (paid beyond what was due): {amount}", amount=credit))
    if assessment.owed_to and assessment.owed_to != assessment.provider:
        notes.append(tr._("Owed to: {creditor}", creditor=assessment.owed_to))
    for label, day in (
        (N_("Guarantor paid (代偿) on {date}"), assessment.guarantor_paid_on),
        (N_("Written off on {date}"), assessment.written_off_on),
        (N_("Closed on {date}"), assessment.closed_on),
    ):
        if day is not None:
            notes.append(tr._(label, date=str(day)))
    if assessment.ignored_events:
        notes.append(
            tr._(
                "{n} event(s) dated after {date} not applied",
                n=assessment.ignored_events,
                date=str(assessment.as_of),
            )
        )
    return notes


def _components_table(assessment: Assessment, tr: Messages) -> Table:
    columns: dict[str, Components] = {
        "balance": assessment.balance,
        "overdue": assessment.overdue,
        "charged": assessment.charged,
        "paid": assessment.paid,
    }
    table = plain_table()
    table.add_column("")
    for title in columns:
        table.add_column(tr._(_FIGURES[title]), justify="right")
    for component in ("principal", "interest", "fees", "penalty", "total"):
        cells = [format_money(c.get(component)) for c in columns.values()]
        style = "bold" if component == "total" else None
        table.add_row(tr._(_COMPONENTS[component]), *cells, style=style)
    return table


def _episodes_table(assessment: Assessment, tr: Messages) -> Table:
    table = plain_table()
    table.add_column(tr._("start"))
    table.add_column(tr._("end"))
    table.add_column(tr._("max DPD"), justify="right")
    table.add_column(tr._("max overdue"), justify="right")
    for episode in assessment.episodes:
        end = Text(str(episode.end)) if episode.end else Text(tr._("ongoing"), style="bold red")
        table.add_row(
            str(episode.start),
            end,
            str(episode.max_days_past_due),
            format_money(episode.max_overdue_amount),
        )
    return table


def _items_table(assessment: Assessment, tr: Messages) -> KeyedTable:
    """Every due item: id, due date, amounts and its status with the days past due.

    An item's days past due are shown with its status (``overdue, 12 days``) rather
    than in a column of their own, which would mostly hold zeros; an id too long for
    the console is printed on a line of its own above its row (:class:`KeyedTable`).
    """
    table = KeyedTable(
        [tr._("item"), tr._("due date"), tr._("due"), tr._("paid"), tr._("unpaid"), tr._("status")],
        ["left", "left", "right", "right", "right", "left"],
    )
    for item in assessment.items:
        table.add_row(
            item.id,
            str(item.due_date),
            format_money(item.scheduled.total),
            format_money(item.paid.total),
            format_money(item.outstanding.total),
            Text(_status(item, tr), style=_STATUS_STYLES.get(item.status, "")),
        )
    return table


def _status(item: DueItemResult, tr: Messages) -> str:
    """An item's status in words, with its days past due when it has any."""
    status = tr._(_STATUS_WORDS.get(item.status, item.status))
    if not item.days_past_due:
        return status
    return tr.ngettext("{status}, {n} day", "{status}, {n} days", item.days_past_due, status=status)


#: The widest a policy value is shown; a list wraps between its items.
_VALUE_WIDTH = 18


def _value(item: AppliedValue, tr: Messages) -> str:
    """A policy value for the table; a list or table of values is wrapped between items."""
    value = item.value.value
    if isinstance(value, tuple) and value:
        return pack(value_items(value, tr), tr.comma(), _VALUE_WIDTH)
    return rate_hint(item.value.name, value, tr)


def _policy_table(
    applied: Sequence[AppliedValue], provider: Provider | None, tr: Messages
) -> list[RenderableType]:
    """The policy in force, and under it the sources the table points to by number.

    A convention is cited in the table by its section; a provider's or the account's
    source (often a URL) is a footnote ``[n]`` printed in full below, so it is never
    squeezed into a narrow column.
    """
    table = plain_table()
    table.add_column(tr._("parameter"), no_wrap=True)
    table.add_column(tr._("value"), max_width=_VALUE_WIDTH, overflow="fold")
    table.add_column(tr._("layer"), no_wrap=True)
    table.add_column(tr._("grade"), no_wrap=True)
    table.add_column(tr._("source"), no_wrap=True)
    footnotes: dict[tuple[str, str], int] = {}
    for item in applied:
        value = item.value
        if item.layer == "default":  # the engine convention: name its section only
            source = tr._("convention {section}", section=PARAMETERS[value.name].spec)
        else:
            number = footnotes.setdefault((value.source, value.note), len(footnotes) + 1)
            source = f"[{number}]"
        table.add_row(
            value.name,
            _value(item, tr),
            tr._(_LAYERS.get(item.layer, item.layer)),
            value.grade,
            source,
            style="dim" if item.layer == "default" else None,
        )
    notes = Table.grid(padding=(0, 1))
    notes.add_column(no_wrap=True)
    notes.add_column(overflow="fold")
    for (text, note), number in footnotes.items():
        cell = Text(source_lines(text, provider, tr))
        if note:
            cell.append(f"\n{provider_text(note, provider, tr)}", style="italic")
        notes.add_row(f"[{number}]", wrapped(cell, tr))
    return [table, indent(notes, 0)] if footnotes else [table]


def _box(lines: Sequence[str], title: str, style: str, tr: Messages) -> Panel:
    """A titled box of bullet lines (the unknowns, the warnings)."""
    return Panel(
        bullets(lines, tr),
        title=title,
        title_align="left",
        border_style=style,
    )
