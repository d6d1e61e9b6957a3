"""Money: exact ``Decimal`` amounts in CNY, rounded half-up to the fen.

Every amount in creditrules is a :class:`decimal.Decimal`. Rounding happens
only where the domain says it does (posting an accrual, computing a schedule),
always with :data:`decimal.ROUND_HALF_UP` inside an explicit
:func:`decimal.localcontext` of :data:`EXACT`, so the ambient context of the
caller never changes a result. Amounts are shown to people with
:func:`format_money`.

>>> from decimal import Decimal
>>> to_fen(Decimal("1.245"))
Decimal('1.25')
>>> parse_money("1000")
Decimal('1000.00')
>>> format_money(Decimal("1234567.5"))
'1,234,567.50'
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce

from ._i18n import N_, Translatable

__all__ = [
    "EXACT",
    "FEN",
    "MAX_AMOUNT",
    "PRECISION",
    "ZERO",
    "exact",
    "format_money",
    "is_fen",
    "parse_money",
    "parse_rate",
    "sum_money",
    "to_fen",
]

#: The smallest unit of CNY, 0.01.
FEN = Decimal("0.01")
#: Zero, at fen scale.
ZERO = Decimal("0.00")
#: The largest amount creditrules computes with (10**20 yuan): far from the
#: :data:`PRECISION` digits of exact arithmetic, whatever accrues on it. Files may give
#: amounts up to a trillion yuan only, so that what accrues on them (and the payments
#: the planner drafts to settle it) stays below this.
MAX_AMOUNT = Decimal("100000000000000000000.00")
#: Digits of precision used for exact intermediate arithmetic.
PRECISION = 34
#: The exact context: :data:`PRECISION` digits, rounding half-up. Use it as
#: ``with decimal.localcontext(EXACT): ...`` for intermediate arithmetic that must
#: not depend on the caller's context. :func:`decimal.localcontext` works on a
#: copy, so the shared template is never changed; do not change it yourself.
EXACT = decimal.Context(prec=PRECISION, rounding=decimal.ROUND_HALF_UP)
#: A private copy of :data:`EXACT` whose methods the helpers below call directly
#: (``_OPS.add(a, b)``): the same result as ``a + b`` inside ``localcontext(EXACT)``,
#: without entering a context per call. Only its flags change, and nothing reads them.
_OPS = EXACT.copy()


def to_fen(amount: Decimal) -> Decimal:
    """Round an exact amount half-up to the fen.

    Args:
        amount: Any finite Decimal.

    Returns:
        The amount quantized to 0.01 with ``ROUND_HALF_UP``.
    """
    return amount.quantize(FEN, rounding=decimal.ROUND_HALF_UP, context=_OPS)


def exact(value: Decimal) -> Decimal:
    """Normalise an intermediate result under the exact context :data:`EXACT`.

    Args:
        value: Any Decimal.

    Returns:
        ``+value`` computed with :data:`PRECISION` digits, rounding half-up.
    """
    return _OPS.plus(value)


def format_money(amount: Decimal | int | str) -> str:
    """Format an amount of yuan for people: thousands separators and two decimals.

    The one money format of every text creditrules writes (explanations,
    actions, the command line). An amount below the fen is rounded half-up, in
    :data:`EXACT`, whatever the caller's context.

    >>> format_money(Decimal("1002.5"))
    '1,002.50'
    >>> format_money("-0.125")
    '-0.13'

    Args:
        amount: A Decimal, an int, or the text of a decimal number.

    Returns:
        Text such as ``1,234.56``.

    Raises:
        TypeError: for a binary float, which is not an exact amount.
        decimal.InvalidOperation: for text that is not a number.
    """
    if isinstance(amount, float):
        raise TypeError(f"amount {amount!r} is a binary float; give a Decimal or a string")
    value = amount if isinstance(amount, Decimal) else Decimal(amount)
    with decimal.localcontext(EXACT):
        return f"{value:,.2f}"


def is_fen(amount: Decimal) -> bool:
    """Tell whether ``amount`` is finite and has no digits below the fen."""
    if not amount.is_finite():
        return False
    with decimal.localcontext(EXACT) as context:
        context.traps[decimal.InvalidOperation] = False
        return amount == amount.quantize(FEN, rounding=decimal.ROUND_DOWN)


def parse_money(value: object) -> Decimal:
    """Parse a money amount given as str, int or Decimal, exactly.

    Floats are refused: ``0.1`` cannot be represented exactly, and an amount
    must never change on the way in. Amounts with digits below the fen are
    refused too rather than silently rounded.

    Args:
        value: ``"1000.00"``, ``1000``, or ``Decimal("1000.00")``.

    Returns:
        The amount at fen scale.

    Raises:
        ValueError: if the value is not an exact amount of whole fen, or is
            larger than :data:`MAX_AMOUNT` in size.
    """
    if isinstance(value, bool):
        raise ValueError(
            Translatable(N_("expected an amount of money, got {value}"), value=repr(value))
        )
    if isinstance(value, float):
        raise ValueError(
            Translatable(
                N_('amount {value} is a binary float; give it as a string such as "{text}"'),
                value=repr(value),
                text=str(value),
            )
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, (int, str)):
        try:
            amount = Decimal(str(value).strip().replace(",", ""))
        except decimal.InvalidOperation:
            raise ValueError(
                Translatable(N_("{value} is not an amount of money"), value=repr(value))
            ) from None
    else:
        raise ValueError(
            Translatable(N_("expected an amount of money, got {value}"), value=type(value).__name__)
        )
    if not amount.is_finite():
        raise ValueError(Translatable(N_("{value} is not a finite amount"), value=repr(value)))
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(
            Translatable.join(
                [
                    Translatable(N_("amount")),
                    Translatable(
                        N_("{value} is too large; amounts up to {maximum} are supported"),
                        value=str(value),
                        maximum=format_money(MAX_AMOUNT),
                    ),
                ],
                "words",
            )
        )
    if not is_fen(amount):
        raise ValueError(
            Translatable(
                N_("{value} has digits below the fen (0.01); round it yourself first"),
                value=repr(value),
            )
        )
    return to_fen(amount)


def parse_rate(value: object) -> Decimal:
    """Parse a rate (a fraction, e.g. ``"0.0005"`` for 0.05 %) exactly.

    Args:
        value: ``"0.0005"``, ``Decimal("0.0005")`` or an int.

    Returns:
        The rate as given, unrounded.

    Raises:
        ValueError: for floats, non-numbers and negative rates.
    """
    if isinstance(value, bool):
        raise ValueError(
            Translatable(
                N_('expected a rate as a decimal number (e.g. "0.0005"), got {value}'),
                value=str(value).lower(),
            )
        )
    if isinstance(value, float):
        raise ValueError(
            Translatable(
                N_("rate {value} must be given as a string or Decimal, not a float"),
                value=repr(value),
            )
        )
    if not isinstance(value, (Decimal, int, str)):
        raise ValueError(
            Translatable(
                N_("expected a rate as a decimal number, got {value}"), value=type(value).__name__
            )
        )
    try:
        rate = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise ValueError(Translatable(N_("{value} is not a rate"), value=repr(value))) from None
    if not rate.is_finite() or rate < 0:
        raise ValueError(
            Translatable(
                N_("rate {value} must be a finite, non-negative number"), value=repr(value)
            )
        )
    return rate


def sum_money(amounts: Iterable[Decimal]) -> Decimal:
    """Sum amounts exactly, starting from :data:`ZERO` (so the result has fen scale).

    Args:
        amounts: Any Decimals.

    Returns:
        Their exact sum, computed in :data:`EXACT`.
    """
    return reduce(_OPS.add, amounts, ZERO)
