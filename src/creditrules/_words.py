"""How creditrules words a user's value and an unknown name in a message (private).

One wording everywhere: the converter, policy values, providers, the testing kit.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["show", "unknown_key"]


def show(value: Any) -> str:
    """Render a user's value for a message: ``true`` for booleans, else a short repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Decimal, date)):
        return str(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def unknown_key(key: Any, allowed: Iterable[str], *, kind: str | None = None) -> str:
    """Word an unknown key of a table, suggesting the closest known one.

    The one wording of this error in every file creditrules reads. The key
    itself is not repeated for a plain key, since the problem's path ends in
    it; a ``kind`` (e.g. ``"policy parameter"``) names it.

    >>> unknown_key("amout", ["date", "amount", "note"])
    "unknown key (did you mean 'amount'?); expected one of: date, amount, note"
    >>> unknown_key("grace", ["grace_days"], kind="policy parameter")
    "unknown policy parameter 'grace' (did you mean 'grace_days'?); expected one of: grace_days"

    Args:
        key: The key found.
        allowed: The keys allowed there, in the order to list them.
        kind: What the key names, if it is more than a key.

    Returns:
        The message.
    """
    known = [str(name) for name in allowed]
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    what = "key" if kind is None else f"{kind} {show(key)}"
    return f"unknown {what}{hint}; expected one of: {', '.join(known)}"
