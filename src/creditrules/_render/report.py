"""A simulated credit report: the grid, records, flags and discrepancies.

Used by ``creditrules report`` (:func:`render_report`) and ``creditrules
assess`` (:func:`summary_line`). The status codes' names and order come from
the report's bureau, looked up in the registry given.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .._plugins import Registry
from ..bureau import Bureau
from ..money import format_money
from ..report import FLAGS, NegativeRecord, Report
from .common import plain_table, section

__all__ = ["code_style", "render_report", "summary_line"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FLAG_NAMES = {
    "three_consecutive": "连三 three consecutive negative months",
    "six_cumulative": "累六 six negative months in total",
    "current_overdue": "currently overdue",
}
_FLAG_SHORT = {
    "three_consecutive": "连三",
    "six_cumulative": "累六",
    "current_overdue": "current overdue",
}
_STYLES = {
    "N": "green",
    "C": "cyan",
    "*": "dim",
    "/": "dim",
    "M": "yellow",
    "1": "bold yellow",
    "2": "bold yellow",
    "D": "bold white on red",
    "B": "bold white on red",
}
_RECORD_STYLES = {"visible": "bold red", "relieved": "green", "expired": "green"}


def code_style(code: str) -> str:
    """Return the rich style of a status code: negative codes in red, ``M`` in yellow."""
    return _STYLES.get(code, "bold red" if code.isdigit() else "")


def _grid(report: Report) -> Table:
    months: Mapping[str, str] = report.months
    hidden = {m for r in report.records if not r.visible for m in r.months}
    years = sorted({int(key[:4]) for key in months})
    table = Table(box=None, pad_edge=False, padding=(0, 1))
    table.add_column("year", no_wrap=True)
    for name in _MONTHS:
        table.add_column(name, justify="center", no_wrap=True)
    for year in years:
        cells: list[Text] = []
        for month in range(1, 13):
            key = f"{year:04d}-{month:02d}"
            code = months.get(key)
            if code is None:
                cells.append(Text(""))
                continue
            style = code_style(code)
            if key in hidden:
                style = "italic green"
            label = code + ("?" if key == report.provisional_month else "")
            cells.append(Text(label, style=style))
        table.add_row(str(year), *cells)
    return table


def _legend(report: Report, bureau: Bureau | None) -> Text:
    text = Text()
    shown = list(dict.fromkeys(report.months.values()))
    if bureau is not None:
        order = [c.code for c in bureau.codes]
        shown.sort(key=lambda c: order.index(c) if c in order else len(order))
        for code in shown:
            if code in bureau.by_code:
                status = bureau.by_code[code]
                text.append(code, style=code_style(code))
                text.append(f" {status.name_zh} {status.name_en}   ")
    if any(not r.visible for r in report.records):
        text.append("\nitalic N", style="italic green")
        text.append(": a negative month hidden by relief or expiry")
    if report.provisional_month is not None:
        text.append(
            f"\n{report.provisional_month}?: the month's snapshot is after {report.as_of}; "
            "computed at that date and may still change"
        )
    return text


def _date(value: object) -> str:
    return "—" if value is None else str(value)


def _status(record: NegativeRecord) -> Text:
    if record.status != "visible":
        return Text(f"{record.status} {record.hidden_from}", style=_RECORD_STYLES[record.status])
    text = Text("visible", style=_RECORD_STYLES["visible"])
    if record.hidden_from is not None:
        text.append(f" until {record.hidden_from}")
    return text


def _records(records: tuple[NegativeRecord, ...]) -> Table:
    table = plain_table()
    table.add_column("months", no_wrap=True)
    table.add_column("worst", justify="center", no_wrap=True)
    table.add_column("overdue", no_wrap=True)
    table.add_column("max owed", justify="right", no_wrap=True)
    table.add_column("deleted on", no_wrap=True)
    table.add_column("status", overflow="fold")
    for record in records:
        span = record.first_month
        if record.last_month != record.first_month:
            span += f"–{record.last_month}"
        overdue = f"{_date(record.episode_start)} → "
        overdue += "unpaid" if record.ended_on is None else str(record.ended_on)
        expires = (
            Text("never (unpaid)", style="bold red")
            if record.expires_on is None
            else Text(str(record.expires_on))
        )
        table.add_row(
            span,
            Text(record.worst, style=code_style(record.worst)),
            overdue,
            format_money(record.max_overdue_amount),
            expires,
            _status(record),
        )
    return table


def _sources(records: tuple[NegativeRecord, ...]) -> list[Text]:
    seen: dict[tuple[str, str], str] = {}
    for record in records:
        for c in record.citations:
            if c.subject in ("expires_on", "hidden_from", "unpaid"):
                seen.setdefault((c.text, c.source), c.grade)
    return [
        Text(f"  {text} — {source} [{grade}]", style="dim")
        for (text, source), grade in seen.items()
    ]


def render_report(report: Report, registry: Registry) -> RenderableType:
    """Lay out a report for the terminal.

    Shows the grid like the real report (one row per year, twelve month
    columns, negative codes coloured), the negative records with their expiry
    or relief dates, the flags and the discrepancies.

    Args:
        report: The report (``assessment.report``).
        registry: The registry the report was computed with (for its bureau).

    Returns:
        A rich renderable.
    """
    bureau = registry.bureaus.get(report.bureau)
    parts: list[RenderableType] = []
    header = Text(report.bureau_name or report.bureau, style="bold")
    header.append(f" · simulated report as of {report.as_of}")
    parts.append(header)
    parts.append(Text(summary_line(report, registry)))

    parts.append(section(f"Repayment status, latest {len(report.months)} months"))
    parts.append(_grid(report))
    parts.append(_legend(report, bureau))

    parts.append(section("Negative records"))
    if report.records:
        parts.append(_records(report.records))
        for record in report.records:
            parts.extend(Text(f"• {record.first_month}: {n}", style="italic") for n in record.notes)
        parts.append(Text("Rules behind these dates:", style="dim"))
        parts.extend(_sources(report.records))
    else:
        parts.append(Text("none", style="green"))

    window = bureau.flags.window_months if bureau is not None else 24
    parts.append(section(f"What lenders read (latest {window} months)"))
    flags = Text()
    if report.flags:
        for flag in sorted(report.flags, key=FLAGS.index):
            flags.append(f"⚑ {_FLAG_NAMES.get(flag, flag)}\n", style="bold red")
    else:
        flags.append("no flags\n", style="green")
    flags.append("worst status shown: ")
    flags.append(report.max_status, style=code_style(report.max_status))
    parts.append(flags)

    parts.append(section("Discrepancies with your real report"))
    if report.discrepancies:
        table = plain_table()
        table.add_column("month", no_wrap=True)
        table.add_column("report shows", justify="center")
        table.add_column("computed", justify="center")
        table.add_column("", no_wrap=True)
        table.add_column("what to do", overflow="fold")
        for d in report.discrepancies:
            table.add_row(
                d.month,
                Text(d.reported, style=code_style(d.reported)),
                Text(d.computed, style=code_style(d.computed)),
                Text(d.direction, style="bold red" if d.direction == "worse" else "yellow"),
                d.note,
            )
        parts.append(table)
    else:
        parts.append(Text("none found (list your report's months as [[reported]] to compare)"))
    parts.append(
        Text(
            "\nOnly wrong data can be corrected, free, through a dispute (异议); paid "
            "'credit repair' of true records does not exist.",
            style="dim",
        )
    )
    return Group(*parts)


def summary_line(report: Report, registry: Registry) -> str:
    """Summarise a report in one line, for ``creditrules assess``.

    Args:
        report: The report.
        registry: The registry the report was computed with (for its bureau).

    Returns:
        E.g. ``"1 negative record visible (worst 2), clean on 2030-04-20; flags: none"``.
    """
    visible = report.visible_records
    if visible:
        bureau = registry.bureaus.get(report.bureau)
        codes = [r.worst for r in visible]
        worst = bureau.worst(codes) if bureau is not None else visible[-1].worst
        noun = "record" if len(visible) == 1 else "records"
        text = f"{len(visible)} negative {noun} visible (worst {worst})"
    else:
        text = "no negative record visible"
    hidden = len(report.records) - len(visible)
    if hidden:
        text += f", {hidden} hidden by relief or expiry"
    if report.clean_on is None:
        text += "; stays until everything past due is paid"
    elif report.clean_on > report.as_of:
        text += f", clean on {report.clean_on}"
    flags = ", ".join(_FLAG_SHORT.get(f, f) for f in sorted(report.flags, key=FLAGS.index))
    text += f"; flags: {flags or 'none'}"
    worse = sum(1 for d in report.discrepancies if d.direction == "worse")
    if worse:
        text += f"; {worse} month(s) worse on your real report than computed (dispute)"
    return text
