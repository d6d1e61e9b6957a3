"""What a rule reads and writes: due-item specifications and the replayed ledger.

A plugin's rule (see :class:`creditrules.Rule`) runs over a
:class:`creditrules.Context`. Before the replay, ``context.items`` holds one
:class:`ItemSpec` per due item (a bill, an installment), which a provider's
``adjust_timeline`` hook may replace (e.g. a bill turned into installments).
After the ``timeline.replay`` rule, ``context.ledger`` holds the
:class:`Ledger`: every item's state, the overdue episodes and the credit at the
as-of date. The assessment's figures are read off the ledger.

>>> from datetime import date
>>> from decimal import Decimal
>>> ItemSpec("bill-2025-03-10", "bill", date(2025, 3, 1), date(2025, 3, 10), Decimal("500.00"))
ItemSpec(id='bill-2025-03-10', kind='bill', ...)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from .assessment import Components, DueItemResult, Episode
from .money import ZERO

__all__ = ["ItemSpec", "Ledger"]


@attrs.frozen
class ItemSpec:
    """A due item before replay: what falls due, when, and from when it can be paid.

    Attributes:
        id: Stable id.
        kind: ``bill``, ``installment`` or ``rollover``.
        open_date: From this day payments (and credit) apply to it.
        due_date: The due date D.
        principal: Principal due on D.
        interest: Interest due on D.
        fees: Fees due on D.
        period: Installment number, if any.
        opening_balance: Principal outstanding at the start of the period (loans).
        revolving_rate: Daily interest rate accruing on its principal until D (rollovers).
        penalty: Penalty already owed when the item opens (e.g. carried into a plan).
    """

    id: str
    kind: str
    open_date: date
    due_date: date
    principal: Decimal
    interest: Decimal = ZERO
    fees: Decimal = ZERO
    period: int | None = None
    opening_balance: Decimal = ZERO
    revolving_rate: Decimal | None = None
    penalty: Decimal = ZERO


@attrs.frozen
class Ledger:
    """The replayed timeline at the as-of date (``context.ledger`` after ``timeline.replay``).

    Attributes:
        items: Every due item with its charges, payments and status, in due order.
        episodes: The overdue episodes, oldest first.
        credit: Money paid beyond what was due, kept for later items.
        unopened: Principal (and fees) of items not yet open at the as-of date.
        days_past_due: Days past due at the as-of date.
        owed_to: Who the debt is owed to (the provider, or a guarantor after 代偿).
        closed_on: Day the account was closed, if it was.
        written_off_on: Day the debt was written off, if it was.
        guarantor_paid_on: Day a guarantor paid on the borrower's behalf, if one did.
        ignored_events: Events dated after the as-of date (not applied).
    """

    items: tuple[DueItemResult, ...]
    episodes: tuple[Episode, ...]
    credit: Decimal
    unopened: Components
    days_past_due: int
    owed_to: str
    closed_on: date | None
    written_off_on: date | None
    guarantor_paid_on: date | None
    ignored_events: int
