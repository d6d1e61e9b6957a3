"""Reading TOML: the one reader of every TOML file creditrules takes (private).

Account files, provider files, scenario files and golden cases are all read by
:func:`load_toml` (a file) or :func:`loads_toml` (text). Both parse floats as
:class:`~decimal.Decimal`, so a number never passes through binary floating
point, and both raise :class:`~creditrules.errors.InputError` worded the same
way for the same problem: the file, then what is wrong and where.

>>> loads_toml('rate = 0.0005')
{'rate': Decimal('0.0005')}
>>> loads_toml('amount = ', source="a.toml")
Traceback (most recent call last):
...
creditrules.errors.InputError: a.toml: invalid TOML at line 1, column 10: invalid value @ $
"""

from __future__ import annotations

import os
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ._i18n import N_, Translatable
from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "MAX_DEPTH",
    "TOML_REASONS",
    "Traversable",
    "check_depth",
    "load_toml",
    "loads_toml",
    "read_file",
]

#: Tables and arrays may nest this deep; deeper input is refused as invalid.
MAX_DEPTH = 32
#: The reasons :mod:`tomllib` gives for a syntax error (first letter lowered, as
#: :func:`loads_toml` words them), so that the catalogue translates them; a reason not
#: listed stays English. The more specific first.
TOML_REASONS: tuple[str, ...] = (
    N_("cannot overwrite a value"),
    N_("escaped character is not a Unicode scalar value"),
    N_("expected '=' after a key in a key/value pair"),
    N_("expected ']' at the end of a table declaration"),
    N_("expected ']]' at the end of an array declaration"),
    N_("expected newline or end of document after a statement"),
    N_("invalid date or datetime"),
    N_("invalid hex value"),
    N_("invalid initial character for a key part"),
    N_("invalid statement"),
    N_("invalid value"),
    N_("unclosed array"),
    N_("unclosed inline table"),
    N_("unescaped '\\' in a string"),
    N_("unterminated string"),
    N_("cannot declare {key} twice"),
    N_("cannot mutate immutable namespace {key}"),
    N_("cannot redefine namespace {key}"),
    N_("duplicate inline table key {key}"),
    N_("found invalid character {character}"),
    N_("illegal character {character}"),
    N_("expected {expected}"),
)
_POSITION = re.compile(
    r"(?P<reason>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)",
    re.DOTALL,
)


@runtime_checkable
class Traversable(Protocol):
    """Anything with ``read_bytes``: a path or an :mod:`importlib.resources` file."""

    def read_bytes(self) -> bytes:
        """Return the file's contents."""


def read_file(source: str | os.PathLike[str] | Traversable) -> str:
    """Read a text file as UTF-8 (a byte-order mark is dropped).

    Args:
        source: A path, or an :mod:`importlib.resources` file.

    Returns:
        The file's text.

    Raises:
        InputError: naming the file, if it is missing, a directory, unreadable
            or not UTF-8.
    """
    file = str(source) if isinstance(source, Traversable) else os.fspath(source)
    path = source if isinstance(source, Traversable) else Path(file)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Translatable(N_("no such file")), file=file) from None
    except IsADirectoryError:
        raise InputError(Translatable(N_("is a directory, not a file")), file=file) from None
    except OSError as exc:
        reason = Translatable(exc.strerror) if exc.strerror else str(exc)
        raise InputError(
            Translatable(N_("cannot read the file: {reason}"), reason=reason), file=file
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            Translatable(
                N_("not UTF-8 text (bad byte at offset {offset}); save the file as UTF-8"),
                offset=exc.start,
            ),
            file=file,
        ) from None


def load_toml(source: str | os.PathLike[str] | Traversable) -> dict[str, Any]:
    """Read and parse a TOML file.

    Args:
        source: A path, or an :mod:`importlib.resources` file.

    Returns:
        The file's top-level table; floats are :class:`~decimal.Decimal`.

    Raises:
        InputError: naming the file, if it cannot be read (see :func:`read_file`),
            is not valid TOML (naming the line and column), or nests tables and
            arrays more than :data:`MAX_DEPTH` deep.
    """
    file = str(source) if isinstance(source, Traversable) else os.fspath(source)
    return loads_toml(read_file(source), source=file)


def loads_toml(text: str, *, source: str | None = None) -> dict[str, Any]:
    """Parse TOML text.

    Args:
        text: The TOML text.
        source: The file it came from, named in errors (``None`` for text given directly).

    Returns:
        The top-level table; floats are :class:`~decimal.Decimal`.

    Raises:
        InputError: if the text is not valid TOML (naming the line and column),
            or nests tables and arrays more than :data:`MAX_DEPTH` deep.
    """
    try:
        data: dict[str, Any] = tomllib.loads(text.removeprefix("\ufeff"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_syntax_message(exc, text), file=source) from None
    except RecursionError:
        raise InputError(_too_deep(), file=source) from None
    if _depth(data) > MAX_DEPTH:
        raise InputError(_too_deep(), file=source)
    return data


def check_depth(data: Any, *, source: str | None = None) -> None:
    """Refuse data (e.g. read from JSON) whose tables and arrays nest too deep.

    The same limit as for TOML files, so that data read another way never exhausts
    the recursion of the converter or of a message.

    Args:
        data: Plain data: dicts, lists and scalars.
        source: The file it came from, named in the error.

    Raises:
        InputError: if tables and arrays nest more than :data:`MAX_DEPTH` deep.
    """
    if _depth(data) > MAX_DEPTH:
        raise InputError(
            Translatable(N_("tables and arrays nest more than {depth} deep"), depth=MAX_DEPTH),
            file=source,
        )


def _syntax_message(exc: tomllib.TOMLDecodeError, text: str) -> Translatable:
    """Word a syntax error: ``invalid TOML at line 2, column 10: expected ']' ...``.

    The parser's reason is English; the catalogue has the reasons of :mod:`tomllib`
    (:data:`TOML_REASONS`), so it is written in another language too.
    """
    message = str(exc)
    match = _POSITION.fullmatch(message)
    if match is None:  # pragma: no cover - every parser error names a position
        return Translatable(N_("invalid TOML: {reason}"), reason=Translatable.known(message))
    reason = match.group("reason")
    if reason[:1].isupper() and reason[1:2].islower():
        reason = reason[0].lower() + reason[1:]
    if match.group("line") is not None:
        line, column = int(match.group("line")), int(match.group("column"))
    else:  # the parser says "end of document": name the last position
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    return Translatable(
        N_("invalid TOML at line {line}, column {column}: {reason}"),
        line=line,
        column=column,
        reason=Translatable.known(reason, TOML_REASONS),
    )


def _too_deep() -> Translatable:
    return Translatable(
        N_("invalid TOML: {reason}"),
        reason=Translatable(N_("tables and arrays nest more than {depth} deep"), depth=MAX_DEPTH),
    )


def _depth(value: Any) -> int:
    """How deep tables and arrays nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest
