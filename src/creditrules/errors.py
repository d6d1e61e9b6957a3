"""Exceptions raised by creditrules.

All of them derive from :class:`CreditRulesError`, so an application can catch
one type. Input problems are :class:`InputError` and always say *where* the
problem is: the file (if any) and a JSON path such as ``$.payments[2].amount``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

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

    @property
    def path(self) -> str:
        """The JSON path of the first problem."""
        return self.problems[0].path if self.problems else "$"

    @property
    def message(self) -> str:
        """The message of the first problem."""
        return self.problems[0].message if self.problems else ""

    def describe(self) -> str:
        """Return every problem on its own line, prefixed by the file name."""
        prefix = f"{self.file}: " if self.file else ""
        return "\n".join(f"{prefix}{problem}" for problem in self.problems)


class PolicyError(CreditRulesError):
    """A policy is inconsistent: overlapping versions, an unknown parameter, a bad value."""


class PluginError(CreditRulesError):
    """A plugin is broken or conflicts with another (e.g. two register one provider id)."""


class PluginWarning(UserWarning):
    """A plugin failed to load or raised in a hook; the others keep working."""
