"""What the renderers share: the consoles, value formatting, layout helpers.

Amounts are formatted by :func:`creditrules.money.format_money`, the one money format.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

__all__ = [
    "console",
    "error",
    "format_value",
    "indent",
    "plain_table",
    "rate_hint",
    "section",
]


def console() -> Console:
    """Return a console writing to the current ``sys.stdout``.

    Built per command so it writes to the current stream (click's ``CliRunner``
    swaps it). rich honours ``NO_COLOR`` and drops styles when stdout is not a
    terminal; markup and highlighting are off so text is printed as it is.
    """
    return Console(highlight=False, markup=False)


def error(message: str, style: str = "red") -> None:
    """Print one message on stderr (red by default), wrapped by the terminal only."""
    Console(stderr=True, highlight=False, markup=False, soft_wrap=True).print(message, style=style)


def format_value(value: Any) -> str:
    """Format a policy value for people: ``unset``, ``true``, ``penalty, fees, …``."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        if value and all(isinstance(v, tuple) for v in value):
            return ", ".join(f"{n}: {rate}" for n, rate in value) or "none"
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def rate_hint(name: str, value: Any) -> str:
    """Format a policy value, with a daily rate also as a percentage: ``0.0005 (0.05%/day)``."""
    if isinstance(value, Decimal) and name.endswith("daily_rate"):
        return f"{value} ({(value * 100).normalize():f}%/day)"
    return format_value(value)


def section(title: str) -> Text:
    """A bold section title after a blank line."""
    return Text(f"\n{title}", style="bold")


def indent(renderable: RenderableType, width: int = 4) -> Padding:
    """Indent a renderable by ``width`` columns."""
    return Padding(renderable, (0, 0, 0, width))


def plain_table() -> Table:
    """A table without borders or edge padding: columns separated by one space."""
    return Table(box=None, pad_edge=False)
