"""What the renderers share: the consoles, value formatting, layout helpers.

Amounts are formatted by :func:`creditrules.money.format_money`, the one money format.
Every word goes through the catalogues: renderers take a :class:`~creditrules._i18n.Messages`
(``tr``) and default to English.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import click
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .._i18n import N_, Localizable, Messages, locale_from_environment, split_sources
from ..provider import Provider
from .cjk import wrapped

__all__ = [
    "ENGLISH",
    "MESSAGES_KEY",
    "KeyedTable",
    "bullets",
    "console",
    "error",
    "format_value",
    "indent",
    "pack",
    "plain_table",
    "provider_source",
    "provider_text",
    "rate_hint",
    "running_messages",
    "section",
    "show",
    "source_lines",
    "translate_known",
    "value_items",
]

#: The English messages: what a renderer uses when it is given none.
ENGLISH = Messages("en")


def console() -> Console:
    """Return a console writing to the current ``sys.stdout``.

    Built per command so it writes to the current stream (click's ``CliRunner``
    swaps it). rich honours ``NO_COLOR`` and drops styles when stdout is not a
    terminal; markup and highlighting are off so text is printed as it is.
    """
    return Console(highlight=False, markup=False)


def show(renderable: RenderableType, *, soft_wrap: bool = False) -> None:
    """Print a renderable on stdout; when piped, without the spaces rich pads lines with.

    On a terminal it is printed as it is (with colours). Otherwise it is laid out at
    the console's width (``COLUMNS``, else 80) and every line is right-stripped, so a
    file or a pipe gets no trailing spaces.

    Args:
        renderable: What to print.
        soft_wrap: Let the terminal wrap long lines instead of rich.
    """
    out = console()
    if out.is_terminal:
        out.print(renderable, soft_wrap=soft_wrap)
        return
    with out.capture() as captured:
        out.print(renderable, soft_wrap=soft_wrap)
    click.echo("\n".join(line.rstrip() for line in captured.get().split("\n")), nl=False)


#: Where a command's ``--lang`` leaves its messages: a key of ``click.Context.meta``
#: (shared by a command's context and the group's).
MESSAGES_KEY = "creditrules.messages"


def running_messages() -> Messages:
    """The messages of the command running: its ``--lang``, else the environment's, else English."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get(MESSAGES_KEY) if ctx is not None else None
    if isinstance(found, Messages):
        return found
    try:
        return Messages(locale_from_environment(os.environ))
    except ValueError:  # a bad CREDITRULES_LANG: the command's --lang says so
        return ENGLISH


def error(message: str, style: str = "red", tr: Messages | None = None) -> None:
    """Print one message on stderr (red by default), wrapped by the terminal only.

    A :class:`~creditrules._i18n.Localizable` message (an
    :meth:`~creditrules.InputError.describe`) is written in the words of ``tr``, by
    default those of the command running (:func:`running_messages`).
    """
    if isinstance(message, Localizable):
        message = message.text(tr if tr is not None else running_messages())
    Console(stderr=True, highlight=False, markup=False, soft_wrap=True).print(message, style=style)


def format_value(value: Any, tr: Messages = ENGLISH) -> str:
    """Format a policy value for people: ``unset``, ``true``, ``penalty, fees, …``."""
    if value is None:
        return tr._("unset")
    if isinstance(value, bool):
        return tr._("true") if value else tr._("false")
    if isinstance(value, tuple):
        return tr.comma().join(value_items(value, tr)) or tr._("none")
    return str(value)


def value_items(value: tuple[Any, ...], tr: Messages = ENGLISH) -> list[str]:
    """The items of a policy value that is a list or a table (``3: 0.025``), for people."""
    if value and all(isinstance(v, tuple) for v in value):
        return [f"{n}: {rate}" for n, rate in value]
    return [tr._(str(v)) for v in value]


def source_lines(source: str, provider: Provider | None, tr: Messages = ENGLISH) -> str:
    """A provider's or an account's source for a footnote: one line per cited page.

    Like :func:`provider_source`; a list of sources (``a; b``) naming pages or files is
    put one per line, so a URL is never broken between two sources.
    """
    parts = split_sources(source)
    translated = provider is not None and provider.translate(source, tr.locale) != source
    if len(parts) > 1 and any("/" in part for part in parts) and not translated:
        return "\n".join(tr.citation(part) for part in parts)
    return tr.citation(source, provider)


def provider_text(text: str, provider: Provider | None, tr: Messages = ENGLISH) -> str:
    """One of a provider's texts (a description, fact, note, reason) in the locale.

    The provider's own translation (:meth:`creditrules.Provider.translate`) if it gives
    one, else the catalogue's, else the text as it is.
    """
    if provider is not None:
        own = provider.translate(text, tr.locale)
        if own != text:
            return own
    return tr._(text)


def provider_source(source: str, provider: Provider | None, tr: Messages = ENGLISH) -> str:
    """A source (a provider's, a bureau's, a rule's) in the locale's words.

    The provider's own translation, else the catalogue's, else the locale's legal style
    (《征信业管理条例》第十六条), source by source (:meth:`creditrules._i18n.Messages.citation`).
    """
    return tr.citation(source, provider)


def pack(items: Sequence[str], separator: str, width: int) -> str:
    """Join ``items`` with ``separator``, starting a new line between two items, not in one.

    A line holds as many items as fit in ``width`` cells (CJK characters count two); an
    item wider than that has a line of its own. The separator ends the line it breaks.

    >>> print(pack(["3: 0.025", "6: 0.045", "9: 0.065"], ", ", 20))
    3: 0.025, 6: 0.045,
    9: 0.065
    """
    end = separator.rstrip()
    lines: list[str] = []
    for item in items:
        if not lines:
            lines.append(item)
        elif cell_len(lines[-1] + separator + item + end) <= width:
            lines[-1] += separator + item
        else:
            lines[-1] += end
            lines.append(item)
    return "\n".join(lines)


class KeyedTable:
    """A borderless table whose first column holds ids (keys), laid out at the console width.

    Columns are as wide as their widest cell (CJK characters count two cells) and one
    :data:`GAP` apart. The key column gets what the other columns leave; a key wider
    than that is printed in full on a line of its own above its row, never wrapped or
    cut, so every other cell keeps its width.

    Args:
        headers: The column titles.
        justify: ``"left"`` or ``"right"`` per column.
    """

    #: Spaces between two columns.
    GAP = 2

    def __init__(self, headers: Sequence[str], justify: Sequence[str]) -> None:
        self.headers = [Text(header, style="bold") for header in headers]
        self.justify = tuple(justify)
        self.rows: list[list[Text]] = []

    def add_row(self, *cells: str | Text) -> None:
        """Add a row: a key, then one cell per other column."""
        self.rows.append([Text(cell) if isinstance(cell, str) else cell for cell in cells])

    def _line(self, cells: Sequence[Text], widths: Sequence[int]) -> Text:
        line = Text(no_wrap=True, overflow="ignore")
        for index, (cell, width, justify) in enumerate(
            zip(cells, widths, self.justify, strict=True)
        ):
            if index:
                line.append(" " * self.GAP)
            pad = " " * max(width - cell_len(cell.plain), 0)
            if justify == "right":
                line.append(pad)
                line.append_text(cell)
            else:
                line.append_text(cell)
                line.append(pad)
        line.rstrip()
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        columns = list(zip(self.headers, *self.rows, strict=True))
        widths = [max(cell_len(cell.plain) for cell in column) for column in columns]
        rest = sum(widths[1:]) + self.GAP * (len(widths) - 1)
        room = options.max_width - rest
        keys = [cell_len(row[0].plain) for row in self.rows]
        widths[0] = max([cell_len(self.headers[0].plain), *(k for k in keys if k <= room)])
        yield self._line(self.headers, widths)
        for row in self.rows:
            if cell_len(row[0].plain) > widths[0]:
                yield row[0]
                row = [Text(""), *row[1:]]
            yield self._line(row, widths)


_DAILY = N_("{rate}%/day")


def rate_hint(name: str, value: Any, tr: Messages = ENGLISH) -> str:
    """Format a policy value, with a daily rate also as a percentage: ``0.0005 (0.05%/day)``."""
    if isinstance(value, Decimal) and name.endswith("daily_rate"):
        return f"{value} ({tr._(_DAILY, rate=f'{(value * 100).normalize():f}')})"
    return format_value(value, tr)


def bullets(lines: Sequence[str | Text], tr: Messages = ENGLISH, bullet: str = "•") -> Table:
    """Lines after bullets, each wrapped under its own start (a hanging indent).

    Wrapped as the locale's text is (:func:`creditrules._render.cjk.wrapped`).
    """
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:
        grid.add_row(bullet, wrapped(line, tr))
    return grid


def section(title: str) -> Text:
    """A bold section title after a blank line."""
    return Text(f"\n{title}", style="bold")


def indent(renderable: RenderableType, width: int = 4) -> Padding:
    """Indent a renderable by ``width`` columns."""
    return Padding(renderable, (0, 0, 0, width))


def plain_table() -> Table:
    """A table without borders or edge padding: columns separated by one space."""
    return Table(box=None, pad_edge=False)


_PLACEHOLDER = re.compile(r"\\\{([a-z_]+)\\\}")


def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression matching the texts ``template`` formats."""
    return re.compile(_PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(template)) + r"\Z", re.S)


def translate_known(
    text: str,
    templates: tuple[str, ...],
    tr: Messages,
    convert: Callable[[str, str], str] = lambda name, value: value,
) -> str:
    """Translate a text an engine value wrote in English from one of known templates.

    Some values (a report's record notes, its discrepancies) carry finished English
    sentences. The sentence is matched against each English ``template`` (a catalogue
    message with ``{placeholders}``); the first that matches is translated, its values
    passed through ``convert(name, value)``. A text no template matches is returned as
    it is.

    Args:
        text: The English sentence.
        templates: Catalogue messages it may have been written from.
        tr: The messages of the locale.
        convert: Rewrites one captured value for the locale (a date, a code, …).

    Returns:
        The sentence in the locale's words.
    """
    if tr.locale == "en":
        return text
    for template in templates:
        match = _pattern(template).match(text)
        if match is not None:
            values = {name: convert(name, value) for name, value in match.groupdict().items()}
            return tr._(template, **values)
    return text
