"""The floor: the headline figures of an account in as little plain Python as possible.

``headline(...)`` computes, with :class:`decimal.Decimal` and nothing of creditrules, what
the benchmarks compare creditrules against: days past due at the as-of date, the total
penalty charged, and each overdue episode's start, end and largest days past due. It
follows the same conventions (docs/explanation/conventions.md) for the cases the
benchmarks time — bills or a 等额本息 loan, payments to the oldest item first and within
it penalty → fees → interest → principal, penalty per day from D+1 on the unpaid amount
(or principal), posted as the running exact total rounded half-up, a grace period that
waives the penalty of items paid within it, money beyond what is due kept as credit for
the items that open later — and nothing else (no waivers, plans, policy versions,
minimum payments, early repayment, report or explanations).

It is the yardstick, not a second implementation: the benchmark checks that it gives
the same figures as creditrules on every case it times, and refuses to time a case where
it does not.
"""

from __future__ import annotations

import decimal
from datetime import date, timedelta
from decimal import Decimal

EXACT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_UP)
FEN = Decimal("0.01")
ZERO = Decimal("0.00")

#: One due item: (open date, due date, principal, interest).
Item = tuple[date, date, Decimal, Decimal]
#: The figures: (days past due at as-of, total penalty, [(start, end, max dpd), ...]).
Headline = tuple[int, Decimal, list[tuple[date, date | None, int]]]


def to_fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=decimal.ROUND_HALF_UP, context=EXACT)


def level_schedule(
    principal: Decimal, annual: Decimal, months: int, dues: list[date], start: date
) -> list[Item]:
    """等额本息: level payment rounded to the fen, interest per period, last absorbs rounding."""
    rate = EXACT.divide(annual, Decimal(12))
    growth = EXACT.power(EXACT.add(Decimal(1), rate), months)
    level = to_fen(
        EXACT.divide(EXACT.multiply(EXACT.multiply(principal, rate), growth), growth - 1)
    )
    items: list[Item] = []
    balance = principal
    opened = start
    for period in range(1, months + 1):
        interest = to_fen(EXACT.multiply(balance, rate))
        part = balance if period == months else min(level - interest, balance)
        items.append((opened, dues[period - 1], part, interest))
        balance -= part
        opened = dues[period - 1]
    return items


def headline(
    items: list[Item],
    payments: list[tuple[date, Decimal]],
    as_of: date,
    *,
    rate: Decimal,
    grace: int = 0,
    principal_only: bool = False,
) -> Headline:
    """Replay ``items`` and ``payments`` to ``as_of`` and return the headline figures."""
    n = len(items)
    opens = [i[0] for i in items]
    dues = [i[1] for i in items]
    principal = [i[2] for i in items]
    interest = [i[3] for i in items]
    penalty_out = [ZERO] * n
    exact = [Decimal(0)] * n  # penalty accrued, exact, since D+1
    posted = [ZERO] * n
    accrued_to = list(dues)  # penalty accrued through this day
    settled: list[date | None] = [None] * n
    credit = ZERO
    first = 0  # items before it are settled
    opened = 0  # items before it have opened (credit given)

    def accrue(k: int, day: date) -> None:
        if day > accrued_to[k]:
            base = principal[k] if principal_only else principal[k] + interest[k]
            days = (day - accrued_to[k]).days
            exact[k] = EXACT.add(exact[k], EXACT.multiply(EXACT.multiply(base, rate), days))
            accrued_to[k] = day

    def post(k: int, day: date) -> None:
        accrue(k, day)
        # Within grace the penalty is pending: owed only once grace is missed.
        if day > dues[k] + timedelta(days=grace) or grace == 0:
            total = to_fen(exact[k])
            penalty_out[k] += total - posted[k]
            posted[k] = total

    def settle(k: int, day: date) -> None:
        if penalty_out[k] == 0 and interest[k] == 0 and principal[k] == 0:
            if day <= dues[k] + timedelta(days=grace):
                exact[k] = posted[k]  # paid within grace: nothing accrued is owed
            if to_fen(exact[k] - posted[k]) <= 0:
                settled[k] = day

    def pay(k: int, amount: Decimal, day: date) -> Decimal:
        take = min(amount, penalty_out[k])
        penalty_out[k] -= take
        amount -= take
        take = min(amount, interest[k])
        interest[k] -= take
        amount -= take
        take = min(amount, principal[k])
        principal[k] -= take
        amount -= take
        settle(k, day)
        return amount

    for day, amount in [*payments, (as_of, None)]:
        if day > as_of:
            continue
        while opened < n and opens[opened] <= day:  # credit goes to items as they open
            if credit > 0 and settled[opened] is None:
                credit = pay(opened, credit, opens[opened])
            opened += 1
        while first < n and settled[first] is not None:
            first += 1
        k = first
        while k < n and dues[k] < day:
            if settled[k] is None:
                post(k, day)
            k += 1
        if amount is None:
            break
        k = first
        while amount > 0 and k < n and opens[k] <= day:
            if settled[k] is None:
                amount = pay(k, amount, day)
            k += 1
        credit += amount

    dpd = max(
        ((as_of - dues[k]).days for k in range(n) if settled[k] is None and dues[k] < as_of),
        default=0,
    )
    penalty = sum(posted, ZERO)
    # An episode: items unpaid after grace, from D+1 until everything past due is paid.
    late = [
        k
        for k, paid in enumerate(settled)
        if dues[k] + timedelta(days=grace) <= as_of
        and dues[k] < as_of
        and (paid is None or paid > dues[k] + timedelta(days=grace))
    ]
    spans = [
        (dues[k] + timedelta(days=1), settled[k], (settled[k] or as_of) - dues[k])
        for k in sorted(late, key=lambda k: dues[k])
    ]
    episodes: list[tuple[date, date | None, int]] = []
    for start, end, worst in spans:
        if episodes and (episodes[-1][1] is None or episodes[-1][1] >= start):
            last_start, last_end, last_worst = episodes[-1]
            merged_end = None if last_end is None or end is None else max(last_end, end)
            episodes[-1] = (last_start, merged_end, max(last_worst, worst.days))
        else:
            episodes.append((start, end, worst.days))
    return dpd, penalty, episodes
