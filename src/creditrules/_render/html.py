"""The printable credit-report page: ``creditrules report FILE --html OUT.html``.

One self-contained HTML file (its style inline; no script, font or image fetched
from anywhere) laid out like the repayment record of the personal credit report:
the 60-month grid coloured by status code with its legend, the negative records
with their end and deletion dates and relief status, the flags lenders read, the
discrepancies with the borrower's real report, and the recommended actions with
their dates and amounts. It prints on A4. Every text from an account or provider
file is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from .._i18n import N_, Messages
from .._plugins import Registry
from .._version import __version__
from ..assessment import Assessment
from ..money import format_money
from ..remediation import localized
from ..report import FLAGS, Report
from .report import (
    DISPUTE_NOTE,
    bureau_name,
    discrepancy_note,
    flag_name,
    legend_entries,
    month_names,
    record_notes,
    record_sources,
    status_words,
    summary_line,
)

__all__ = ["CODE_COLOURS", "report_page"]

#: The background and text colour of each status code on the page.
CODE_COLOURS: dict[str, tuple[str, str]] = {
    "N": ("#d9f2d9", "#1b5e20"),
    "C": ("#d6eef5", "#01579b"),
    "*": ("#f2f2f2", "#616161"),
    "/": ("#ffffff", "#9e9e9e"),
    "M": ("#fff3c4", "#7a5a00"),
    "1": ("#ffd8a8", "#7a3000"),
    "2": ("#ffb38a", "#7a1f00"),
    "D": ("#b71c1c", "#ffffff"),
    "B": ("#7f0000", "#ffffff"),
}
#: Any other negative code (3 to 7): dark red.
_NEGATIVE = ("#e53935", "#ffffff")
#: A negative month hidden by relief or expiry.
_HIDDEN = ("#e8f5e9", "#2e7d32")

_STYLE = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "SimSun", sans-serif; font-size: 10pt; color: #212121;
  margin: 0 auto; max-width: 186mm; line-height: 1.45;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 5mm 0 2mm; border-bottom: 1px solid #9e9e9e; }
p { margin: 1mm 0; }
.meta, .note, .sources { color: #555; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; page-break-inside: avoid; }
th, td { border: 1px solid #bdbdbd; padding: 1mm 1.5mm; text-align: left;
  vertical-align: top; }
th { background: #eeeeee; font-weight: 600; }
table.grid td, table.grid th { text-align: center; width: 7.2%; padding: 1mm 0; }
table.grid td.code { font-weight: 700; }
table.grid th.year { width: 13.6%; }
td.amount { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
ul.legend { list-style: none; padding: 0; margin: 2mm 0; columns: 2; font-size: 9pt; }
ul.legend li { break-inside: avoid; margin: 0.5mm 0; }
.swatch { display: inline-block; min-width: 5mm; text-align: center; font-weight: 700;
  border: 1px solid #bdbdbd; margin-right: 1.5mm; }
.flag { color: #b71c1c; font-weight: 700; }
.ok { color: #1b5e20; }
footer { margin-top: 6mm; color: #757575; font-size: 8pt; border-top: 1px solid #bdbdbd;
  padding-top: 2mm; }
@media print { h2 { page-break-after: avoid; } }
"""


def _colours(code: str, hidden: bool = False) -> tuple[str, str]:
    if hidden:
        return _HIDDEN
    return CODE_COLOURS.get(code, _NEGATIVE if code.isdigit() else ("#ffffff", "#212121"))


def _cell(code: str, hidden: bool = False) -> str:
    """The attributes and style of a cell showing ``code``."""
    background, colour = _colours(code, hidden)
    return f'style="background:{background};color:{colour}"'


def _rows(cells: Iterable[Iterable[str]], header: Iterable[str]) -> str:
    """A table of escaped header cells and already-escaped body cells."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(row) + "</tr>\n" for row in cells)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _td(text: str, css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    return f"<td{attribute}>{escape(text)}</td>"


def _grid(report: Report, tr: Messages) -> str:
    hidden = {m for r in report.records if not r.visible for m in r.months}
    years = sorted({int(key[:4]) for key in report.months})
    head = f'<th class="year">{escape(tr._("year"))}</th>'
    head += "".join(f"<th>{escape(name)}</th>" for name in month_names(tr))
    rows = []
    for year in years:
        cells = [f"<th>{year}</th>"]
        for month in range(1, 13):
            key = f"{year:04d}-{month:02d}"
            code = report.months.get(key)
            if code is None:
                cells.append("<td></td>")
                continue
            label = code + ("?" if key == report.provisional_month else "")
            css = "code hidden" if key in hidden else "code"
            cells.append(
                f'<td class="{css}" data-month="{key}" data-code="{escape(code)}" '
                f"{_cell(code, key in hidden)}>{escape(label)}</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "\n".join(rows)
    return (
        f'<table class="grid">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'
    )


def _legend(report: Report, registry: Registry, tr: Messages) -> str:
    bureau = registry.bureaus.get(report.bureau)
    items = [
        f'<li><span class="swatch" {_cell(code)}>{escape(code)}</span>{escape(words)}</li>'
        for code, words in legend_entries(report, bureau, tr)
    ]
    if any(not r.visible for r in report.records):
        items.append(
            f'<li><span class="swatch" {_cell("N", True)}>N</span>'
            f"{escape(tr._('a negative month hidden by relief or expiry'))}</li>"
        )
    text = '<ul class="legend">\n' + "\n".join(items) + "\n</ul>"
    if report.provisional_month is not None:
        text += '<p class="note">' + escape(
            tr._(
                "{month}?: the month's snapshot is after {date}; computed at that date "
                "and may still change",
                month=report.provisional_month,
                date=tr.date(report.as_of),
            )
        )
        text += "</p>"
    return text


def _records(report: Report, registry: Registry, tr: Messages) -> str:
    if not report.records:
        return f'<p class="ok">{escape(tr._("none"))}</p>'
    bureau = registry.bureaus.get(report.bureau)
    rows = []
    for record in report.records:
        span = record.first_month
        if record.last_month != record.first_month:
            span += f"–{record.last_month}"
        end = tr._("unpaid") if record.ended_on is None else str(record.ended_on)
        start = "—" if record.episode_start is None else str(record.episode_start)
        expires = tr._("never (unpaid)") if record.expires_on is None else str(record.expires_on)
        status = status_words(record.status, tr)
        if record.hidden_from is not None:
            status += " " + (
                tr._("until {date}", date=str(record.hidden_from))
                if record.status == "visible"
                else str(record.hidden_from)
            )
        notes = "<br>".join(escape(n) for n in record_notes(record, bureau, tr))
        background, colour = _colours(record.worst)
        rows.append(
            [
                _td(span, "nowrap"),
                f'<td class="code" style="background:{background};color:{colour}">'
                f"{escape(record.worst)}</td>",
                _td(f"{start} → {end}", "nowrap"),
                _td(format_money(record.max_overdue_amount), "amount"),
                _td(expires, "nowrap"),
                _td(status),
                f"<td>{notes}</td>",
            ]
        )
    header = (
        tr._("months"),
        tr._("worst"),
        tr._("overdue"),
        tr._("max owed"),
        tr._("deleted on"),
        tr._("status"),
        tr._("notes"),
    )
    table = _rows(rows, header)
    sources = "".join(
        "<li>" + escape(tr._("{rule} — {source} [{grade}]", rule=t, source=s, grade=g)) + "</li>"
        for t, s, g in record_sources(report.records, tr)
    )
    return (
        f'{table}\n<p class="sources">{escape(tr._("Rules behind these dates:"))}</p>'
        f'<ul class="sources">{sources}</ul>'
    )


def _flags(report: Report, registry: Registry, tr: Messages) -> str:
    bureau = registry.bureaus.get(report.bureau)
    window = bureau.flags.window_months if bureau is not None else 24
    title = escape(tr._("What lenders read (latest {n} months)", n=window))
    if report.flags:
        items = "".join(
            f'<li class="flag">⚑ {escape(flag_name(flag, tr))}</li>'
            for flag in sorted(report.flags, key=FLAGS.index)
        )
        body = f"<ul>{items}</ul>"
    else:
        body = f'<p class="ok">{escape(tr._("no flags"))}</p>'
    worst = escape(tr._("worst status shown: ")) + (
        f'<span class="swatch" {_cell(report.max_status)}>{escape(report.max_status)}</span>'
    )
    return f"<h2>{title}</h2>\n{body}\n<p>{worst}</p>"


def _discrepancies(report: Report, tr: Messages) -> str:
    if not report.discrepancies:
        return (
            "<p>"
            + escape(tr._("none found (list your report's months as [[reported]] to compare)"))
            + "</p>"
        )
    rows = [
        [
            _td(d.month, "nowrap"),
            f'<td class="code" {_cell(d.reported)}>{escape(d.reported)}</td>',
            f'<td class="code" {_cell(d.computed)}>{escape(d.computed)}</td>',
            _td(tr._(d.direction)),
            _td(discrepancy_note(d.note, tr)),
        ]
        for d in report.discrepancies
    ]
    header = (tr._("month"), tr._("report shows"), tr._("computed"), "", tr._("what to do"))
    return _rows(rows, header)


def _actions(assessment: Assessment, tr: Messages) -> str:
    actions = assessment.actions
    if not actions:
        return f"<p>{escape(tr._('none'))}</p>"
    rows = [
        [
            _td(str(action.priority or index)),
            # Named as the terminal names it (assess, plan), in the page's language.
            _td(localized(action.title, tr)),
            _td(tr._("no deadline") if action.deadline is None else str(action.deadline), "nowrap"),
            _td("—" if action.amount is None else format_money(action.amount), "amount"),
        ]
        for index, action in enumerate(actions, 1)
    ]
    header = ("#", tr._("action"), tr._("deadline"), tr._("amount (yuan)"))
    return _rows(rows, header)


_TITLE = N_("Simulated credit report: {account}")


def report_page(
    assessment: Assessment, registry: Registry, tr: Messages, *, source: str = ""
) -> str:
    """Write the printable page of an assessment's credit report.

    Args:
        assessment: The assessment (its ``report`` and ``actions``).
        registry: The registry it was computed with (the bureau's codes).
        tr: The messages of the page's language.
        source: The account file's name, shown in the header.

    Returns:
        The whole HTML document.

    Raises:
        ValueError: if the assessment has no report.
    """
    report = assessment.report
    if report is None:
        raise ValueError("the assessment has no credit report")
    bureau = registry.bureaus.get(report.bureau)
    provider = registry.providers.get(assessment.provider)
    provider_name = provider.display_name if provider is not None else assessment.provider
    title = tr._(_TITLE, account=assessment.account_id)
    meta = tr._(
        "{bureau} · simulated report as of {date}",
        bureau=bureau_name(report, bureau, tr),
        date=tr.date(report.as_of),
    )
    account = f"{provider_name} ({assessment.provider})"
    if source:
        account += f" · {source}"
    sections = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(meta)}<br>{escape(account)}</p>',
        f"<p><strong>{escape(summary_line(report, registry, tr))}</strong></p>",
        "<h2>"
        + escape(tr._("Repayment status, latest {n} months", n=len(report.months)))
        + "</h2>",
        _grid(report, tr),
        _legend(report, registry, tr),
        f"<h2>{escape(tr._('Negative records'))}</h2>",
        _records(report, registry, tr),
        _flags(report, registry, tr),
        f"<h2>{escape(tr._('Discrepancies with your real report'))}</h2>",
        _discrepancies(report, tr),
        f"<h2>{escape(tr._('Recommended actions'))}</h2>",
        _actions(assessment, tr),
        f'<p class="note">{escape(tr._(DISPUTE_NOTE))}</p>',
        "<footer>"
        + escape(
            tr._(
                "Simulated by creditrules {version} from the account file; not an official "
                "credit report. Check it against your own report.",
                version=__version__,
            )
        )
        + "</footer>",
    ]
    lang = "zh-CN" if tr.chinese else "en"
    body = "\n".join(sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
