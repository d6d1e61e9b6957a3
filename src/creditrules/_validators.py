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

from ._i18n import N_, Translatable
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
            Translatable.join(
                [
                    Translatable(N_("amount")),
                    Translatable(
                        N_("{value} is too large; amounts up to {maximum} are supported"),
                        value=value,
                        maximum="1,000,000,000,000.00",
                    ),
                ],
                "words",
            )
        )


def date_problem(value: date, what: str = N_("date")) -> Translatable | None:
    """Say why ``value`` is outside the supported date window, or ``None`` if it is inside.

    Args:
        value: The date.
        what: What the date is, for the message: a field's name (kept as it is) or
            a :class:`~creditrules._i18n.Translatable` (``the as-of date``); the
            default ``"date"`` is translated.

    Returns:
        A message naming the window, or ``None``.
    """
    if MIN_DATE <= value <= MAX_DATE:
        return None
    outside = Translatable(
        N_("{value} is outside the supported range {first} to {last}"),
        value=value.isoformat(),
        first=MIN_DATE.isoformat(),
        last=MAX_DATE.isoformat(),
    )
    return Translatable.join([Translatable(what) if what == "date" else what, outside], "words")


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
            raise ValueError(above_maximum(parsed, maximum, unit, fraction=fraction))
        return parsed

    return convert


#: The messages of a rate above its maximum, by the unit :func:`bounded_rate` is given.
_ABOVE = {
    "": N_("{value} is above the supported maximum of {maximum}"),
    " a day": N_("{value} is above the supported maximum of {maximum} a day"),
    " a year": N_("{value} is above the supported maximum of {maximum} a year"),
    " times the contract rate": N_(
        "{value} is above the supported maximum of {maximum} times the contract rate"
    ),
    " (100 %)": N_("{value} is above the supported maximum of {maximum} (100 %)"),
}
_ABOVE_UNIT = N_("{value} is above the supported maximum of {maximum}{unit}")
_AS_FRACTION = N_("give the rate as a fraction (0.0005 is 0.05 %)")


def above_maximum(value: Decimal, maximum: Decimal, unit: str = "", *, fraction: bool) -> str:
    """Say that a rate is above its maximum (and, for a fraction, how to write one).

    >>> above_maximum(Decimal("5"), Decimal("0.05"), " a day", fraction=True)
    '5 is above the supported maximum of 0.05 a day; give the rate as a fraction (0.0005 is 0.05 %)'
    """
    if unit in _ABOVE:
        above = Translatable(_ABOVE[unit], value=value, maximum=maximum)
    else:  # a plugin's unit, as it is
        above = Translatable(_ABOVE_UNIT, value=value, maximum=maximum, unit=unit)
    return Translatable.join([above, Translatable(_AS_FRACTION)]) if fraction else above


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
            raise TypeError(
                named(attribute.name, N_("must be a whole number, got {value}"), value=repr(value))
            )
        if value > maximum:
            raise ValueError(
                named(
                    attribute.name,
                    N_("must be at most {maximum}, got {value}"),
                    maximum=maximum,
                    value=value,
                )
                if not unit
                else named(
                    attribute.name,
                    N_("must be at most {maximum}{unit}, got {value}"),
                    maximum=maximum,
                    unit=unit,
                    value=value,
                )
            )

    return check


_TOO_MANY = N_("{n} entries; at most {maximum} are supported")


def named(name: str, message: str, **values: Any) -> Translatable:
    """``<field> <message>``: a field's name (kept as it is) before what is said of it.

    The converter drops the name when the problem's path already ends in it.

    >>> named("due_day", N_("must not be negative, got {value}"), value=-1)
    'due_day must not be negative, got -1'
    """
    return Translatable.join([name, Translatable(message, **values)], "words")


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
            found.append((f"$.{name}", Translatable(_TOO_MANY, n=len(value), maximum=MAX_ITEMS)))
    return found


def max_items(maximum: int = MAX_ITEMS) -> Any:
    """Validator: a sequence of at most ``maximum`` entries."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if len(value) > maximum:
            raise ValueError(
                Translatable.join(
                    [
                        attribute.name,
                        Translatable(
                            N_("has {n} entries; at most {maximum} are supported"),
                            n=len(value),
                            maximum=maximum,
                        ),
                    ],
                    "words",
                )
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
        raise ValueError(
            named(attribute.name, N_("must not be negative, got {value}"), value=value)
        )


def positive(instance: Any, attribute: attrs.Attribute[Any], value: Decimal | int) -> None:
    """Reject zero and negative values."""
    if value <= 0:
        raise ValueError(
            named(attribute.name, N_("must be greater than zero, got {value}"), value=value)
        )


def is_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Require a :class:`datetime.date` (not a datetime) within the supported window."""
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise TypeError(
            named(attribute.name, N_("must be a date (YYYY-MM-DD), got {value}"), value=repr(value))
        )
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
            listed = Translatable.join([repr(c) for c in choices], "list")
            raise ValueError(
                named(
                    attribute.name,
                    N_("must be one of {choices}, got {value}"),
                    choices=listed,
                    value=repr(value),
                )
            )

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
