"""How creditrules words a user's value and an unknown name in a message (private).

One wording everywhere: the converter, policy values, providers, the testing kit.
Messages are :class:`~creditrules._i18n.Translatable`: English text that the command
line writes in its language.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from ._i18n import N_, Translatable

__all__ = ["PLAIN_LISTS", "PLAIN_MESSAGES", "show", "unknown_key"]

#: Messages other modules may hand over as plain English text (``str()`` of a
#: :class:`~creditrules._i18n.Translatable`, a ``KeyError``'s message): an error
#: recognises them by these templates to write them in another language
#: (:meth:`~creditrules._i18n.Translatable.known`). The more specific first.
PLAIN_MESSAGES: tuple[str, ...] = (
    N_("unknown provider {provider}; installed providers: {installed}; did you mean {close}?"),
    N_("unknown provider {provider}; installed providers: {installed}"),
    N_("unknown credit bureau {bureau}; installed bureaus: {installed}"),
    N_(
        "provider id {id} is already registered by {plugin}; "
        "give the provider in this file another id"
    ),
    N_("policy value {name} needs a source"),
    N_("{name}: effective_to is before effective_from"),
)
#: The placeholders of :data:`PLAIN_MESSAGES` that hold a list (``a, b``).
PLAIN_LISTS: tuple[str, ...] = ("installed",)

_KEY = N_("unknown key; expected one of: {known}")
_KEY_HINT = N_("unknown key (did you mean {close}?); expected one of: {known}")
_KIND = N_("unknown {kind} {key}; expected one of: {known}")
_KIND_HINT = N_("unknown {kind} {key} (did you mean {close}?); expected one of: {known}")
#: What ``unknown_key``'s callers name a key (``kind``).
_KINDS = (N_("policy parameter"),)


def show(value: Any) -> str:
    """Render a user's value for a message: ``true`` for booleans, else a short repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Decimal, date)):
        return str(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def unknown_key(key: Any, allowed: Iterable[str], *, kind: str | None = None) -> Translatable:
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
    listed = Translatable.join(known, "list")
    hint: dict[str, Any] = {"close": repr(close[0])} if close else {}
    if kind is None:
        return Translatable(_KEY_HINT if close else _KEY, known=listed, **hint)
    return Translatable(
        _KIND_HINT if close else _KIND, kind=Translatable(kind), key=show(key), known=listed, **hint
    )
