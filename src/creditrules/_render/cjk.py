"""Chinese text wrapped for the terminal: a line may break between any two characters.

rich wraps text at spaces, so a Chinese sentence (no spaces) is one long word: it is
moved to a line of its own and then cut anywhere, even inside a number. :func:`wrapped`
lays out a text of the Chinese locale the way Chinese is set: a break between any two
Chinese characters, never inside a run of Latin letters, digits or a URL (those break
at their spaces, or are cut only when longer than a line), never before closing
punctuation (，。）…) or after opening punctuation (（《“…). Widths are counted in
terminal cells: a Chinese character is two. In English the text is left to rich.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.cells import cell_len

from .._i18n import Messages

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.measure import Measurement
    from rich.text import Text

__all__ = ["CJKText", "break_offsets", "wrapped"]

#: Punctuation that never starts a line (it stays with the character before it).
_CLOSING = "，。、；：！？）》」』】〉”’…％%,.;:!?)]}"
#: Punctuation that never ends a line (it goes with the character after it).
_OPENING = "（《「『【〈“‘([{"
#: Wide characters: CJK ideographs and punctuation, full-width forms, Hangul.
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"


@functools.cache
def _unit() -> re.Pattern[str]:
    """One unit a line never breaks inside: a wide character, a run of narrow ones, or spaces.

    Compiled on first use: its wide character classes take milliseconds to compile, and
    only Chinese is wrapped here (the help of ``--help`` in English never is).
    """
    return re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")


def _units(line: str) -> list[tuple[int, int]]:
    """The (start, end) of the units of ``line``, punctuation glued to its neighbour."""
    units: list[list[int]] = []
    glue_next = False
    for match in _unit().finditer(line):
        start, end = match.span()
        piece = match.group()
        if piece.isspace():
            units.append([start, end])
            glue_next = False
            continue
        if units and not line[units[-1][0]].isspace() and (glue_next or piece[0] in _CLOSING):
            units[-1][1] = end
        else:
            units.append([start, end])
        glue_next = piece[-1] in _OPENING
    return [(start, end) for start, end in units]


def break_offsets(line: str, width: int) -> list[tuple[int, int]]:
    """Where to cut one line (no newline) into lines at most ``width`` cells wide.

    Returns:
        The (start, end) of each line in ``line``, spaces at a break left out.

    >>> text = "今天还清逾期欠款1,732.96元（不含罚息）。"
    >>> [text[a:b] for a, b in break_offsets(text, 20)]
    ['今天还清逾期欠款', '1,732.96元（不含罚', '息）。']
    >>> head = " 1. 查询 (check_credit_report)"
    >>> [head[a:b] for a, b in break_offsets(head, 24)]
    [' 1. 查询', '(check_credit_report)']
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    start: int | None = None  # where the current line starts
    end = 0  # where its last unit ends (spaces after it left out)
    used = 0
    for unit_start, unit_end in _units(line):
        piece = line[unit_start:unit_end]
        if piece.isspace():
            if start is not None:
                used += cell_len(piece)
            elif unit_start == 0 and cell_len(piece) < width:  # the line's own indent
                start, end, used = 0, 0, cell_len(piece)
            continue
        size = cell_len(piece)
        if start is not None and used + size <= width:
            end, used = unit_end, used + size
            continue
        if start is not None:
            lines.append((start, end))
        # a unit wider than a line is cut by cells
        position = unit_start
        while cell_len(line[position:unit_end]) > width:
            cut = position + 1
            while cut < unit_end and cell_len(line[position : cut + 1]) <= width:
                cut += 1
            while line[cut] in _CLOSING and cut > position + 1:  # no line starts with it
                cut -= 1
            lines.append((position, cut))
            position = cut
        start, end, used = position, unit_end, cell_len(line[position:unit_end])
    if start is not None:
        lines.append((start, end))
    return lines or [(0, 0)]


def _lines(text: Text, width: int) -> Iterator[Text]:
    offset = 0
    for line in text.plain.split("\n"):
        for start, end in break_offsets(line, width):
            yield text[offset + start : offset + end]
        offset += len(line) + 1


class CJKText:
    """A :class:`rich.text.Text` wrapped as Chinese is (see the module), at render time.

    Args:
        text: The text, with its styles.
    """

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Lay out the text at the width the console gives it."""
        from rich.text import Text  # lazy: start-up — --help and --json print no rich text

        laid_out = Text("\n").join(_lines(self.text, options.max_width))
        laid_out.no_wrap = True  # every line fits already
        yield laid_out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """As wide as the longest line, as narrow as the widest unit."""
        from rich.measure import Measurement  # lazy: start-up — as rich.text above

        plain = self.text.plain
        widest = max((cell_len(line) for line in plain.split("\n")), default=0)
        units = (cell_len(line[a:b]) for line in plain.split("\n") for a, b in _units(line))
        return Measurement(min(max(units, default=0), widest), widest)


def wrapped(text: Text | str, tr: Messages, style: str = "") -> RenderableType:
    """``text`` as a renderable wrapped for ``tr``'s language: Chinese-aware in Chinese.

    Args:
        text: The text (a plain string takes ``style``).
        tr: The messages of the language the text is in.
        style: The style of a plain string.
    """
    from rich.text import Text  # lazy: start-up — as in CJKText

    value = Text(text, style=style) if isinstance(text, str) else text
    return CJKText(value) if tr.chinese else value
