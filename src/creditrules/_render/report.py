"""A simulated credit report: the grid, records, flags and discrepancies.

Used by ``creditrules report`` (:func:`render_report`), by its printable page
(:mod:`.html`) and by ``creditrules assess`` (:func:`summary_line`). The status
codes' names and order come from the report's bureau, looked up in the registry
given. Every word is in the language of the :class:`~creditrules._i18n.Messages`
given (English by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .._i18n import N_, Messages, split_sources
from .._plugins import Registry
from ..bureau import Bureau
from ..money import format_money
from ..report import FLAGS, Discrepancy, NegativeRecord, Report
from .common import ENGLISH, indent, plain_table, provider_source, section, translate_known

__all__ = [
    "DISPUTE_NOTE",
    "bureau_name",
    "code_style",
    "discrepancy_note",
    "flag_name",
    "legend_entries",
    "month_names",
    "record_notes",
    "record_sources",
    "render_report",
    "status_words",
    "summary_line",
]

_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)
_FLAG_NAMES = {
    "three_consecutive": N_("连三 three consecutive negative months"),
    "six_cumulative": N_("累六 six negative months in total"),
    "current_overdue": N_("currently overdue"),
}
_FLAG_SHORT = {  # 连三 and 累六 are the words of lenders, in every language
    "three_consecutive": "连三",
    "six_cumulative": "累六",
    "current_overdue": N_("current overdue"),
}
_RECORD_STATUS = {
    "visible": N_("visible"),
    "relieved": N_("relieved"),
    "expired": N_("expired"),
}
_DIRECTIONS = {"worse": N_("worse"), "better": N_("better")}
#: The sentences a negative record's notes are written from (``creditrules.report``).
_RECORD_NOTES = (
    N_("these months belong to no overdue episode; they end when all is paid"),
    N_(
        "unpaid: the {years}-year retention starts only when everything past due is paid",
    ),
    N_(
        "paid in full by {day} (while the largest overdue amount stays within {amount}), "
        "it would qualify for {relief}"
    ),
    N_("qualifies for {relief}: hidden from {day}, automatically"),
)
#: The sentences a discrepancy's note is written from (``creditrules.report``).
_DISCREPANCY_NOTES = (
    N_(
        "the report shows {reported} where creditrules computes {computed}: check your "
        "records, then dispute it (异议) with the lender or the credit bureau; it must reply "
        "within {days} days ({sources}). The month was {was} when reported; it is {status} "
        "from {day}, so a report printed before that day is right"
    ),
    N_(
        "the report shows {reported} where creditrules computes {computed}: check your "
        "records, then dispute it (异议) with the lender or the credit bureau; it must reply "
        "within {days} days ({sources})"
    ),
    N_(
        "the report shows {reported} where creditrules computes {computed}: check the "
        "payment dates in your account file"
    ),
)
#: The closing remark of the report: only wrong data can be corrected.
DISPUTE_NOTE = N_(
    "Only wrong data can be corrected, free, through a dispute (异议); paid "
    "'credit repair' of true records does not exist."
)
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


def month_names(tr: Messages = ENGLISH) -> tuple[str, ...]:
    """The twelve month names of the grid's columns (``Jan``…, ``1月``…)."""
    return tuple(tr._(name) for name in _MONTHS)


def bureau_name(report: Report, bureau: Bureau | None, tr: Messages = ENGLISH) -> str:
    """The bureau's name in the locale (its Chinese name alone in Chinese)."""
    if tr.chinese and bureau is not None and bureau.name_zh:
        return bureau.name_zh
    return report.bureau_name or report.bureau


def flag_name(flag: str, tr: Messages = ENGLISH, *, short: bool = False) -> str:
    """A flag lenders read, in words (``连三 three consecutive negative months``)."""
    names = _FLAG_SHORT if short else _FLAG_NAMES
    return tr._(names[flag]) if flag in names else flag


def status_words(status: str, tr: Messages = ENGLISH) -> str:
    """A record's status in words: visible, relieved, expired."""
    return tr._(_RECORD_STATUS[status]) if status in _RECORD_STATUS else status


def legend_entries(
    report: Report, bureau: Bureau | None, tr: Messages = ENGLISH
) -> list[tuple[str, str]]:
    """The codes the grid shows, in the bureau's order, each with its meaning.

    In English the meaning is the bureau's Chinese name then its English one (the
    real report is in Chinese); in Chinese, the Chinese name alone.
    """
    if bureau is None:
        return []
    shown = list(dict.fromkeys(report.months.values()))
    order = [c.code for c in bureau.codes]
    shown.sort(key=lambda c: order.index(c) if c in order else len(order))
    entries = []
    for code in shown:
        status = bureau.by_code.get(code)
        if status is not None:
            words = status.name_zh if tr.chinese else f"{status.name_zh} {status.name_en}"
            entries.append((code, words.strip()))
    return entries


def _grid(report: Report, tr: Messages) -> Table:
    months: Mapping[str, str] = report.months
    hidden = {m for r in report.records if not r.visible for m in r.months}
    years = sorted({int(key[:4]) for key in months})
    table = Table(box=None, pad_edge=False, padding=(0, 1))
    table.add_column(tr._("year"), no_wrap=True)
    for name in month_names(tr):
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


def _legend(report: Report, bureau: Bureau | None, tr: Messages) -> RenderableType:
    """The legend: one entry per code, laid out in columns, never broken inside an entry."""
    entries = []
    for code, words in legend_entries(report, bureau, tr):
        entry = Text(no_wrap=True)
        entry.append(code, style=code_style(code))
        entry.append(f" {words}")
        entries.append(entry)
    parts: list[RenderableType] = [Columns(entries, padding=(0, 3))]
    if any(not r.visible for r in report.records):
        line = Text(tr._("italic N"), style="italic green")
        line.append(tr._(": a negative month hidden by relief or expiry"))
        parts.append(line)
    if report.provisional_month is not None:
        parts.append(
            Text(
                tr._(
                    "{month}?: the month's snapshot is after {date}; computed at that date "
                    "and may still change",
                    month=report.provisional_month,
                    date=tr.date(report.as_of),
                )
            )
        )
    return Group(*parts)


def _date(value: date | None) -> str:
    return "—" if value is None else str(value)


def _status(record: NegativeRecord, tr: Messages) -> Text:
    words = status_words(record.status, tr)
    if record.status != "visible":
        return Text(f"{words} {record.hidden_from}", style=_RECORD_STYLES[record.status])
    text = Text(words, style=_RECORD_STYLES["visible"])
    if record.hidden_from is not None:
        text.append(" " + tr._("until {date}", date=str(record.hidden_from)))
    return text


def _records(records: tuple[NegativeRecord, ...], tr: Messages) -> Table:
    table = plain_table()
    table.add_column(tr._("months"), no_wrap=True)
    table.add_column(tr._("worst"), justify="center", no_wrap=True)
    table.add_column(tr._("overdue"), no_wrap=True)
    table.add_column(tr._("max owed"), justify="right", no_wrap=True)
    table.add_column(tr._("deleted on"), no_wrap=True)
    table.add_column(tr._("status"))
    for record in records:
        span = record.first_month
        if record.last_month != record.first_month:
            span += f"–{record.last_month}"
        end = tr._("unpaid") if record.ended_on is None else str(record.ended_on)
        expires = (
            Text(tr._("never (unpaid)"), style="bold red")
            if record.expires_on is None
            else Text(str(record.expires_on))
        )
        table.add_row(
            span,
            Text(record.worst, style=code_style(record.worst)),
            f"{_date(record.episode_start)} → {end}",
            format_money(record.max_overdue_amount),
            expires,
            _status(record, tr),
        )
    return table


def _relief_names(bureau: Bureau | None, tr: Messages) -> dict[str, str]:
    """Relief ids and names, each with its name in the locale."""
    names: dict[str, str] = {}
    for relief in bureau.reliefs if bureau is not None else ():
        names[relief.id] = names[relief.name] = tr._(relief.name)
    return names


def record_notes(
    record: NegativeRecord, bureau: Bureau | None, tr: Messages = ENGLISH
) -> list[str]:
    """A record's notes in the locale (what would make it qualify for relief, …)."""
    reliefs = _relief_names(bureau, tr)

    def convert(name: str, value: str) -> str:
        if name == "day":
            return tr.date(date.fromisoformat(value))
        if name == "relief":
            return reliefs.get(value, value)
        if name == "amount":
            return format_money(value)
        return value

    return [translate_known(note, _RECORD_NOTES, tr, convert) for note in record.notes]


def discrepancy_note(note: str, tr: Messages = ENGLISH) -> str:
    """A discrepancy's advice in the locale."""

    def convert(name: str, value: str) -> str:
        if name == "day":
            return tr.date(date.fromisoformat(value))
        if name == "status":
            return status_words(value, tr)
        if name == "sources":
            return tr.comma().join(provider_source(s, None, tr) for s in split_sources(value))
        return value

    return translate_known(note, _DISCREPANCY_NOTES, tr, convert)


def record_sources(
    records: tuple[NegativeRecord, ...], tr: Messages = ENGLISH
) -> list[tuple[str, str, str]]:
    """The rules behind the records' dates, once each: (rule, source, grade), in the locale."""
    seen: dict[tuple[str, str], str] = {}
    for record in records:
        for c in record.citations:
            if c.subject in ("expires_on", "hidden_from", "unpaid"):
                seen.setdefault((c.text, c.source), c.grade)
    return [
        (tr._(text), provider_source(source, None, tr), grade)
        for (text, source), grade in seen.items()
    ]


def render_report(report: Report, registry: Registry, tr: Messages = ENGLISH) -> RenderableType:
    """Lay out a report for the terminal.

    Shows the grid like the real report (one row per year, twelve month
    columns, negative codes coloured), the negative records with their expiry or
    relief dates, the flags and the discrepancies.

    Args:
        report: The report (``assessment.report``).
        registry: The registry the report was computed with (for its bureau).
        tr: The messages of the language to use.

    Returns:
        A rich renderable.
    """
    bureau = registry.bureaus.get(report.bureau)
    parts: list[RenderableType] = []
    header = Text(bureau_name(report, bureau, tr), style="bold")
    header.append(" · " + tr._("simulated report as of {date}", date=tr.date(report.as_of)))
    parts.append(header)
    parts.append(Text(summary_line(report, registry, tr)))

    parts.append(section(tr._("Repayment status, latest {n} months", n=len(report.months))))
    parts.append(_grid(report, tr))
    parts.append(_legend(report, bureau, tr))

    parts.append(section(tr._("Negative records")))
    if report.records:
        parts.append(_records(report.records, tr))
        notes = Table.grid(padding=(0, 1))  # a wrapped note stays right of its month
        notes.add_column(no_wrap=True)
        notes.add_column(overflow="fold")
        for record in report.records:
            for note in record_notes(record, bureau, tr):
                notes.add_row(f"• {record.first_month}:", Text(note, style="italic"))
        parts.append(notes)
        parts.append(Text(tr._("Rules behind these dates:"), style="dim"))
        parts.extend(
            indent(
                Text(tr._("{rule} — {source} [{grade}]", rule=t, source=s, grade=g), style="dim"),
                2,
            )
            for t, s, g in record_sources(report.records, tr)
        )
    else:
        parts.append(Text(tr._("none"), style="green"))

    window = bureau.flags.window_months if bureau is not None else 24
    parts.append(section(tr._("What lenders read (latest {n} months)", n=window)))
    flags = Text()
    if report.flags:
        for flag in sorted(report.flags, key=FLAGS.index):
            flags.append(f"⚑ {flag_name(flag, tr)}\n", style="bold red")
    else:
        flags.append(tr._("no flags") + "\n", style="green")
    flags.append(tr._("worst status shown: "))
    flags.append(report.max_status, style=code_style(report.max_status))
    parts.append(flags)

    parts.append(section(tr._("Discrepancies with your real report")))
    if report.discrepancies:
        parts.append(_discrepancies(report.discrepancies, tr))
    else:
        parts.append(
            Text(tr._("none found (list your report's months as [[reported]] to compare)"))
        )
    parts.append(Text("\n" + tr._(DISPUTE_NOTE), style="dim"))
    return Group(*parts)


def _discrepancies(discrepancies: tuple[Discrepancy, ...], tr: Messages) -> Table:
    table = plain_table()
    table.add_column(tr._("month"), no_wrap=True)
    table.add_column(tr._("report shows"), justify="center", no_wrap=True)
    table.add_column(tr._("computed"), justify="center", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(tr._("what to do"), ratio=1)
    for d in discrepancies:
        table.add_row(
            d.month,
            Text(d.reported, style=code_style(d.reported)),
            Text(d.computed, style=code_style(d.computed)),
            Text(
                tr._(_DIRECTIONS.get(d.direction, d.direction)),
                style="bold red" if d.direction == "worse" else "yellow",
            ),
            discrepancy_note(d.note, tr),
        )
    return table


def summary_line(report: Report, registry: Registry, tr: Messages = ENGLISH) -> str:
    """Summarise a report in one line, for ``creditrules assess``.

    Args:
        report: The report.
        registry: The registry the report was computed with (for its bureau).
        tr: The messages of the language to use.

    Returns:
        E.g. ``"1 negative record visible (worst 2), clean on 2030-04-20; flags: none"``.
    """
    visible = report.visible_records
    if visible:
        bureau = registry.bureaus.get(report.bureau)
        codes = [r.worst for r in visible]
        worst = bureau.worst(codes) if bureau is not None else visible[-1].worst
        text = tr.ngettext(
            "{n} negative record visible (worst {worst})",
            "{n} negative records visible (worst {worst})",
            len(visible),
            worst=worst,
        )
    else:
        text = tr._("no negative record visible")
    hidden = len(report.records) - len(visible)
    if hidden:
        text += tr._(", {n} hidden by relief or expiry", n=hidden)
    if report.clean_on is None:
        text += tr._("; stays until everything past due is paid")
    elif report.clean_on > report.as_of:
        text += tr._(", clean on {date}", date=str(report.clean_on))
    flags = tr.comma().join(
        flag_name(f, tr, short=True) for f in sorted(report.flags, key=FLAGS.index)
    )
    text += tr._("; flags: {flags}", flags=flags or tr._("none"))
    worse = sum(1 for d in report.discrepancies if d.direction == "worse")
    if worse:
        text += tr._("; {n} month(s) worse on your real report than computed (dispute)", n=worse)
    return text
