"""The interval-by-interval replay behind :func:`creditrules.assess` (private).

Between two checkpoints (event dates, due dates, grace ends, item openings,
policy changes, the as-of date) every base is constant, so accrual over the
interval is ``base × rate × days`` in closed form; the cost of a replay grows
with the number of checkpoints, never with the number of calendar days.

Each checkpoint looks only at the *working set*: the items that have opened and
are not settled yet. Items join it from a heap ordered by opening date and leave
it once settled; the items whose grace ends, that open or that fall due on a day
are looked up in indexes by date rather than found by scanning every item. So an
account whose items are paid as they fall due replays in time linear in its
events, however many items it has and however long it runs. The test suite
keeps the straightforward replay this one replaced (every item scanned at every
checkpoint) and checks that both give the same assessment on generated accounts
(``tests/test_reference_replay.py``).
"""

from __future__ import annotations

import bisect
import decimal
import heapq
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import attrs

from .assessment import Allocation, Components, DueItemResult, Episode
from .ledger import ItemSpec, Ledger
from .model import (
    Account,
    AccountClosed,
    Agreement,
    Event,
    GuarantorPaid,
    Payment,
    Waiver,
    WrittenOff,
    add_months,
)
from .money import FEN, ZERO, exact, sum_money, to_fen
from .policy import COMPONENTS, Policy
from .schedule import build_schedule

if TYPE_CHECKING:
    from .rules import Context


#: The arithmetic of a replay (every operation in it runs in this context, whatever
#: the caller's): wide enough that what accrues (amount × daily rate × days) and its
#: running totals are exact until posted, so accruing an item over one interval or
#: over several in turn gives the same amounts (conventions, A.1). Amounts are
#: rounded only where the conventions say: to the fen, half-up, when posted.
ACCRUAL = decimal.Context(prec=120, rounding=decimal.ROUND_HALF_UP)

ONE_DAY = timedelta(days=1)
#: Same-day events are applied in this order (then by amount and note), so the
#: result never depends on the order the user listed them in.
EVENT_RANK = {
    "waiver": 0,
    "payment": 1,
    "agreement": 2,
    "guarantor_paid": 3,
    "written_off": 4,
    "account_closed": 5,
}


# ---------------------------------------------------------------- phase rules


def bill_items(ctx: Context) -> None:
    """Rule ``items.bills``: each bill is a due item opening on its statement date."""
    for bill in ctx.account.bills:
        ctx.items.append(
            ItemSpec(
                id=bill.id,
                kind="bill",
                open_date=bill.statement_date,
                due_date=bill.due_date,
                principal=bill.amount,
            )
        )
        ctx.fire("items.bills", bill.id, due_date=bill.due_date, amount=bill.amount)


def schedule_items(ctx: Context) -> None:
    """Rule ``items.schedule``: one due item per installment of the loan."""
    loan = ctx.account.loan
    if loan is None:
        return
    previous = loan.start_date
    for inst in build_schedule(loan):
        item_id = f"installment-{inst.period}"
        ctx.items.append(
            ItemSpec(
                id=item_id,
                kind="installment",
                open_date=previous,
                due_date=inst.due_date,
                principal=inst.principal,
                interest=inst.interest,
                period=inst.period,
                opening_balance=inst.opening_balance,
            )
        )
        ctx.fire(
            "items.schedule",
            item_id,
            due_date=inst.due_date,
            principal=inst.principal,
            interest=inst.interest,
            method=loan.method,
        )
        previous = inst.due_date


def event_key(event: Event) -> tuple[Any, ...]:
    """The canonical sort key of an event."""
    return (
        event.date,
        EVENT_RANK.get(event.type, 9),
        event.type,
        getattr(event, "component", ""),
        getattr(event, "amount", None) or ZERO,
        getattr(event, "guarantor", ""),
        event.note,
    )


def order_events(ctx: Context) -> None:
    """Rule ``events.order``: sort events canonically."""
    events: list[Event] = [*ctx.account.payments, *ctx.account.events]
    ctx.events = sorted(events, key=event_key)
    ctx.fire("events.order", "account", events=len(ctx.events))


def provider_adjust(ctx: Context) -> None:
    """Rule ``provider.adjust``: call the provider's plugin's ``adjust_timeline`` hook once."""
    if ctx.provider is None or ctx.registry is None:
        return
    ctx.registry.adjust_timeline(ctx.provider, ctx)


def replay(ctx: Context) -> None:
    """Rule ``timeline.replay``: run the interval engine."""
    with localcontext(ACCRUAL):
        ctx.ledger = _Replay(ctx).run()


def _replayed(account: Account) -> tuple[Any, ...]:
    """What the replay reads of an account besides its items, events and policies."""
    return (account.opened_on, account.product, account.provider, account.funder, account.loan)


class ReplayFork:
    """An account's replay up to a day, from which what-ifs go on (cheap what-ifs).

    ``ctx`` has run the rules before ``timeline.replay`` for the account as it is,
    as of ``day``. A what-if — the same account with extra events from ``day`` on,
    assessed at a later date — gives the same ledger as its own full replay, at the
    cost of the days from ``day`` to its as-of: :meth:`replay` checks that the
    what-if's due items, policies and earlier events are the ones replayed here.
    """

    def __init__(self, ctx: Context, day: date) -> None:
        self.day = day
        self.items = list(ctx.items)
        self.events = [e for e in ctx.events if e.date < day]
        self.policies = ctx.policies
        self.account = _replayed(ctx.account)
        start = len(ctx.firings)
        with localcontext(ACCRUAL):
            self._replay = _Replay(ctx)
            self._replay.advance(day)
        #: What the replay recorded before ``day``: every what-if records it too.
        self.firings = ctx.firings[start:]

    def accepts(self, ctx: Context) -> bool:
        """Whether ``ctx`` (its rules before the replay run) can go on from here."""
        return (
            ctx.as_of >= self.day
            and _replayed(ctx.account) == self.account
            and ctx.policies == self.policies
            and ctx.items == self.items
            and [e for e in ctx.events if e.date < self.day] == self.events
        )

    def replay(self, ctx: Context) -> None:
        """Rule ``timeline.replay`` for an accepted ``ctx``: the days from :attr:`day` on."""
        start = len(ctx.firings)
        ctx.firings.extend(self.firings)
        with localcontext(ACCRUAL):
            replay = self._replay.fork(ctx, self.day)
            replay.firings_start = start
            ctx.ledger = replay.run()


# ---------------------------------------------------------------- the replay


def _overlap(t0: date, t1: date, first: date, last: date | None = None) -> int:
    """Days d with t0 < d <= t1 and first <= d (<= last)."""
    lo = max(t0 + ONE_DAY, first)
    hi = t1 if last is None else min(t1, last)
    return max(0, (hi - lo).days + 1)


#: What :meth:`_Replay._pre_event_stats` finds on a day nothing can be past grace.
_NO_STATS: dict[str, tuple[int, Decimal]] = {}


def _item_order(item: _Item) -> tuple[date, date, str]:
    spec = item.spec
    return (spec.due_date, spec.open_date, spec.id)


@attrs.define
class _AccrualRun:
    """Penalty accrued at one base and one rate over consecutive intervals: one firing.

    ``at`` is the firing's place in the trace, counted from the replay's first firing.
    """

    at: int
    base: Decimal
    base_kind: str
    rate: Decimal
    days: int
    through: date
    amount: Decimal


@attrs.define(eq=False)
class _Item:
    spec: ItemSpec
    grace_end: date
    due_policy: Policy
    out: dict[str, Decimal]
    charged: dict[str, Decimal]
    paid: dict[str, Decimal] = attrs.field(factory=lambda: dict.fromkeys(COMPONENTS, ZERO))
    waived: dict[str, Decimal] = attrs.field(factory=lambda: dict.fromkeys(COMPONENTS, ZERO))
    penalty_exact: Decimal = ZERO
    #: Accruals posted so far, by component: each posting rounds the running exact total.
    accrual_posted: dict[str, Decimal] = attrs.field(
        factory=lambda: {"penalty": ZERO, "interest": ZERO}
    )
    pending: Decimal = ZERO
    pending_days: int = 0
    interest_exact: Decimal = ZERO
    penalty_days: int = 0
    delinquent: bool = False
    settled_on: date | None = None
    status: str = ""
    #: Whether it is settled: paid off (``settled_on``), revolved, cancelled or
    #: restructured. Set with them (:meth:`_Replay._settle`); read at every step.
    settled: bool = False
    allocations: list[Allocation] = attrs.field(factory=list)
    #: Whether it has joined the working set (:attr:`_Replay.live`).
    active: bool = False
    #: The last day its interest and penalty are accrued through (accrual is lazy: an
    #: item is brought up to date only when it is read or changed, see
    #: :meth:`_Replay._catch_up`).
    accrued_to: date = date.min
    #: Whether it is accrued at the start of the next checkpoint, in order with the
    #: others (it changed, or its first day past due is next): see :meth:`_Replay._accrue`.
    dirty: bool = False
    #: The accrual run being recorded: consecutive accruals at one base and rate are one
    #: ``penalty.accrual`` firing (see :meth:`_Replay._record_accrual`).
    run: _AccrualRun | None = None
    #: Its result, kept once it is settled (it no longer depends on the as-of date); a
    #: fork shares the items that are :meth:`final`, and so their results.
    result: DueItemResult | None = None

    def clone(self) -> _Item:
        """A copy whose amounts and allocations change apart from this one's."""
        # Field by field (a fork clones every item not settled for good: attrs.evolve is
        # ten times slower).
        new: _Item = object.__new__(_Item)
        for name in _ITEM_FIELDS:
            setattr(new, name, getattr(self, name))
        new.out = dict(self.out)
        new.charged = dict(self.charged)
        new.paid = dict(self.paid)
        new.waived = dict(self.waived)
        new.accrual_posted = dict(self.accrual_posted)
        new.allocations = list(self.allocations)
        if self.run is not None:
            new.run = attrs.evolve(self.run)
        new.result = None
        return new

    def final(self, day: date) -> bool:
        """Whether nothing done from ``day`` on changes this item (a fork may share it).

        It is settled, its trace is written (no accrual run open, not waiting to be
        accrued), and it fell due on or before ``day``: an early repayment on a later
        day gives interest back only on installments due after that day.
        """
        return self.settled and self.run is None and not self.dirty and self.spec.due_date <= day

    def owed(self) -> Decimal:
        return sum_money(self.out.values())

    def owes_nothing(self) -> bool:
        """``owed() == 0``, without the sum when every component is zero (the usual case)."""
        out = self.out
        if not (out["principal"] or out["interest"] or out["fees"] or out["penalty"]):
            return True
        return self.owed() == 0

    def base(self, kind: str) -> Decimal:
        if kind == "unpaid_principal":
            return self.out["principal"]
        if kind == "unpaid_principal_and_interest":
            return self.out["principal"] + self.out["interest"]
        return self.out["principal"] + self.out["interest"] + self.out["fees"]


#: The fields of a due item in the replay, in order (:meth:`_Item.clone` copies them).
_ITEM_FIELDS = tuple(field.name for field in attrs.fields(_Item))


class _Replay:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.as_of = ctx.as_of
        self.loan = ctx.account.loan
        self.items: list[_Item] = []
        #: The policy of every day, when no value has dated versions (else ``None``).
        self.policy = ctx.policies.constant
        #: The working set, in due order (oldest first): items opened (or due) and not
        #: settled at the start of the current checkpoint (pruned once per checkpoint),
        #: so each step looks only at what can still change.
        self.live: list[_Item] = []
        #: Items past grace and unpaid at the start of the checkpoint (and any that
        #: became so since): the only ones episodes are made of.
        self.delinquent: list[_Item] = []
        #: Items past grace and unpaid that are in no episode yet.
        self.joining: list[_Item] = []
        #: Items not in the working set yet, by the day they join it.
        self.waiting: list[tuple[date, int, _Item]] = []
        #: Items accrued at the start of the next checkpoint (:meth:`_accrue`).
        self.dirty: list[_Item] = []
        #: The penalty rate of each policy in force (by the policy's identity).
        self.rates: dict[int, Decimal | None] = {}
        #: Items by grace end, by due date, by opening date and (bills and rests) by due date.
        self.by_grace_end: dict[date, list[_Item]] = {}
        self.by_due: dict[date, list[_Item]] = {}
        self.by_open: dict[date, list[_Item]] = {}
        self.revolving_by_due: dict[date, list[_Item]] = {}
        #: Due dates of bills, sorted: the next bill after a due date is a bisection away.
        self.bill_dues: list[date] = []
        self.credit = ZERO
        #: Items settled so far, and at the last pruning of the working set.
        self.settlements = 0
        self.pruned_at = 0
        self.checkpoints: list[date] = []
        #: The checkpoint being replayed (None while setting up).
        self.today: date | None = None
        #: The last checkpoint replayed (the day before the first one, once started).
        self.t0: date | None = None
        #: Where the replay's firings begin in the context's trace.
        self.firings_start = len(ctx.firings)
        self.seen: set[date] = set()
        self.episodes: list[dict[str, Any]] = []
        self.owed_to = ctx.account.funder or ctx.account.provider
        self.closed_on: date | None = None
        self.written_off_on: date | None = None
        self.guarantor_paid_on: date | None = None
        self.unknown_rate_items: set[str] = set()
        #: Due dates of revolved items: their interest is billed (posted) on that day.
        self.statement_days: set[date] = set()
        for spec in sorted(ctx.items, key=lambda s: (s.due_date, s.open_date, s.id)):
            self._add_item(spec)
        #: The checkpoints after which another version of the policy is in force.
        self.policy_changes = {point - ONE_DAY for point in ctx.policies.breakpoints()}
        for day in self.policy_changes:
            self._checkpoint(day)
        self.events_by_day: dict[date, list[Event]] = {}
        #: Days with a payment or waiver: accruals are posted before it applies.
        self.paying_days: set[date] = set()
        self.ignored = 0
        for event in ctx.events:
            if event.date > self.as_of:
                self.ignored += 1
                continue
            self.events_by_day.setdefault(event.date, []).append(event)
            if isinstance(event, (Payment, Waiver)):
                self.paying_days.add(event.date)
            self._checkpoint(event.date)
        self._checkpoint(self.as_of)

    # -- set-up ---------------------------------------------------------
    def _checkpoint(self, day: date) -> None:
        # A day already replayed (e.g. the opening of a rest revolved at the end of
        # grace, the day after its due date) is not visited again: time only moves on.
        if day <= self.as_of and day not in self.seen and (self.today is None or day > self.today):
            self.seen.add(day)
            heapq.heappush(self.checkpoints, day)

    def _add_item(self, spec: ItemSpec) -> _Item:
        policy = self._policy_on(spec.due_date)
        grace_end = spec.due_date + timedelta(days=policy.grace)
        due = {
            "principal": spec.principal,
            "interest": spec.interest,
            "fees": spec.fees,
            "penalty": spec.penalty,
        }
        item = _Item(
            spec=spec, grace_end=grace_end, due_policy=policy, out=dict(due), charged=dict(due)
        )
        self.items.append(item)
        self.by_grace_end.setdefault(grace_end, []).append(item)
        self.by_due.setdefault(spec.due_date, []).append(item)
        self.by_open.setdefault(spec.open_date, []).append(item)
        if spec.kind in ("bill", "rollover"):
            self.revolving_by_due.setdefault(spec.due_date, []).append(item)
        if spec.kind == "bill":
            index = bisect.bisect_left(self.bill_dues, spec.due_date)
            if index == len(self.bill_dues) or self.bill_dues[index] != spec.due_date:
                self.bill_dues.insert(index, spec.due_date)
        # Nothing happens to an item before it opens or falls due.
        joins = min(spec.open_date, spec.due_date)
        if self.today is not None and joins <= self.today:
            self._activate(item, self.today)
        else:
            heapq.heappush(self.waiting, (joins, len(self.items), item))
        for day in (spec.open_date, spec.due_date, grace_end):
            self._checkpoint(day)
        return item

    def _activate(self, item: _Item, since: date) -> None:
        """Add ``item`` to the working set, accrued through ``since``."""
        # The working set stays in due-date order (oldest first, A.5), also for items
        # created mid-replay such as a revolved rest, which falls due before later bills.
        item.active = True
        item.accrued_to = since
        bisect.insort(self.live, item, key=_item_order)
        self._touch(item)

    def _change(self, item: _Item, day: date) -> None:
        """Accrue ``item`` through ``day`` before what it owes changes that day."""
        self._catch_up(item, day)
        self._touch(item)

    def _touch(self, item: _Item) -> None:
        """Accrue ``item`` at the start of the next checkpoint, in order (it changed)."""
        if not item.dirty:
            item.dirty = True
            self.dirty.append(item)

    # -- main loop ------------------------------------------------------
    def run(self) -> Ledger:
        self.advance(date.max)
        for item in self.items:
            if item.run is not None:
                self._close_run(item)
        return self._ledger()

    def advance(self, until: date) -> None:
        """Replay every checkpoint before ``until`` (all of them: ``date.max``)."""
        if self.t0 is None:
            if self.checkpoints:
                self.t0 = min(self.checkpoints[0], self.ctx.account.opened_on) - ONE_DAY
            else:
                self.t0 = self.as_of
        t0 = self.t0
        by_grace_end, by_open = self.by_grace_end, self.by_open
        while self.checkpoints and self.checkpoints[0] < until:
            t1 = heapq.heappop(self.checkpoints)
            self.today = t1
            if self.settlements != self.pruned_at:  # something settled since: prune
                self.pruned_at = self.settlements
                self.live = [i for i in self.live if not i.settled]
                if self.delinquent:
                    self.delinquent = [i for i in self.delinquent if not i.settled]
            waiting = self.waiting
            while waiting and waiting[0][0] <= t1:
                item = heapq.heappop(waiting)[2]
                if not item.active and not item.settled:
                    self._activate(item, t0)
            self._accrue(t0, t1)
            # Each step below is called only on a day it has something to do.
            ending = t1 in by_grace_end
            # What is past due only grows (accrues, or more items fall past due) until
            # something is paid, waived, credited, restructured or posted (a posting may
            # round a fen down): an episode's largest days and amount past due are
            # reached on the days before such a change, so only those days are measured.
            posting = t1 in self.paying_days or t1 == self.as_of or t1 in self.statement_days
            measured = posting or t1 in self.events_by_day or (self.credit > 0 and t1 in by_open)
            before = (
                self._pre_event_stats(t1) if measured and (ending or self.delinquent) else _NO_STATS
            )
            if t1 in by_open:
                self._open_items(t1)
            if posting:
                self._post(t1)
            events = self.events_by_day.get(t1)
            if events:
                for event in events:
                    self._apply(event, t1)
            if ending:
                self._transitions(t1)
            if t1 == self.as_of:
                self._post(t1)  # a grace missed today makes its penalty owed today
            if self.delinquent:
                self._episodes(t1, before, measured)
            t0 = self.t0 = t1

    def fork(self, ctx: Context, day: date) -> _Replay:
        """A copy of this replay, advanced to ``day``, that goes on in ``ctx``.

        ``ctx`` has the same due items, policies and, before ``day``, the same events;
        from ``day`` on, its events and its as-of date (not before ``day``) are its
        own. The copy replays only the days from ``day`` to its as-of.

        Items settled for good before ``day`` (:meth:`_Item.final`) are shared with
        the copy, not copied: nothing changes them any more, so their results are
        built once for every copy (:meth:`_result`).
        """
        new = _Replay.__new__(_Replay)
        new.__dict__.update(self.__dict__)
        new.ctx = ctx
        new.as_of = ctx.as_of
        clones = {id(item): item if item.final(day) else item.clone() for item in self.items}

        def mapped(items: Iterable[_Item]) -> list[_Item]:
            return [clones[id(item)] for item in items]

        new.items = mapped(self.items)
        new.live = mapped(self.live)
        new.delinquent = mapped(self.delinquent)
        new.joining = mapped(self.joining)
        new.dirty = mapped(self.dirty)
        new.rates = dict(self.rates)
        new.waiting = [(joins, n, clones[id(item)]) for joins, n, item in self.waiting]
        # The copy visits only days from ``day`` on: the items of earlier grace ends, due
        # dates and openings are not looked up again (a bill's group by due date is, at
        # the end of its grace).
        new.by_grace_end = {d: mapped(i) for d, i in self.by_grace_end.items() if d >= day}
        new.by_due = {d: mapped(items) for d, items in self.by_due.items() if d >= day}
        new.by_open = {d: mapped(items) for d, items in self.by_open.items() if d >= day}
        new.revolving_by_due = {d: mapped(items) for d, items in self.revolving_by_due.items()}
        new.bill_dues = list(self.bill_dues)
        new.episodes = [
            {**episode, "items": list(episode["items"]), "ids": set(episode["ids"])}
            for episode in self.episodes
        ]
        new.unknown_rate_items = set(self.unknown_rate_items)
        new.statement_days = set(self.statement_days)
        # The days from ``day`` on are the copy's own: its events, its checkpoints.
        new.seen = {d for d in self.seen if d < day}
        new.checkpoints = []
        new.events_by_day = {d: list(e) for d, e in self.events_by_day.items() if d < day}
        new.paying_days = {d for d in self.paying_days if d < day}
        new.ignored = 0
        for event in ctx.events:
            if event.date < day:
                continue
            if event.date > new.as_of:
                new.ignored += 1
                continue
            new.events_by_day.setdefault(event.date, []).append(event)
            if isinstance(event, (Payment, Waiver)):
                new.paying_days.add(event.date)
            new._checkpoint(event.date)
        for item in new.items:
            for point in (item.spec.open_date, item.spec.due_date, item.grace_end):
                new._checkpoint(point)
        for point in ctx.policies.breakpoints():
            new._checkpoint(point - ONE_DAY)
        new._checkpoint(new.as_of)
        return new

    def _policy_on(self, day: date) -> Policy:
        return self.policy or self.ctx.policies.at(day)

    def _penalty_rate(self, policy: Policy) -> Decimal | None:
        """The daily penalty rate ``policy`` sets (found once per policy version)."""
        key = id(policy)  # the policy set keeps each version, so its identity is stable
        if key in self.rates:
            return self.rates[key]
        rate: Decimal | None = policy.penalty_daily_rate
        if rate is None and policy.penalty_rate_multiplier is not None and self.loan is not None:
            rate = exact(policy.penalty_rate_multiplier * self.loan.daily)
        if rate is not None and policy.penalty_cap is not None:
            rate = min(rate, exact(policy.penalty_cap / policy.day_basis))
        self.rates[key] = rate
        return rate

    def _accrue(self, t0: date, t1: date) -> None:
        """Accrue, in due order, the items whose accrual for ``(t0, t1]`` may be recorded.

        Accrual is lazy: an item is brought up to date (:meth:`_catch_up`) when it is
        read or changed, so a checkpoint costs the items it concerns, not the working
        set. Accruing an item over several checkpoints at once gives the same amounts
        (exact arithmetic) and the same trace as accruing it at each, as long as its
        base, its rate and its state (in grace, past due) do not change in between.
        What can change them makes the item *dirty* — accrued here, at the start of
        the next checkpoint, in due order, as if every item were: a change to what it
        owes, its activation, its due date or grace end, a new version of the policy.
        """
        if t1 <= t0:
            return
        now = self.dirty
        self.dirty = []
        ending = self.by_grace_end.get(t1)
        if ending:
            now = [*now, *(i for i in ending if i.active and not i.dirty)]
        if len(now) > 1:
            now.sort(key=_item_order)
        for item in now:
            item.dirty = False
            if not item.settled:
                self._catch_up(item, t1, eager=True)
        for item in self.by_due.get(t1, ()):
            if item.active and not item.settled:
                self._touch(item)  # its first day past due is accrued in order
        if t1 in self.policy_changes:  # the next day has another policy: split there
            for item in self.live:
                if not item.settled:
                    self._catch_up(item, t1)
                    self._touch(item)

    def _catch_up(self, item: _Item, t1: date, *, eager: bool = False) -> None:
        """Accrue ``item``'s interest and penalty through ``t1`` (from its last accrual)."""
        t0 = item.accrued_to
        if t1 <= t0:
            return
        item.accrued_to = t1
        spec = item.spec
        if spec.revolving_rate is not None and item.out["principal"] > 0:
            days = _overlap(t0, t1, spec.open_date, spec.due_date)
            if days:
                item.interest_exact += item.out["principal"] * spec.revolving_rate * days
        if t1 <= spec.due_date:
            return
        policy = self._policy_on(t0 + ONE_DAY)
        base_kind: str = policy.penalty_base
        base = item.base(base_kind)
        if base <= 0:
            return
        rate = self._penalty_rate(policy)
        if rate is None:
            if spec.id not in self.unknown_rate_items:
                self.unknown_rate_items.add(spec.id)
                self.ctx.fire(
                    "penalty.unknown",
                    spec.id,
                    policy=("penalty_daily_rate",),
                    from_date=spec.due_date + ONE_DAY,
                )
            return
        due_policy = item.due_policy
        first = spec.due_date + ONE_DAY
        if item.delinquent or due_policy.grace == 0:
            days = _overlap(t0, t1, first)
            grace_days = 0
        else:
            grace_days = _overlap(t0, t1, first, item.grace_end)
            days = _overlap(t0, t1, item.grace_end + ONE_DAY)
        if grace_days:
            amount = base * rate * grace_days
            if due_policy.penalty_from == "due_date":
                if due_policy.grace_waives_penalty:
                    item.pending += amount
                    item.pending_days += grace_days
                else:
                    item.penalty_exact += amount
                    item.penalty_days += grace_days
        if days:
            amount = base * rate * days
            item.penalty_exact += amount
            item.penalty_days += days
            self._record_accrual(item, base, base_kind, rate, days, t1, amount, eager)

    def _record_accrual(
        self,
        item: _Item,
        base: Decimal,
        base_kind: str,
        rate: Decimal,
        days: int,
        through: date,
        amount: Decimal,
        eager: bool,
    ) -> None:
        """Trace an accrual: it extends the item's run at the same base and rate, or starts one.

        The trace grows with the changes of base or rate, not with the checkpoints: an
        overdue item accruing across many other items' dates is one firing (its place in
        the trace is where the run began).
        """
        run = item.run
        if run is not None and (run.base, run.base_kind, run.rate) == (base, base_kind, rate):
            run.days += days
            run.through = through
            run.amount += amount
            return
        # Only an accrual in order (see _accrue) may begin a run: its place is now.
        assert eager, f"{item.spec.id}: a run begins outside its checkpoint's order"
        if run is not None:
            self._close_run(item)
        firings = self.ctx.firings
        item.run = _AccrualRun(
            len(firings) - self.firings_start, base, base_kind, rate, days, through, amount
        )
        firings.append(None)  # its place: filled when the run ends

    def _close_run(self, item: _Item) -> None:
        """Write the item's accrual run as one ``penalty.accrual`` firing, in its place."""
        run = item.run
        assert run is not None
        item.run = None
        ctx = self.ctx
        ctx.fire(
            "penalty.accrual",
            item.spec.id,
            policy=("penalty_daily_rate", "penalty_base"),
            days=run.days,
            through=run.through,
            base=run.base,
            base_kind=run.base_kind,
            daily_rate=run.rate,
            amount=run.amount,
        )
        ctx.firings[self.firings_start + run.at] = ctx.firings.pop()

    def _pre_event_stats(self, t1: date) -> dict[str, tuple[int, Decimal]]:
        # Only items that are, or may become today, past grace count for an episode.
        ending = self.by_grace_end.get(t1)
        if not self.delinquent and not ending:
            return {}
        candidates = [*self.delinquent, *(ending or ())]
        stats: dict[str, tuple[int, Decimal]] = {}
        for item in candidates:
            if item.settled or item.spec.due_date >= t1:
                continue
            self._catch_up(item, t1)
            penalty = item.out["penalty"] + to_fen(
                item.penalty_exact + item.pending
                if item.due_policy.penalty_from == "due_date"
                else item.penalty_exact
            )
            amount = sum_money(
                (
                    item.out["principal"],
                    item.out["interest"],
                    item.out["fees"],
                    penalty,
                    to_fen(item.interest_exact),
                )
            )
            stats[item.spec.id] = ((t1 - item.spec.due_date).days, amount)
        return stats

    def _post(self, day: date) -> None:
        for item in self.live:
            if item.settled:
                continue  # a settled item's sub-fen rest is not owed
            self._catch_up(item, day)
            for exact_name, component in (
                ("penalty_exact", "penalty"),
                ("interest_exact", "interest"),
            ):
                accrued: Decimal = getattr(item, exact_name)
                if accrued:
                    # Post the rounded amount and carry the sub-fen rest to the next
                    # posting, so the total posted is always the exact total rounded once.
                    done = item.accrual_posted[component]
                    posted = to_fen(done + accrued) - done
                    item.accrual_posted[component] = done + posted
                    item.out[component] += posted
                    item.charged[component] += posted
                    setattr(item, exact_name, accrued - posted)
                    if posted and component == "interest":
                        self._touch(item)  # what it owes (its base) changed
                    if posted:
                        self.ctx.fire(
                            "accrual.posting",
                            item.spec.id,
                            date=day,
                            component=component,
                            exact=accrued,
                            posted=posted,
                        )

    def _open_items(self, day: date) -> None:
        candidates = self.by_open.get(day)
        if not candidates:
            return
        opening = [i for i in candidates if i.active and i.spec.open_date == day and not i.settled]
        for item in sorted(opening, key=_item_order):
            if not item.settled:
                if self.credit > 0:
                    self.credit = self._allocate(
                        item, self.credit, day, "credit", self._policy_on(day)
                    )
                # An item that owes nothing (e.g. a 0 % interest-only period) is settled
                # as soon as it opens.
                self._settle_check(item, day)

    def _open(self, day: date) -> list[_Item]:
        return [i for i in self.live if i.spec.open_date <= day and not i.settled]

    def _allocate(
        self, item: _Item, amount: Decimal, day: date, source: str, policy: Policy
    ) -> Decimal:
        self._change(item, day)
        for component in policy.allocation_order:
            take = min(amount, item.out[component])
            if take > 0:
                item.out[component] -= take
                item.paid[component] += take
                amount -= take
                item.allocations.append(Allocation(day, source, component, take))
        return amount

    def _settle_check(self, item: _Item, day: date) -> None:
        # A carried sub-fen rest (|rest| <= 0.005 after posting) does not keep an item open.
        self._catch_up(item, day)
        if item.settled_on is None and item.owes_nothing() and to_fen(item.penalty_exact) <= 0:
            self._settle(item, day)
            if item.pending:
                self.ctx.fire(
                    "grace.period",
                    item.spec.id,
                    policy=("grace_days", "grace_waives_penalty"),
                    paid_on=day,
                    grace_end=item.grace_end,
                    penalty_waived=to_fen(item.pending),
                )
                item.pending = ZERO
                item.pending_days = 0

    def _settle(self, item: _Item, day: date | None, status: str = "") -> None:
        """Mark ``item`` settled on ``day`` (cancelled items keep no day).

        A settled item owes nothing, so accrues nothing: its accrual run is over and is
        written now (in its place in the trace), as it would be at the end.
        """
        item.settled = True
        item.settled_on = day
        if status:
            item.status = status
        self.settlements += 1
        if item.run is not None:
            self._close_run(item)

    def _apply(self, event: Event, day: date) -> None:
        policy = self._policy_on(day)
        if isinstance(event, Payment):
            self._pay(event, day, policy)
        elif isinstance(event, Waiver):
            left = event.amount
            for item in self._open(day):
                take = min(left, item.out[event.component])
                if take > 0:
                    self._change(item, day)
                    item.out[event.component] -= take
                    item.waived[event.component] += take
                    item.allocations.append(Allocation(day, "waiver", event.component, take))
                    left -= take
                    self._settle_check(item, day)
            self.ctx.fire(
                "waiver.applied",
                f"waiver {day}",
                component=event.component,
                amount=event.amount,
                applied=event.amount - left,
                not_applied=left,
            )
        elif isinstance(event, GuarantorPaid):
            self.guarantor_paid_on = day
            self.owed_to = event.guarantor or "guarantor"
            owed = sum_money(i.owed() for i in self.items if not i.settled)
            self.ctx.fire(
                "guarantor.compensation",
                f"guarantor {day}",
                guarantor=self.owed_to,
                amount=event.amount if event.amount is not None else "unknown",
                owed_now=owed,
            )
        elif isinstance(event, Agreement):
            self._agree(event, day)
        elif isinstance(event, WrittenOff):
            self.written_off_on = day
        elif isinstance(event, AccountClosed):
            self.closed_on = day

    def _agree(self, agreement: Agreement, day: date) -> None:
        """Replace everything still owed by the agreed plan (see :class:`Agreement`)."""
        self._post(day)
        covered = [i for i in self.items if not i.settled]
        moved = {c: sum_money(i.out[c] for i in covered) for c in COMPONENTS}
        owed = sum_money(moved.values())
        shortfall = owed - agreement.total
        waive_left = max(ZERO, shortfall)
        for component in ("penalty", "fees", "interest", "principal"):
            for item in covered:
                take = min(waive_left, item.out[component])
                if take > 0:
                    item.out[component] -= take
                    item.waived[component] += take
                    item.allocations.append(Allocation(day, "agreement", component, take))
                    moved[component] -= take
                    waive_left -= take
        for item in covered:
            for component in COMPONENTS:
                item.charged[component] -= item.out[component]
            item.out = dict.fromkeys(COMPONENTS, ZERO)
            item.penalty_exact = ZERO
            item.pending = ZERO
            self._settle(item, day, "restructured")
        remaining = dict(moved)
        opened = day
        for number, planned in enumerate(agreement.installments, start=1):
            parts: dict[str, Decimal] = dict.fromkeys(COMPONENTS, ZERO)
            need = planned.amount
            for component in ("principal", "interest", "fees", "penalty"):
                take = min(need, remaining[component])
                parts[component] += take
                remaining[component] -= take
                need -= take
            parts["fees"] += need  # the plan costs more than was owed: a plan fee
            spec = ItemSpec(
                id=f"agreement-{day.isoformat()}-{number}",
                kind="agreement",
                open_date=opened,
                due_date=planned.due_date,
                principal=parts["principal"],
                interest=parts["interest"],
                fees=parts["fees"],
                penalty=parts["penalty"],
                period=number,
            )
            self._add_item(spec)
            opened = planned.due_date
        self.ctx.fire(
            "agreement.plan",
            f"agreement {day}",
            owed=owed,
            plan_total=agreement.total,
            waived=max(ZERO, shortfall),
            plan_fee=max(ZERO, -shortfall),
            installments=len(agreement.installments),
            counterparty=agreement.counterparty or self.owed_to,
        )

    def _pay(self, payment: Payment, day: date, policy: Policy) -> None:
        amount = payment.amount
        if (
            policy.overpayment == "prepay"
            and self.loan is not None
            and self._maybe_prepay(amount + self.credit, day)
        ):
            for item in self._open(day):  # the payoff uses any credit first
                if self.credit <= 0:
                    break
                self.credit = self._allocate(item, self.credit, day, "credit", policy)
                self._settle_check(item, day)
        for item in self._open(day):
            before = amount
            amount = self._allocate(item, amount, day, "payment", policy)
            if amount != before:
                self._settle_check(item, day)
            if amount == 0:
                break
        self.ctx.fire(
            "payment.waterfall",
            f"payment {day}",
            policy=("allocation_order",),
            amount=payment.amount,
            applied=payment.amount - amount,
            order=" → ".join(policy.allocation_order),
        )
        if amount > 0:
            self.credit += amount
            self.ctx.fire("payment.credit", f"payment {day}", amount=amount, credit=self.credit)

    def _maybe_prepay(self, available: Decimal, day: date) -> bool:
        """Restructure the loan for an early payoff if ``available`` covers it."""
        assert self.loan is not None
        for item in self.live:
            if not item.settled:
                self._catch_up(item, day)
        live = [i for i in self.items if not i.settled]
        current = [i for i in live if i.spec.open_date <= day < i.spec.due_date]
        future = [i for i in live if i.spec.open_date > day]
        if not future and not current:
            return False
        past = [i for i in live if i.spec.due_date <= day]
        quote = sum_money(i.owed() for i in past) + sum_money(to_fen(i.penalty_exact) for i in past)
        new_interest: dict[str, Decimal] = {}
        for item in current:
            days = (day - item.spec.open_date).days
            owed_interest = to_fen(item.spec.opening_balance * self.loan.daily * days)
            new_interest[item.spec.id] = owed_interest
            quote += (
                item.out["principal"]
                + item.out["fees"]
                + item.out["penalty"]
                + max(ZERO, owed_interest - item.paid["interest"] - item.waived["interest"])
            )
        quote += sum_money(i.out["principal"] for i in future)
        # An installment of this period already paid in full (e.g. from credit) may have
        # paid more interest than runs to the payoff day: the excess is given back.
        refunds: list[tuple[_Item, Decimal]] = []
        for item in self.items:
            if (
                item.settled_on is not None
                and not item.status
                and item.spec.kind == "installment"
                and item.spec.open_date <= day < item.spec.due_date
            ):
                days = (day - item.spec.open_date).days
                due = to_fen(item.spec.opening_balance * self.loan.daily * days)
                excess = item.paid["interest"] - max(ZERO, due - item.waived["interest"])
                if excess > 0:
                    refunds.append((item, excess))
                    quote -= excess
        if available < quote:
            return False
        anchor = current[0] if current else future[0]
        self._touch(anchor)
        if not current:
            new_interest[anchor.spec.id] = ZERO
            # The next installment takes the payoff: it is open (payable) from today.
            anchor.spec = attrs.evolve(anchor.spec, open_date=day)
            if not anchor.active:
                self._activate(anchor, day)
        saved = ZERO
        for item in [*current, *future]:
            if item is not anchor:
                anchor.out["principal"] += item.out["principal"]
                anchor.charged["principal"] += item.out["principal"]
                item.charged["principal"] -= item.out["principal"]
                saved += item.out["interest"]
                item.charged["interest"] -= item.out["interest"]
                item.out = dict.fromkeys(COMPONENTS, ZERO)
                self._settle(item, None, "cancelled")
        for item, excess in refunds:
            item.paid["interest"] -= excess
            item.charged["interest"] -= excess
            item.allocations.append(Allocation(day, "refund", "interest", -excess))
            self.credit += excess
            saved += excess
        target = new_interest[anchor.spec.id]
        already = anchor.paid["interest"] + anchor.waived["interest"]
        reduce = anchor.out["interest"] - max(ZERO, target - already)
        if reduce > 0:
            anchor.out["interest"] -= reduce
            anchor.charged["interest"] -= reduce
            saved += reduce
        excess = anchor.paid["interest"] - max(ZERO, target - anchor.waived["interest"])
        if excess > 0:  # interest paid earlier in the period beyond the interest to date
            anchor.paid["interest"] -= excess
            anchor.charged["interest"] -= excess
            anchor.allocations.append(Allocation(day, "refund", "interest", -excess))
            self.credit += excess
            saved += excess
        self.ctx.fire(
            "early_repayment.interest_to_date",
            anchor.spec.id,
            policy=("overpayment",),
            payoff_date=day,
            payoff_amount=quote,
            interest_to_date=target,
            interest_saved=saved,
            daily_rate=self.loan.daily,
        )
        return True

    def _transitions(self, day: date) -> None:
        candidates = self.by_grace_end.get(day)
        if not candidates:
            return
        revolving_groups: dict[date, list[_Item]] = {}
        ending = [i for i in candidates if not (i.settled or i.delinquent)]
        for item in sorted(ending, key=_item_order):
            policy = item.due_policy
            if (
                self.ctx.account.product == "revolving"
                and item.spec.kind in ("bill", "rollover")
                and policy.minimum_payment_ratio is not None
            ):
                revolving_groups.setdefault(item.spec.due_date, []).append(item)
                continue
            self._miss_grace(item, day)
        for due_date, group in revolving_groups.items():
            self._minimum_payment(due_date, group, day)

    def _miss_grace(self, item: _Item, day: date) -> None:
        self._touch(item)
        item.delinquent = True
        bisect.insort(self.delinquent, item, key=_item_order)
        self.joining.append(item)
        if item.pending:
            item.penalty_exact += item.pending
            item.penalty_days += item.pending_days
            item.pending = ZERO
            item.pending_days = 0
        if item.due_policy.grace:
            self.ctx.fire(
                "grace.missed",
                item.spec.id,
                policy=("grace_days", "penalty_from"),
                grace_end=day,
                penalty_from=item.due_policy.penalty_from,
            )

    def _minimum_payment(self, due_date: date, group: list[_Item], day: date) -> None:
        policy = group[0].due_policy
        ratio: Decimal = policy.minimum_payment_ratio
        all_due = self.revolving_by_due.get(due_date, [])
        billed = sum_money(
            i.charged["principal"] + i.charged["interest"] + i.charged["fees"] for i in all_due
        )
        paid = sum_money(i.paid["principal"] + i.paid["interest"] + i.paid["fees"] for i in all_due)
        # A minimum is rounded half-up to the fen, with a floor of 0.01 on a bill that is
        # not zero (conventions A.1: 10% of 2,345.61 is 234.56, of 0.04 is 0.01).
        minimum = max(to_fen(billed * ratio), FEN) if billed > 0 else ZERO
        if paid < minimum or policy.revolving_daily_rate is None:
            for item in group:
                self._miss_grace(item, day)
            return
        rest = {c: sum_money(i.out[c] for i in group) for c in COMPONENTS}
        for item in group:
            for component in COMPONENTS:
                item.charged[component] -= item.out[component]
            item.out = dict.fromkeys(COMPONENTS, ZERO)
            self._settle(item, day, "revolved")
            item.pending = ZERO
            item.pending_days = 0
        later = bisect.bisect_right(self.bill_dues, due_date)
        next_due = self.bill_dues[later] if later < len(self.bill_dues) else add_months(due_date, 1)
        rate: Decimal = policy.revolving_daily_rate
        principal = rest["principal"]
        spec = ItemSpec(
            id=f"revolved-{due_date.isoformat()}",
            kind="rollover",
            open_date=due_date + ONE_DAY,
            due_date=next_due,
            principal=principal,
            interest=rest["interest"],
            fees=rest["fees"],
            penalty=rest["penalty"],
            revolving_rate=rate,
        )
        rollover = self._add_item(spec)
        self.statement_days.add(next_due)
        retro = (day - due_date).days
        if retro:
            rollover.interest_exact += principal * rate * retro
        self.ctx.fire(
            "revolving.minimum_payment",
            f"bill {due_date}",
            policy=("minimum_payment_ratio", "revolving_daily_rate"),
            billed=billed,
            minimum=minimum,
            paid=paid,
            revolved=sum_money(rest.values()),
            daily_rate=rate,
            next_due=next_due,
        )

    def _episodes(self, day: date, before: dict[str, tuple[int, Decimal]], measured: bool) -> None:
        if not self.delinquent:
            return
        current = self.episodes[-1] if self.episodes and self.episodes[-1]["end"] is None else None
        if not measured:
            # Nothing was paid, waived, credited or restructured today: nothing past due
            # was settled, so an episode in progress goes on, and what fell past due
            # since joins it; without one, an item past due opens one (below).
            if current is not None:
                self._join(current, day)
                return
            if not any(not i.settled and i.spec.due_date < day for i in self.joining):
                return
        delinquent = self.delinquent  # in due order, like live
        delinquent_before = [i for i in delinquent if i.spec.id in before]
        # An item unpaid at the end of its due date is past due from the next day: it joins
        # (or opens) an episode only from then on (A.2, A.6).
        open_now = [i for i in delinquent if not i.settled and i.spec.due_date < day]
        involved = {i.spec.id: i for i in [*delinquent_before, *open_now]}
        if not involved:
            return
        self.joining = [i for i in self.joining if not i.settled and i.spec.id not in involved]
        if current is None:
            start = min(i.spec.due_date for i in involved.values()) + ONE_DAY
            if self.episodes and self.episodes[-1]["end"] >= start:
                current = self.episodes[-1]
                current["end"] = None
            else:
                current = {
                    "start": start,
                    "end": None,
                    "dpd": 0,
                    "amount": ZERO,
                    "items": [],
                    "ids": set(),
                }
                self.episodes.append(current)
            self.ctx.fire("episode.tracking", f"episode {current['start']}", started=start)
        ids: set[str] = current["ids"]
        for item_id in involved:
            if item_id not in ids:
                ids.add(item_id)
                current["items"].append(item_id)
        stats = [before[i.spec.id] for i in delinquent_before]
        if stats:
            current["dpd"] = max(current["dpd"], max(s[0] for s in stats))
            current["amount"] = max(current["amount"], sum_money(s[1] for s in stats))
        if open_now and day == self.as_of:
            dpd = max((day - i.spec.due_date).days for i in open_now)
            current["dpd"] = max(current["dpd"], dpd)
            current["amount"] = max(current["amount"], sum_money(i.owed() for i in open_now))
        if not open_now:
            current["end"] = day
            self.ctx.fire(
                "episode.tracking",
                f"episode {current['start']}",
                ended=day,
                max_days_past_due=current["dpd"],
                max_overdue_amount=current["amount"],
            )

    def _join(self, current: dict[str, Any], day: date) -> None:
        """Add to the episode in progress the items past due since the last checkpoint."""
        joined: list[_Item] = []
        waiting: list[_Item] = []
        for item in self.joining:
            if not item.settled:
                (joined if item.spec.due_date < day else waiting).append(item)
        self.joining = waiting
        ids: set[str] = current["ids"]
        for item in sorted(joined, key=_item_order):  # as they come in the working set
            if item.spec.id not in ids:
                ids.add(item.spec.id)
                current["items"].append(item.spec.id)

    # -- results --------------------------------------------------------
    def _status(self, item: _Item) -> str:
        if item.status:
            return item.status
        spec = item.spec
        if item.settled_on is not None:
            if item.settled_on <= spec.due_date:
                return "paid_on_time"
            return "paid_in_grace" if not item.delinquent else "paid_late"
        if spec.open_date > self.as_of:
            return "not_due"
        if self.as_of <= spec.due_date:
            return "open"
        return "overdue" if item.delinquent else "in_grace"

    def _result(self, item: _Item, days_past_due: int) -> DueItemResult:
        spec = item.spec
        of = Components.of
        return DueItemResult(
            spec.id,
            spec.kind,
            spec.period,
            spec.open_date,
            spec.due_date,
            of({"principal": spec.principal, "interest": spec.interest, "fees": spec.fees}),
            of(item.charged),
            of(item.paid),
            of(item.waived),
            of(item.out),
            item.settled_on,
            days_past_due,
            item.penalty_days,
            self._status(item),
            tuple(item.allocations),
        )

    def _ledger(self) -> Ledger:
        results = []
        dpd = 0
        as_of = self.as_of
        for item in self.items:
            spec = item.spec
            if item.settled:
                # A settled item's result does not depend on the as-of date: an item a
                # fork shares (final) is written once for every what-if.
                if item.result is None:
                    item.result = self._result(item, 0)
                results.append(item.result)
                continue
            item_dpd = (as_of - spec.due_date).days if spec.due_date < as_of else 0
            if item_dpd > dpd:
                dpd = item_dpd
            results.append(self._result(item, item_dpd))
        # Owed but not yet billed: a loan's future principal (its interest is not owed
        # yet) and every part of a signed plan's future installments.
        future = [i for i in self.items if i.spec.open_date > self.as_of and not i.settled]
        unopened = Components.sum(
            Components.of(
                i.out if i.spec.kind == "agreement" else {"principal": i.out["principal"]}
            )
            for i in future
            if i.spec.kind in ("installment", "agreement")
        )
        episodes = tuple(
            Episode(
                start=e["start"],
                end=e["end"],
                max_days_past_due=e["dpd"],
                max_overdue_amount=e["amount"],
                items=tuple(e["items"]),
            )
            for e in self.episodes
        )
        return Ledger(
            items=tuple(results),
            episodes=episodes,
            credit=self.credit,
            unopened=unopened,
            days_past_due=dpd,
            owed_to=self.owed_to,
            closed_on=self.closed_on,
            written_off_on=self.written_off_on,
            guarantor_paid_on=self.guarantor_paid_on,
            ignored_events=self.ignored,
        )


def summarize(items: Iterable[DueItemResult], as_of: date) -> tuple[Components, Components]:
    """Return (outstanding on billed items, past-due part) at ``as_of``."""
    billed = [i for i in items if i.open_date <= as_of]
    overdue = [i for i in billed if i.due_date < as_of and i.still_owed]
    return (
        Components.sum(i.outstanding for i in billed),
        Components.sum(i.outstanding for i in overdue),
    )
