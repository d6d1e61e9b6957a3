"""Repayment schedules of installment loans, to the fen, as Chinese lenders compute them.

Three methods are supported (see :class:`~creditrules.model.LoanTerms`):

* ``equal_installment`` (等额本息): the same amount every month,
  ``A = P·r·(1+r)^n / ((1+r)^n − 1)`` rounded half-up to the fen;
* ``equal_principal`` (等额本金): the same principal every month, ``P / n`` rounded;
* ``interest_first`` (先息后本): interest only, all principal with the last installment.

Each installment's interest is the principal outstanding at the start of the period
times the monthly rate ``r`` (annual ÷ 12), rounded half-up to the fen. The last
installment repays whatever principal is still outstanding, so the principal parts
always sum exactly to the amount lent.

Rate arithmetic is done with exact fractions and rounded once, half-up, to the fen:
the monthly rate of e.g. a 10 % loan (0.1 ÷ 12) has no finite decimal expansion, and
a truncated rate would round a true half-fen (1,200.60 × 0.1 ÷ 12 = 10.005) the wrong
way. The ambient :mod:`decimal` context of the caller never changes a result. Amounts
are whole numbers of fen during the computation (the rate a ratio of two integers), so
a schedule costs the same small amount per month, whatever its term.

>>> from datetime import date
>>> from creditrules.model import LoanTerms
>>> loan = LoanTerms(
...     principal="1200.00", term_months=12, method="equal_installment",
...     start_date=date(2025, 1, 15), annual_rate="0.12",
... )
>>> first = build_schedule(loan)[0]
>>> first.due_date, first.principal, first.interest, first.total
(datetime.date(2025, 2, 15), Decimal('94.62'), Decimal('12.00'), Decimal('106.62'))
>>> schedule_totals(build_schedule(loan))
(Decimal('1200.00'), Decimal('79.42'))
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs

from .model import LoanTerms
from .money import EXACT, sum_money

__all__ = ["Installment", "build_schedule", "equal_installment_amount", "schedule_totals"]


@attrs.frozen
class Installment:
    """One installment of a loan's repayment schedule.

    Attributes:
        period: 1-based number of the installment.
        due_date: Day the installment falls due.
        principal: Principal repaid by this installment.
        interest: Interest charged for the period (on :attr:`opening_balance`).
        opening_balance: Principal outstanding at the start of the period.
    """

    period: int
    due_date: date
    principal: Decimal
    interest: Decimal
    opening_balance: Decimal

    @property
    def total(self) -> Decimal:
        """Amount due: principal plus interest."""
        with decimal.localcontext(EXACT):
            return self.principal + self.interest

    @property
    def closing_balance(self) -> Decimal:
        """Principal still outstanding once this installment is paid."""
        with decimal.localcontext(EXACT):
            return self.opening_balance - self.principal


_CONTEXT = EXACT


def _fen_int(amount: Decimal) -> int:
    """An amount of whole fen as an int (``12.34`` → ``1234``)."""
    return int(amount.scaleb(2, context=_CONTEXT))


def _from_fen(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2, context=_CONTEXT)


def _round_half_up(numerator: int, denominator: int) -> int:
    """``numerator ÷ denominator`` (both > 0, or numerator 0) rounded half-up."""
    return (2 * numerator + denominator) // (2 * denominator)


def _monthly_rate(loan: LoanTerms) -> Fraction:
    """The monthly rate (annual ÷ 12) as an exact fraction."""
    with decimal.localcontext(EXACT):
        annual = loan.annual  # daily_rate × day_basis is exact at this precision
    return Fraction(annual) / 12


def _level_fen(principal: int, rate: Fraction, term_months: int) -> int:
    """The level payment ``P·r·g / (g − 1)``, ``g = (1+r)^n``, in fen, rounded once.

    With ``r = a/b``: ``P·a·(b+a)^n / (b·((b+a)^n − b^n))``, in integers, so no
    fraction of thousands of digits is ever reduced.
    """
    if rate == 0:
        return _round_half_up(principal, term_months)
    a, b = rate.numerator, rate.denominator
    grown, base = (b + a) ** term_months, b**term_months
    return _round_half_up(principal * a * grown, b * (grown - base))


def _level_payment(principal: Decimal, rate: Fraction, term_months: int) -> Decimal:
    return _from_fen(_level_fen(_fen_int(principal), rate, term_months))


def equal_installment_amount(loan: LoanTerms) -> Decimal:
    """Compute the level monthly amount of an equal-installment (等额本息) loan.

    ``A = P·r·(1+r)^n / ((1+r)^n − 1)``, computed exactly and rounded half-up to the
    fen (``P / n`` rounded when the rate is zero). Every installment of an
    ``equal_installment`` schedule totals ``A`` except the last, which absorbs the
    rounding (and, for loans of a few fen, any cut short by :func:`build_schedule`).
    The loan's ``method`` is not checked, so this also tells what the level amount
    would be for a loan repaid another way.

    Args:
        loan: The loan's terms.

    Returns:
        The installment amount, at fen scale.
    """
    return _level_payment(loan.principal, _monthly_rate(loan), loan.term_months)


def build_schedule(loan: LoanTerms) -> tuple[Installment, ...]:
    """Build the repayment schedule of an installment loan.

    Interest of every period is ``opening_balance × r`` rounded half-up to the fen,
    where ``r`` is the monthly rate (annual ÷ 12). The principal part depends on
    ``loan.method``:

    * ``equal_installment``: :func:`equal_installment_amount` minus the interest;
    * ``equal_principal``: ``P / n`` rounded half-up;
    * ``interest_first``: nothing until the last period.

    The last installment repays all principal still outstanding, so the principal
    parts sum exactly to ``loan.principal``. A principal part never exceeds the
    balance: for tiny loans (a few fen per month) where rounding ``P / n`` up would
    repay too much, later parts are cut to what is left, possibly zero.

    Args:
        loan: The loan's terms; due dates come from :meth:`LoanTerms.due_date`.

    Returns:
        One :class:`Installment` per month, ``loan.term_months`` in all, in order.

    Raises:
        ValueError: if ``loan.method`` is not a known repayment method.
    """
    rate = _monthly_rate(loan)
    n = loan.term_months
    total = _fen_int(loan.principal)
    if loan.method == "equal_installment":
        level = _level_fen(total, rate, n)
    elif loan.method == "equal_principal":
        level = _round_half_up(total, n)
    elif loan.method == "interest_first":
        level = 0
    else:
        raise ValueError(f"unknown repayment method {loan.method!r}")

    # In fen: interest = balance × a / b, rounded half-up.
    a2, b = 2 * rate.numerator, rate.denominator
    b2 = 2 * b
    level_part = loan.method == "equal_installment"
    installments: list[Installment] = []
    balance = total
    for period in range(1, n + 1):
        interest = (a2 * balance + b) // b2
        if period == n:
            principal = balance
        elif level_part:
            principal = min(level - interest, balance)
        else:  # equal_principal repays `level`; interest_first repays nothing yet
            principal = min(level, balance)
        installments.append(
            Installment(
                period=period,
                due_date=loan.due_date(period),
                principal=_from_fen(principal),
                interest=_from_fen(interest),
                opening_balance=_from_fen(balance),
            )
        )
        balance -= principal
    return tuple(installments)


def schedule_totals(schedule: Iterable[Installment]) -> tuple[Decimal, Decimal]:
    """Sum the principal and the interest of a schedule.

    Args:
        schedule: Installments, e.g. from :func:`build_schedule`.

    Returns:
        ``(principal, interest)``, each an exact sum at fen scale.
    """
    installments = tuple(schedule)
    return (
        sum_money(item.principal for item in installments),
        sum_money(item.interest for item in installments),
    )
