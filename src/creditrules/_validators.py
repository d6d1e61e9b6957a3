"""attrs validators and converters shared by the model (private).

Also the supported ranges of input values (see ``docs/explanation/conventions.md``,
section "Supported ranges"): every date, count and rate an account or provider file
gives is checked against them on construction, so that nothing later runs past the
end of :class:`datetime.date`, overflows the exact decimal context, or runs for a
time set by a value rather than by the size of the input.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from .money import parse_money, parse_rate

#: The largest amount an account or provider file may give (one trillion yuan); what
#: accrues on it stays below :data:`creditrules.money.MAX_AMOUNT`.
MAX_INPUT_AMOUNT = Decimal("1000000000000.00")
#: The first day creditrules computes with: dates of accounts, events, policy
#: versions and the as-of date lie in ``[MIN_DATE, MAX_DATE]``.
MIN_DATE = date(1970, 1, 1)
#: The last day creditrules computes with (see :data:`MIN_DATE`).
MAX_DATE = date(2199, 12, 31)
#: Longest grace period, in days (``grace_days``).
MAX_GRACE_DAYS = 365
#: Longest loan, bill-installment plan or negotiated plan, in months or periods
#: (fifty years; the run time of an assessment grows linearly with it).
MAX_TERM_MONTHS = 600
#: Most bills, payments, events or reported months an account file may list (each).
#: Checked when a file is read (:func:`list_problems`), not when an account is built in
#: code, so that the planner may add its payments to a full account.
MAX_ITEMS = 1000
#: The lists of an account file bounded by :data:`MAX_ITEMS`.
BOUNDED_LISTS: tuple[str, ...] = ("bills", "payments", "events", "reported")
#: Largest daily rate (penalty, revolving interest, a loan's contract rate): 5 % a day.
MAX_DAILY_RATE = Decimal("0.05")
#: Largest annual rate (a loan's ``annual_rate``, ``penalty_cap``): 1,825 % a year,
#: :data:`MAX_DAILY_RATE` over 365 days.
MAX_ANNUAL_RATE = Decimal("18.25")
#: Largest multiple of a contract rate (``penalty_rate_multiplier``).
MAX_MULTIPLIER = Decimal("10")
#: Largest share or fee rate of an amount (``minimum_payment_ratio``, fee tables): 100 %.
MAX_SHARE = Decimal("1")


def check_input_amount(value: Decimal | None) -> None:
    """Refuse an amount read from a file that is larger than :data:`MAX_INPUT_AMOUNT`.

    Raises:
        ValueError: saying what is supported.
    """
    if value is not None and value.is_finite() and abs(value) > MAX_INPUT_AMOUNT:
        raise ValueError(
            f"amount {value} is too large; amounts up to 1,000,000,000,000.00 are supported"
        )


def date_problem(value: date, what: str = "date") -> str | None:
    """Say why ``value`` is outside the supported date window, or ``None`` if it is inside.

    Args:
        value: The date.
        what: What the date is, for the message (``"as-of date"``).

    Returns:
        A message naming the window, or ``None``.
    """
    if MIN_DATE <= value <= MAX_DATE:
        return None
    return (
        f"{what} {value.isoformat()} is outside the supported range "
        f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
    )


def bounded_rate(maximum: Decimal, unit: str = "", *, fraction: bool = True) -> Any:
    """Converter: an exact non-negative rate of at most ``maximum``.

    Args:
        maximum: The largest rate accepted.
        unit: How to read the maximum in the message (``" a day"``).
        fraction: Whether the rate is a fraction (the message then says how to
            write one); ``False`` for a multiplier.

    Returns:
        A function turning a raw value into the rate, raising ``ValueError``.
    """

    def convert(value: Any) -> Decimal:
        parsed = parse_rate(value)
        if parsed > maximum:
            hint = "; give the rate as a fraction (0.0005 is 0.05 %)" if fraction else ""
            raise ValueError(f"{parsed} is above the supported maximum of {maximum}{unit}{hint}")
        return parsed

    return convert


def optional_bounded_rate(maximum: Decimal, unit: str = "", *, fraction: bool = True) -> Any:
    """Like :func:`bounded_rate` but keeps ``None``."""
    convert = bounded_rate(maximum, unit, fraction=fraction)

    def convert_optional(value: Any) -> Decimal | None:
        return None if value is None else convert(value)

    return convert_optional


def at_most(maximum: int, unit: str = "") -> Any:
    """Validator: a whole number (not a bool) of at most ``maximum``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{attribute.name} must be a whole number, got {value!r}")
        if value > maximum:
            raise ValueError(f"{attribute.name} must be at most {maximum}{unit}, got {value}")

    return check


def list_problems(data: Any) -> list[tuple[str, str]]:
    """Say which lists of an account file's data are longer than :data:`MAX_ITEMS`.

    Args:
        data: The file's top-level table.

    Returns:
        ``(json_path, message)`` pairs; empty when every list fits.
    """
    found: list[tuple[str, str]] = []
    for name in BOUNDED_LISTS:
        value = data.get(name) if isinstance(data, dict) else None
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            found.append((f"$.{name}", f"{len(value)} entries; at most {MAX_ITEMS} are supported"))
    return found


def max_items(maximum: int = MAX_ITEMS) -> Any:
    """Validator: a sequence of at most ``maximum`` entries."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if len(value) > maximum:
            raise ValueError(
                f"{attribute.name} has {len(value)} entries; at most {maximum} are supported"
            )

    return check


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
    """Require a :class:`datetime.date` (not a datetime) within the supported window."""
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise TypeError(f"{attribute.name} must be a date (YYYY-MM-DD), got {value!r}")
    problem = date_problem(value, attribute.name)
    if problem is not None:
        raise ValueError(problem)


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


def optional_daily_rate(value: Any) -> Decimal | None:
    """A daily rate of at most :data:`MAX_DAILY_RATE`, or ``None``."""
    return None if value is None else bounded_rate(MAX_DAILY_RATE, " a day")(value)


def optional_annual_rate(value: Any) -> Decimal | None:
    """An annual rate of at most :data:`MAX_ANNUAL_RATE`, or ``None``."""
    return None if value is None else bounded_rate(MAX_ANNUAL_RATE, " a year")(value)
