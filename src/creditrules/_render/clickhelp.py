"""click's own texts and the commands' help in the language of the command line.

click writes its texts (``Usage:``, ``Options``, ``Show this message and exit.``, ``Error:
Missing argument 'FILE'.``) through :func:`gettext.gettext`, in the language of the process;
the commands' help is the English of their docstrings and ``help=`` texts. While
:func:`click_translated` is active, click's texts come from creditrules' catalogues in the
language the command line runs in (``--lang``, else ``CREDITRULES_LANG``, else the system
locale: ``--help`` is read before ``--lang`` unless ``--lang`` comes first), and the
commands of :class:`TranslatedCommand` (with :class:`TranslatedHelp` for groups) show
their help in it too, wrapped as Chinese is set (:mod:`creditrules._render.cjk`).
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import click
import click.core
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils
from rich.cells import cell_len

from .._i18n import N_, Messages
from .cjk import break_offsets

__all__ = [
    "HelpContext",
    "HelpFormatter",
    "LocalPath",
    "TranslatedCommand",
    "TranslatedHelp",
    "choose_language",
    "click_translated",
    "current_messages",
    "requested_language",
]

_P = TypeVar("_P", bound=click.Parameter)

#: The messages outside a run of the command line (as :data:`.common.ENGLISH`, which is
#: not imported from there: that module loads rich's console and tables).
_ENGLISH = Messages("en")

#: The click modules whose texts are translated (``_`` and ``ngettext`` in each).
_CLICK_MODULES = (
    click.core,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
    click.utils,
)


class _Run:
    """One run of the command line: how it finds its language, and the one ``--lang`` chose."""

    def __init__(self, language: Callable[[], Messages]) -> None:
        self.language = language
        self.chosen: Messages | None = None


#: The runs of the command line in progress (innermost last).
_RUNS: list[_Run] = []

#: click's texts in the commands' help, as they appear there (for the catalogue).
_CLICK_TEXTS = (
    N_("Show this message and exit."),
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
)


def current_messages() -> Messages:
    """The messages of the command line now running (English outside it).

    The language ``--lang`` chose, once it is read (click shows a usage error after the
    command's context is gone); before, the one the running command finds.
    """
    if not _RUNS:
        return _ENGLISH
    run = _RUNS[-1]
    return run.chosen if run.chosen is not None else run.language()


def choose_language(messages: Messages) -> None:
    """Remember the language ``--lang`` chose, for the rest of the run (its errors too)."""
    if _RUNS:
        _RUNS[-1].chosen = messages


def _gettext(message: str) -> str:
    return current_messages().catalog.gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return current_messages().catalog.ngettext(singular, plural, n)


def requested_language(args: Sequence[str] | None) -> Messages | None:
    """The language a ``--lang L`` (or ``--lang=L``) among ``args`` names, if it names one.

    ``args`` are the command line's arguments (``None``: ``sys.argv[1:]``, as click reads).

    So that ``plan --help --lang zh_CN`` and a usage error before ``--lang`` is read are in
    that language too. A value naming no language is left to ``--lang`` to refuse.

    >>> requested_language(["plan", "--help", "--lang", "zh-CN"]).locale
    'zh_CN'
    >>> requested_language(["plan", "--lang=xx"]) is None
    True
    """
    args = list(sys.argv[1:] if args is None else args)
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None:
            try:
                return Messages(value)
            except ValueError:
                return None
    return None


@contextmanager
def click_translated(
    messages: Callable[[], Messages], chosen: Messages | None = None
) -> Iterator[None]:
    """Write click's texts in the language ``messages()`` names while the block runs.

    Args:
        messages: Returns the messages of the running command (its ``--lang``, else the
            environment's); called for each text, so a ``--lang`` read meanwhile counts.
        chosen: The language the command line asks for, if known before it is parsed
            (:func:`requested_language`).
    """
    saved = [
        (module, name, getattr(module, name))
        for module in _CLICK_MODULES
        for name in ("_", "ngettext")
        if hasattr(module, name)
    ]
    run = _Run(messages)
    run.chosen = chosen
    _RUNS.append(run)
    try:
        for module, name, _original in saved:
            setattr(module, name, _gettext if name == "_" else _ngettext)
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)
        _RUNS.pop()


class HelpFormatter(click.HelpFormatter):
    """click's formatter; in Chinese, text is wrapped by cells, between any two characters."""

    def _chinese(self) -> bool:
        return current_messages().chinese

    def write_heading(self, heading: str) -> None:
        """Write a section heading (``选项：`` in Chinese)."""
        if not self._chinese():
            super().write_heading(heading)
            return
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def _wrap(self, text: str, width: int) -> list[str]:
        """Paragraphs of ``text`` (blank-line separated) wrapped to ``width`` cells."""
        lines: list[str] = []
        for index, paragraph in enumerate(text.split("\n\n")):
            if index:
                lines.append("")
            joined = " ".join(part.strip() for part in paragraph.splitlines() if part.strip())
            lines.extend(joined[a:b] for a, b in break_offsets(joined, width))
        return lines

    def write_text(self, text: str) -> None:
        """Write re-indented, rewrapped text (in Chinese, wrapped by cells)."""
        if not self._chinese():
            super().write_text(text)
            return
        indent = " " * self.current_indent
        for line in self._wrap(text, max(self.width - self.current_indent, 10)):
            self.write(f"{indent}{line}".rstrip() + "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Write a definition list (in Chinese, the definitions wrapped by cells)."""
        rows = list(rows)
        if not self._chinese():
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max((cell_len(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - self.current_indent, 10)
            lines = self._wrap(second, width) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}".rstrip() + "\n")


class HelpContext(click.Context):
    """click's context, laying out help with :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


def _translated_param(param: _P, tr: Messages) -> _P:
    """A copy of ``param`` whose help is in the words of ``tr``."""
    help_text = getattr(param, "help", None)
    if not help_text:
        return param
    clone = copy.copy(param)
    clone.help = tr._(inspect.cleandoc(help_text))
    return clone


def _short_help(text: str, limit: int) -> str:
    """The first sentence of a Chinese help text, cut at ``limit`` cells."""
    first = text.split("\n\n")[0].replace("\n", "")
    end = first.find("。")
    first = first[: end + 1] if end >= 0 else first
    if cell_len(first) <= limit:
        return first
    cut = first
    while cut and cell_len(cut) > limit - 1:
        cut = cut[:-1]
    return cut + "…"


class TranslatedHelp(click.Command):
    """Help of a command (or group) in the command line's language.

    The command's help text, its parameters' help and click's own words are looked up
    in the catalogues when the help is written; a text they lack (a plugin's) stays as
    it is.
    """

    context_class = HelpContext

    def _in(self, tr: Messages, ctx: click.Context | None = None) -> Any:
        """A copy of this command whose help and parameters' help are in ``tr``'s words."""
        clone = copy.copy(self)
        if self.help:
            clone.help = tr._(inspect.cleandoc(self.help).partition("\f")[0])
        if self.short_help:
            clone.short_help = tr._(self.short_help)
        clone.params = [_translated_param(p, tr) for p in self.params]
        if ctx is not None:  # click's own --help, cached by the command
            help_option = self.get_help_option(ctx)
            if help_option is not None:
                clone._help_option = _translated_param(help_option, tr)
        return clone

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the help, in the command line's language."""
        tr = current_messages()
        clone = self._in(tr)
        if tr.chinese and clone.help and not clone.short_help:
            return _short_help(clone.help, limit)
        return str(click.Command.get_short_help_str(clone, limit))

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the usage, help text, arguments and options in the command line's language."""
        clone = self._in(current_messages(), ctx)
        for method in (
            "format_usage",
            "format_help_text",
            "format_arguments",
            "format_options",
            "format_epilog",
        ):
            bound = getattr(clone, method, None)
            if bound is not None:
                bound(ctx, formatter)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """The usage line's pieces, ``[OPTIONS]`` in the command line's language."""
        pieces: Sequence[str] = super().collect_usage_pieces(ctx)
        tr = current_messages()
        return [tr._(piece) if piece in _CLICK_TEXTS else piece for piece in pieces]


class TranslatedCommand(TranslatedHelp):
    """A creditrules command (what ``@cli.command`` makes): help in the line's language."""


#: The words click.Path names a path with in its errors.
_PATH_WORDS = (N_("file"), N_("directory"), N_("path"))


class LocalPath(click.Path):
    """:class:`click.Path`, naming a file, directory or path in the command line's language.

    click words its errors ``File 'x.toml' does not exist.``; the word for the kind of
    path is fixed when the option is declared, so it is looked up again when a value is
    checked (``文件 'x.toml' 不存在。``).
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Check the path as :class:`click.Path` does; its errors in the line's language."""
        clone = copy.copy(self)
        clone.name = current_messages()._(self.name)
        return click.Path.convert(clone, value, param, ctx)
