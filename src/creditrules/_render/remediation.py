"""What to do: the actions of an assessment, a negotiated plan, a what-if comparison.

Used by ``creditrules plan`` (:func:`render_actions`, :func:`render_plan`,
:func:`plan_data`) and ``creditrules compare`` (:func:`render_comparison`,
:func:`comparison_data`).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from .._convert import to_dict
from .._i18n import N_, Messages
from .._plugins import Registry
from ..assessment import Assessment
from ..bureau import Citation
from ..comparison import Comparison
from ..model import Event
from ..money import format_money
from ..provider import Provider
from ..remediation import Action, NegotiatedPlan, localized
from .cjk import wrapped
from .common import ENGLISH, indent, plain_table, provider_source

__all__ = [
    "comparison_data",
    "error_text",
    "no_plan_note",
    "plan_data",
    "render_actions",
    "render_comparison",
    "render_plan",
]


def _sources(citations: Sequence[Citation], tr: Messages, provider: Provider | None) -> Text:
    """The sources of an action or a plan, one a line, with their grade.

    A source the provider gives is in its own words where it translates it.
    """
    text = Text()
    for index, citation in enumerate(citations):
        if index:
            text.append("\n")
        source = provider_source(citation.source, provider, tr)
        text.append(tr._("[{grade}] {source}", grade=citation.grade, source=source), style="dim")
    return text


def _bullets(texts: Sequence[str], tr: Messages) -> str:
    """Texts one a line, each after a bullet, in the locale."""
    return "\n".join(f"• {localized(text, tr)}" for text in texts)


def _action(action: Action, tr: Messages, provider: Provider | None) -> list[RenderableType]:
    """One action: its title and code, facts, effect, steps, sources and origin."""
    head = Text(f"{action.priority:>2}. ", style="bold")
    head.append(localized(action.title, tr), style="bold")
    head.append(f"  ({action.code})", style="dim")
    facts = []
    if action.deadline is not None:
        facts.append(tr._("by {date}", date=tr.date(action.deadline)))
    if action.amount is not None:
        facts.append(tr._("amount {amount}", amount=format_money(action.amount)))
    if action.pay_to:
        facts.append(tr._("pay to {name} only", name=action.pay_to))
    parts: list[RenderableType] = [wrapped(head, tr)]
    if facts:
        parts.append(indent(wrapped(" · ".join(facts), tr, "cyan")))
    parts.append(indent(wrapped(localized(action.effect.text, tr), tr)))
    if action.steps:
        parts.append(indent(wrapped(_bullets(action.steps, tr), tr)))
    if action.citations:
        parts.append(indent(wrapped(_sources(action.citations, tr, provider), tr)))
    if action.origin != "creditrules":
        parts.append(indent(wrapped(tr._("from the plugin {name}", name=action.origin), tr, "dim")))
    return parts


def render_actions(
    assessment: Assessment, tr: Messages = ENGLISH, provider: Provider | None = None
) -> RenderableType:
    """Lay out the actions of an assessment, most urgent first, in the words of ``tr``.

    Args:
        assessment: The assessment.
        tr: The messages of the language.
        provider: The account's provider, whose own words translate the sources it gives.
    """
    header = Text(f"{assessment.account_id}", style="bold")
    header.append(" · " + tr._("what to do, as of {date}", date=tr.date(assessment.as_of)))
    parts: list[RenderableType] = [wrapped(header, tr)]
    if not assessment.actions:
        parts.append(
            wrapped(
                tr._("Nothing to do: nothing is overdue and the report shows nothing negative."), tr
            )
        )
    for action in assessment.actions:
        parts.append(Text(""))
        parts.extend(_action(action, tr, provider))
    return Group(*parts)


_PENALTY_STOPS = {None: N_("unknown"), True: N_("yes"), False: N_("no")}


def render_plan(
    plan: NegotiatedPlan, tr: Messages = ENGLISH, provider: Provider | None = None
) -> RenderableType:
    """Lay out a negotiated repayment plan: figures, installments, policy notes, checklist.

    Args:
        plan: The plan.
        tr: The messages of the language.
        provider: The account's provider, whose own words translate the sources it gives.
    """
    parts: list[RenderableType] = [
        Text("\n" + tr._("Negotiated repayment plan (协商还款) to propose"), style="bold"),
    ]
    money = format_money
    policy = plan.policy
    lines = [
        tr._(
            "With: {creditor}, signed on {date}",
            creditor=plan.counterparty,
            date=tr.date(plan.start),
        ),
        tr._(
            "Replaces: {amount} owed after a down payment of {down}",
            amount=money(plan.owed),
            down=money(plan.down_payment),
        )
        if plan.down_payment
        else tr._("Replaces: {amount} owed", amount=money(plan.owed)),
        tr._(
            "Plan: {n} × {monthly} a month, {first} to {last} (capacity {capacity})",
            n=plan.term_months,
            monthly=money(plan.monthly),
            first=tr.date(plan.first_due),
            last=tr.date(plan.last_due),
            capacity=money(plan.capacity),
        ),
        tr._(
            "Total: {total}; repaying everything on {date}: {pay_now} ({extra} more)",
            total=money(plan.total),
            date=tr.date(plan.as_of),
            pay_now=money(plan.pay_now),
            extra=money(plan.extra_cost),
        ),
        tr.ngettext("Longest plan: {n} month", "Longest plan: {n} months", policy.max_term_months)
        if policy.max_term_known
        else tr.ngettext(
            "Longest plan: {n} month (the lender's maximum is unknown)",
            "Longest plan: {n} months (the lender's maximum is unknown)",
            policy.max_term_months,
        ),
        tr._(
            "Penalty stops once signed: {answer}",
            answer=tr._(_PENALTY_STOPS[policy.penalty_stops]),
        ),
    ]
    parts.append(indent(wrapped("\n".join(lines), tr), 2))
    if not plan.feasible:
        parts.append(
            indent(
                wrapped(
                    tr._(
                        "Even the longest plan needs {monthly} a month, more than {capacity}: "
                        "offer what you can and say so.",
                        monthly=money(plan.monthly),
                        capacity=money(plan.capacity),
                    ),
                    tr,
                    "bold yellow",
                ),
                2,
            )
        )
    parts.append(indent(wrapped(localized(plan.effect.text, tr), tr), 2))
    table = plain_table()
    table.add_column("#", justify="right")
    table.add_column(tr._("due date"))
    table.add_column(tr._("amount"), justify="right")
    for number, installment in enumerate(plan.installments, start=1):
        table.add_row(str(number), str(installment.due_date), money(installment.amount))
    parts.append(indent(table, 2))
    for note in policy.notes:
        parts.append(indent(wrapped(localized(note, tr), tr, "italic"), 2))
    parts.append(Text("\n" + tr._("Checklist"), style="bold"))
    parts.append(indent(wrapped(_bullets(plan.checklist, tr), tr), 2))
    parts.append(indent(wrapped(_sources(plan.citations, tr, provider), tr), 2))
    return Group(*parts)


def error_text(error: Exception, tr: Messages = ENGLISH) -> str:
    """The message of an error in the locale (a :class:`~creditrules.remediation.Phrase`'s)."""
    message = error.args[0] if len(error.args) == 1 else None
    return localized(message, tr) if isinstance(message, str) else str(error)


def no_plan_note(error: ValueError, tr: Messages = ENGLISH) -> str:
    """Why no plan was drafted (:func:`creditrules.plan_negotiation` refused), in the locale."""
    return tr._("No repayment plan: {reason}.", reason=error_text(error, tr))


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


#: The comparison's columns: (heading, catalogue message). The first is the scenario.
_COLUMNS = (
    N_("cost"),
    N_("penalty"),
    N_("paid"),
    N_("to clear"),
    N_("DPD"),
    N_("max"),
    N_("neg."),
)
#: The name :func:`creditrules.compare` gives the account as it is.
_AS_IS = N_("as is")


class _Spaced:
    """A table with two spaces between its columns where that fits the width, else one."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The table, its columns two spaces apart if it then fits in ``options.max_width``."""
        wide = copy.copy(self.table)
        wide.padding = (0, 1, 0, 1)
        lines = console.render_lines(wide, options.update_width(10_000), pad=False)
        natural = max((Segment.get_line_length(line) for line in lines), default=0)
        yield wide if natural <= options.max_width else self.table


def render_comparison(table: Comparison, tr: Messages = ENGLISH) -> RenderableType:
    """Lay out a comparison: one row per scenario, in the words of ``tr``."""
    grid = plain_table()
    grid.padding = (0, 1, 0, 0)  # one space between columns: ten of them fit in 80
    grid.add_column(tr._("scenario"), overflow="fold", min_width=10, ratio=1)
    for title in _COLUMNS:
        grid.add_column(tr._(title), justify="right", no_wrap=True)
    grid.add_column(tr._("worst"), justify="center", no_wrap=True)
    grid.add_column(tr._("clean on"), no_wrap=True)
    for row in table:
        # the baseline compare() adds is named in the locale; a scenario's own name is kept
        name = Text(tr._(_AS_IS) if row.name == _AS_IS and not row.events else row.name)
        if row.ignored_events:  # said in the table itself, not only under it
            name.append(
                "\n" + tr._("(not applied: dated after {date})", date=tr.date(table.as_of)),
                style="yellow",
            )
        grid.add_row(
            wrapped(name, tr),
            format_money(row.total_cost),
            format_money(row.penalty),
            format_money(row.paid),
            format_money(row.payoff if row.payoff is not None else row.balance),
            str(row.days_past_due),
            str(row.max_days_past_due),
            str(row.negative_months),
            row.worst_status,
            str(row.clean_on) if row.clean_on is not None else tr._("unpaid"),
        )
    header = Text(f"{table.account_id}", style="bold")
    header.append(" · " + tr._("scenarios as of {date}", date=tr.date(table.as_of)))
    notes = [
        wrapped(
            tr._(
                "cost: interest, fees and penalty charged up to {date}, less waivers · "
                "to clear: what a payment on {date} must be to clear the account (its "
                "payoff) · DPD: days past due now, max: the most ever · neg.: months the "
                "report recorded as negative · clean on: first day nothing negative shows",
                date=tr.date(table.as_of),
            ),
            tr,
            "dim",
        )
    ]
    ignored = [
        tr._(_AS_IS) if row.name == _AS_IS and not row.events else row.name
        for row in table
        if row.ignored_events
    ]
    if ignored:
        notes.append(
            wrapped(
                tr._(
                    "Events after {date} were not applied in: {names}; give --as-of on or "
                    "after their dates to compare them",
                    date=tr.date(table.as_of),
                    names=tr.comma().join(ignored),
                ),
                tr,
                "yellow",
            )
        )
    return Group(wrapped(header, tr), _Spaced(grid), *notes)


def comparison_data(table: Comparison, registry: Registry) -> dict[str, Any]:
    """The comparison as plain data.

    Args:
        table: The comparison.
        registry: The registry whose converter writes the values.
    """
    data: dict[str, Any] = to_dict(table, converter=registry.converter)
    return data
