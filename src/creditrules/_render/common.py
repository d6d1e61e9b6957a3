"""What the renderers share: the consoles, value formatting, layout helpers.

Amounts are formatted by :func:`creditrules.money.format_money`, the one money format.
Every word goes through the catalogues: renderers take a :class:`~creditrules._i18n.Messages`
(``tr``) and default to English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import click
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .._i18n import N_, Messages

__all__ = [
    "ENGLISH",
    "console",
    "error",
    "format_value",
    "indent",
    "plain_table",
    "rate_hint",
    "section",
    "show",
    "translate_known",
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


def error(message: str, style: str = "red") -> None:
    """Print one message on stderr (red by default), wrapped by the terminal only."""
    Console(stderr=True, highlight=False, markup=False, soft_wrap=True).print(message, style=style)


def format_value(value: Any, tr: Messages = ENGLISH) -> str:
    """Format a policy value for people: ``unset``, ``true``, ``penalty, fees, …``."""
    if value is None:
        return tr._("unset")
    if isinstance(value, bool):
        return tr._("true") if value else tr._("false")
    if isinstance(value, tuple):
        if value and all(isinstance(v, tuple) for v in value):
            return tr.comma().join(f"{n}: {rate}" for n, rate in value) or tr._("none")
        return tr.comma().join(tr._(str(v)) for v in value) or tr._("none")
    return str(value)


_DAILY = N_("{rate}%/day")


def rate_hint(name: str, value: Any, tr: Messages = ENGLISH) -> str:
    """Format a policy value, with a daily rate also as a percentage: ``0.0005 (0.05%/day)``."""
    if isinstance(value, Decimal) and name.endswith("daily_rate"):
        return f"{value} ({tr._(_DAILY, rate=f'{(value * 100).normalize():f}')})"
    return format_value(value, tr)


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
