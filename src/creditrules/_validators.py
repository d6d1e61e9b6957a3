"""attrs validators and converters shared by the model (private)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from .money import parse_money, parse_rate


def money(value: Any) -> Decimal:
    """Convert to an exact fen amount (see :func:`creditrules.money.parse_money`)."""
    return parse_money(value)


def optional_money(value: Any) -> Decimal | None:
    """Like :func:`money` but keeps ``None``."""
    return None if value is None else parse_money(value)


def rate(value: Any) -> Decimal:
    """Convert to an exact non-negative rate."""
    return parse_rate(value)


def optional_rate(value: Any) -> Decimal | None:
    """Like :func:`rate` but keeps ``None``."""
    return None if value is None else parse_rate(value)


def non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    """Reject negative amounts."""
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value}")


def positive(instance: Any, attribute: attrs.Attribute[Any], value: Decimal | int) -> None:
    """Reject zero and negative values."""
    if value <= 0:
        raise ValueError(f"{attribute.name} must be greater than zero, got {value}")


def is_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Require a :class:`datetime.date` (not a datetime)."""
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise TypeError(f"{attribute.name} must be a date (YYYY-MM-DD), got {value!r}")


def optional_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Like :func:`is_date` but allows ``None``."""
    if value is not None:
        is_date(instance, attribute, value)


def one_of(*choices: Any) -> Any:
    """Validator: the value is one of ``choices``, with a message listing them."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices:
            listed = ", ".join(repr(c) for c in choices)
            raise ValueError(f"{attribute.name} must be one of {listed}, got {value!r}")

    return check


def to_tuple(value: Any) -> tuple[Any, ...]:
    """Freeze a sequence into a tuple."""
    return tuple(value)
