"""Exceptions raised by creditrules.

All of them derive from :class:`CreditRulesError`, so an application can catch
one type. Input problems are :class:`InputError` and always say *where* the
problem is: the file (if any) and a JSON path such as ``$.payments[2].amount``.

Their messages are English (``str(error)``); each is kept with its catalogue message
and values (:class:`~creditrules._i18n.Translatable`), so that :meth:`InputError.describe`
writes them in another language too:

>>> from creditrules._i18n import Messages
>>> error = InputError("no such file", file="a.toml")
>>> str(error)
'a.toml: no such file @ $'
>>> error.describe(Messages("zh_CN"))
'a.toml：文件不存在（位置：$）'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ._i18n import N_, Messages, Translatable
from ._words import PLAIN_LISTS, PLAIN_MESSAGES

__all__ = [
    "CreditRulesError",
    "InputError",
    "InputProblem",
    "PluginError",
    "PluginWarning",
    "PolicyError",
]


class CreditRulesError(Exception):
    """Base class of every error creditrules raises on purpose."""


@attrs.frozen
class InputProblem:
    """One thing wrong with an input, at one place.

    Attributes:
        path: JSON path of the offending value, e.g. ``$.payments[2].amount``.
        message: What is wrong, in words a user understands.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} @ {self.path}"

    def describe(self, file: str | None = None) -> Translatable:
        """The problem as one line (after ``file``, if given), writable in any locale."""
        message = Translatable.known(self.message, PLAIN_MESSAGES, lists=PLAIN_LISTS)
        if file:
            return Translatable(_IN_FILE, file=file, message=message, path=self.path)
        return Translatable(_AT, message=message, path=self.path)

    def text(self, tr: Messages) -> str:
        """The problem in the words of ``tr``'s locale (its path as it is)."""
        return self.describe().text(tr)


#: One problem: what is wrong, where.
_AT = N_("{message} @ {path}")
#: One problem of a file.
_IN_FILE = N_("{file}: {message} @ {path}")


class InputError(CreditRulesError):
    """An account file, provider file or value given by the user is invalid.

    Attributes:
        file: The file the input came from, or ``None`` for text or Python values.
        problems: Every problem found, each with its JSON path.
    """

    def __init__(
        self,
        problems: Sequence[InputProblem] | str,
        *,
        file: str | None = None,
        path: str = "$",
    ) -> None:
        if isinstance(problems, str):
            problems = [InputProblem(path=path, message=problems)]
        self.file = file
        self.problems: tuple[InputProblem, ...] = tuple(problems)
        super().__init__(self.describe())

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its problems and file (batch workers send errors between processes).
        return (_rebuild, (type(self), self.problems, self.file))

    @property
    def path(self) -> str:
        """The JSON path of the first problem."""
        return self.problems[0].path if self.problems else "$"

    @property
    def message(self) -> str:
        """The message of the first problem."""
        return self.problems[0].message if self.problems else ""

    def describe(self, tr: Messages | None = None) -> str:
        """Return every problem on its own line, prefixed by the file name.

        Args:
            tr: The messages of the language to write it in; ``None`` for a
                :class:`~creditrules._i18n.Translatable` whose value is the English text
                (and that writes itself in any language).
        """
        lines = Translatable.join([p.describe(self.file) for p in self.problems], "lines")
        return lines if tr is None else lines.text(tr)


def _rebuild(
    cls: type[InputError], problems: tuple[InputProblem, ...], file: str | None
) -> InputError:
    return cls(problems, file=file)


class PolicyError(CreditRulesError):
    """A policy is inconsistent: overlapping versions, an unknown parameter, a bad value."""


class PluginError(CreditRulesError):
    """A plugin is broken or conflicts with another (e.g. two register one provider id)."""


class PluginWarning(UserWarning):
    """A plugin failed to load or raised in a hook; the others keep working."""
