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

from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["MAX_DEPTH", "Traversable", "check_depth", "load_toml", "loads_toml", "read_file"]

#: Tables and arrays may nest this deep; deeper input is refused as invalid.
MAX_DEPTH = 32
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
        raise InputError("no such file", file=file) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8",
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
        raise InputError(f"tables and arrays nest more than {MAX_DEPTH} deep", file=source)


def _syntax_message(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """Word a syntax error: ``invalid TOML at line 2, column 10: expected ']' ...``."""
    message = str(exc)
    match = _POSITION.fullmatch(message)
    if match is None:  # pragma: no cover - every parser error names a position
        return f"invalid TOML: {message}"
    reason = match.group("reason")
    if reason[:1].isupper() and reason[1:2].islower():
        reason = reason[0].lower() + reason[1:]
    if match.group("line") is not None:
        line, column = int(match.group("line")), int(match.group("column"))
    else:  # the parser says "end of document": name the last position
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    return f"invalid TOML at line {line}, column {column}: {reason}"


def _too_deep() -> str:
    return f"invalid TOML: tables and arrays nest more than {MAX_DEPTH} deep"


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
