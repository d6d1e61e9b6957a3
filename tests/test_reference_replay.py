"""The optimised replay and report equal straightforward references, figure for figure.

The reference below is the replay as it was before it was made linear (issue 10): every
due item is in the working list from the start, and every checkpoint scans all of them
(for the grace ends, the items opening today, the minimum-payment groups, …). It is slow
— quadratic in the number of items — and kept here, unchanged in behaviour, because it is
easy to check against the conventions line by line. It accrues every item at every
checkpoint; the engine accrues an item only when it is read or changed. Both compute in
the engine's exact accrual context, where the two give the same amounts. The property
test assesses generated accounts with both replays and compares the whole assessments:
every amount, date, status, episode, rule firing, report month and record.

Likewise the credit-report grid is computed in one pass over the items sorted by date; the
reference grid below asks every item about every month, as the conventions read.
"""

from __future__ import annotations

import bisect
import heapq
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import Account, Assessment, Payment, PlannedPayment, assess
from creditrules._engine import ACCRUAL
from creditrules.assessment import Allocation, Components, DueItemResult, Episode, RuleFiring
from creditrules.ledger import ItemSpec, Ledger
from creditrules.model import (
    AccountClosed,
    Agreement,
    Event,
    GuarantorPaid,
    Waiver,
    WrittenOff,
    add_months,
)
from creditrules.money import FEN, ZERO, exact, sum_money, to_fen
from creditrules.policy import COMPONENTS, Policy, PolicySet
from creditrules.report import _Builder
from creditrules.rules import Context
from creditrules.testing import strategies as cs

ONE_DAY = timedelta(days=1)


# ---------------------------------------------------------------- the reference replay


def _overlap(t0: date, t1: date, first: date, last: date | None = None) -> int:
    """Days d with t0 < d <= t1 and first <= d (<= last)."""
    lo = max(t0 + ONE_DAY, first)
    hi = t1 if last is None else min(t1, last)
    return max(0, (hi - lo).days + 1)


def _item_order(item: _Item) -> tuple[date, date, str]:
    spec = item.spec
    return (spec.due_date, spec.open_date, spec.id)


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
    allocations: list[Allocation] = attrs.field(factory=list)

    @property
    def settled(self) -> bool:
        return self.settled_on is not None or self.status in ("revolved", "cancelled")

    def owed(self) -> Decimal:
        return sum_money(self.out.values())

    def base(self, kind: str) -> Decimal:
        if kind == "unpaid_principal":
            return self.out["principal"]
        if kind == "unpaid_principal_and_interest":
            return self.out["principal"] + self.out["interest"]
        return self.out["principal"] + self.out["interest"] + self.out["fees"]


class _Replay:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.as_of = ctx.as_of
        self.loan = ctx.account.loan
        self.items: list[_Item] = []
        #: Items not settled at the start of the current checkpoint (pruned once per
        #: checkpoint), so each step looks only at what can still change.
        self.live: list[_Item] = []
        self.credit = ZERO
        self.checkpoints: list[date] = []
        #: The checkpoint being replayed (None while setting up).
        self.today: date | None = None
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
        for point in ctx.policies.breakpoints():
            self._checkpoint(point - ONE_DAY)
        self.events_by_day: dict[date, list[Event]] = {}
        self.ignored = 0
        for event in ctx.events:
            if event.date > self.as_of:
                self.ignored += 1
                continue
            self.events_by_day.setdefault(event.date, []).append(event)
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
        policy = self.ctx.policies.at(spec.due_date)
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
        # The working set stays in due-date order (oldest first, A.5), also for items
        # created mid-replay such as a revolved rest, which falls due before later bills.
        bisect.insort(self.live, item, key=_item_order)
        for day in (spec.open_date, spec.due_date, grace_end):
            self._checkpoint(day)
        return item

    # -- main loop ------------------------------------------------------
    def run(self) -> Ledger:
        if self.checkpoints:
            t0 = min(self.checkpoints[0], self.ctx.account.opened_on) - ONE_DAY
        else:
            t0 = self.as_of
        while self.checkpoints:
            t1 = heapq.heappop(self.checkpoints)
            self.today = t1
            self.live = [i for i in self.live if not i.settled]
            self._accrue(t0, t1)
            before = self._pre_event_stats(t1)
            self._open_items(t1)
            events = self.events_by_day.get(t1, [])
            if (
                any(isinstance(e, (Payment, Waiver)) for e in events)
                or t1 == self.as_of
                or t1 in self.statement_days
            ):
                self._post(t1)
            for event in events:
                self._apply(event, t1)
            self._transitions(t1)
            if t1 == self.as_of:
                self._post(t1)  # a grace missed today makes its penalty owed today
            self._episodes(t1, before)
            t0 = t1
        return self._ledger()

    def _penalty_rate(self, item: _Item, policy: Policy) -> Decimal | None:
        rate: Decimal | None = policy.penalty_daily_rate
        if rate is None and policy.penalty_rate_multiplier is not None and self.loan is not None:
            rate = exact(policy.penalty_rate_multiplier * self.loan.daily)
        if rate is not None and policy.penalty_cap is not None:
            rate = min(rate, exact(policy.penalty_cap / policy.day_basis))
        return rate

    def _accrue(self, t0: date, t1: date) -> None:
        if t1 <= t0:
            return
        policy = self.ctx.policies.at(t0 + ONE_DAY)
        for item in self.live:
            if item.settled:
                continue
            spec = item.spec
            if spec.revolving_rate is not None and item.out["principal"] > 0:
                days = _overlap(t0, t1, spec.open_date, spec.due_date)
                if days:
                    item.interest_exact += item.out["principal"] * spec.revolving_rate * days
            if t1 <= spec.due_date:
                continue
            base = item.base(policy.penalty_base)
            if base <= 0:
                continue
            rate = self._penalty_rate(item, policy)
            if rate is None:
                if item.spec.id not in self.unknown_rate_items:
                    self.unknown_rate_items.add(item.spec.id)
                    self.ctx.fire(
                        "penalty.unknown",
                        spec.id,
                        policy=("penalty_daily_rate",),
                        from_date=spec.due_date + ONE_DAY,
                    )
                continue
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
                self.ctx.fire(
                    "penalty.accrual",
                    spec.id,
                    policy=("penalty_daily_rate", "penalty_base"),
                    days=days,
                    through=t1,
                    base=base,
                    base_kind=policy.penalty_base,
                    daily_rate=rate,
                    amount=amount,
                )

    def _pre_event_stats(self, t1: date) -> dict[str, tuple[int, Decimal]]:
        stats: dict[str, tuple[int, Decimal]] = {}
        for item in self.live:
            if item.settled or item.spec.due_date >= t1:
                continue
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
        for item in self.live:
            if item.spec.open_date == day and not item.settled:
                if self.credit > 0:
                    self.credit = self._allocate(
                        item, self.credit, day, "credit", self.ctx.policies.at(day)
                    )
                # An item that owes nothing (e.g. a 0 % interest-only period) is settled
                # as soon as it opens.
                self._settle_check(item, day)

    def _open(self, day: date) -> list[_Item]:
        return [i for i in self.live if i.spec.open_date <= day and not i.settled]

    def _allocate(
        self, item: _Item, amount: Decimal, day: date, source: str, policy: Policy
    ) -> Decimal:
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
        if item.settled_on is None and item.owed() == 0 and to_fen(item.penalty_exact) <= 0:
            item.settled_on = day
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

    def _apply(self, event: Event, day: date) -> None:
        policy = self.ctx.policies.at(day)
        if isinstance(event, Payment):
            self._pay(event, day, policy)
        elif isinstance(event, Waiver):
            left = event.amount
            for item in self._open(day):
                take = min(left, item.out[event.component])
                if take > 0:
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
            item.status = "restructured"
            item.settled_on = day
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
        if not current:
            new_interest[anchor.spec.id] = ZERO
            # The next installment takes the payoff: it is open (payable) from today.
            anchor.spec = attrs.evolve(anchor.spec, open_date=day)
        saved = ZERO
        for item in [*current, *future]:
            if item is not anchor:
                anchor.out["principal"] += item.out["principal"]
                anchor.charged["principal"] += item.out["principal"]
                item.charged["principal"] -= item.out["principal"]
                saved += item.out["interest"]
                item.charged["interest"] -= item.out["interest"]
                item.out = dict.fromkeys(COMPONENTS, ZERO)
                item.status = "cancelled"
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
        revolving_groups: dict[date, list[_Item]] = {}
        for item in self.live:
            if item.settled or item.delinquent or item.grace_end != day:
                continue
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
        item.delinquent = True
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
        all_due = [
            i
            for i in self.items
            if i.spec.due_date == due_date and i.spec.kind in ("bill", "rollover")
        ]
        billed = sum_money(
            i.charged["principal"] + i.charged["interest"] + i.charged["fees"] for i in all_due
        )
        paid = sum_money(i.paid["principal"] + i.paid["interest"] + i.paid["fees"] for i in all_due)
        # A minimum is rounded half-up to the fen, with a floor of 0.01 (conventions A.1).
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
            item.status = "revolved"
            item.settled_on = day
            item.pending = ZERO
            item.pending_days = 0
        next_due = min(
            (
                i.spec.due_date
                for i in self.items
                if i.spec.kind == "bill" and i.spec.due_date > due_date
            ),
            default=add_months(due_date, 1),
        )
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

    def _episodes(self, day: date, before: dict[str, tuple[int, Decimal]]) -> None:
        delinquent_before = [i for i in self.live if i.delinquent and i.spec.id in before]
        # An item unpaid at the end of its due date is past due from the next day: it joins
        # (or opens) an episode only from then on (A.2, A.6).
        open_now = [
            i for i in self.live if i.delinquent and not i.settled and i.spec.due_date < day
        ]
        current = self.episodes[-1] if self.episodes and self.episodes[-1]["end"] is None else None
        involved = {i.spec.id: i for i in [*delinquent_before, *open_now]}
        if not involved:
            return
        if current is None:
            start = min(i.spec.due_date for i in involved.values()) + ONE_DAY
            if self.episodes and self.episodes[-1]["end"] >= start:
                current = self.episodes[-1]
                current["end"] = None
            else:
                current = {"start": start, "end": None, "dpd": 0, "amount": ZERO, "items": []}
                self.episodes.append(current)
            self.ctx.fire("episode.tracking", f"episode {current['start']}", started=start)
        for item_id in involved:
            if item_id not in current["items"]:
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

    def _ledger(self) -> Ledger:
        results = []
        dpd = 0
        for item in self.items:
            spec = item.spec
            unsettled = not item.settled and spec.due_date < self.as_of
            item_dpd = (self.as_of - spec.due_date).days if unsettled else 0
            dpd = max(dpd, item_dpd)
            results.append(
                DueItemResult(
                    id=spec.id,
                    kind=spec.kind,
                    period=spec.period,
                    open_date=spec.open_date,
                    due_date=spec.due_date,
                    scheduled=Components(
                        principal=spec.principal, interest=spec.interest, fees=spec.fees
                    ),
                    charged=Components.of(item.charged),
                    paid=Components.of(item.paid),
                    waived=Components.of(item.waived),
                    outstanding=Components.of(item.out),
                    settled_on=item.settled_on,
                    days_past_due=item_dpd,
                    penalty_days=item.penalty_days,
                    status=self._status(item),
                    allocations=tuple(item.allocations),
                )
            )
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


def reference_replay(ctx: Context) -> None:
    """Rule ``timeline.replay``, the reference way."""
    start = len(ctx.firings)
    with localcontext(ACCRUAL):  # exact accruals, as in the engine
        ctx.ledger = _Replay(ctx).run()
        ctx.firings[start:] = _merged_accruals(ctx.firings[start:])


def _merged_accruals(firings: list[RuleFiring]) -> list[RuleFiring]:
    """The trace with each item's consecutive accruals at one base and rate as one firing.

    The reference fires per interval; the trace keeps one ``penalty.accrual`` per run of
    an item's accruals at the same base, base kind and rate, in the place of the run's
    first interval: its days summed, its last day, its amounts summed exactly.
    """
    merged: list[RuleFiring | None] = []
    open_runs: dict[str, int] = {}
    for firing in firings:
        if firing.rule != "penalty.accrual":
            merged.append(firing)
            continue
        facts = dict(firing.facts)
        key = (facts["base"], facts["base_kind"], facts["daily_rate"])
        at = open_runs.get(firing.subject)
        previous = merged[at] if at is not None else None
        if previous is not None:
            earlier = dict(previous.facts)
            if (earlier["base"], earlier["base_kind"], earlier["daily_rate"]) == key:
                earlier["days"] = str(int(earlier["days"]) + int(facts["days"]))
                earlier["through"] = facts["through"]
                amount = Decimal(earlier["amount"]) + Decimal(facts["amount"])
                earlier["amount"] = str(amount)
                merged[at] = attrs.evolve(previous, facts=tuple(earlier.items()))
                continue
        open_runs[firing.subject] = len(merged)
        merged.append(firing)
    return [f for f in merged if f is not None]


def _with_reference(account: Account, as_of: date) -> Assessment:
    registry = creditrules.get_registry()
    rule = attrs.evolve(registry.rules["timeline.replay"], apply=reference_replay)
    return assess(account, as_of, ruleset=registry.rules.replace(rule), registry=registry)


class _ReferenceGrid(_Builder):
    """The report builder with the month codes computed by scanning every item."""

    def nothing_owed(self, day: date) -> bool:
        return all(not i.unpaid_at(day) for i in self.items)

    def code(self, start: date, day: date) -> str:
        if day < self.account.opened_on:
            return "/"
        owed_nothing = self.nothing_owed(day)
        closed = self.a.closed_on is not None and self.a.closed_on <= day
        if owed_nothing and (self.closes or closed):
            return "C"
        written_off = self.a.written_off_on
        if written_off is not None and written_off <= day and not owed_nothing:
            return "B"
        if any(start < g <= day for g in self.guarantor_days):
            return "D"
        dpd = max(
            ((day - i.due).days for i in self.items if i.grace_end < day and i.unpaid_at(day)),
            default=0,
        )
        if dpd > 0:
            return self.bureau.dpd_code(dpd)
        for i in self.items:
            settled = i.settled_on
            if (
                settled is not None
                and not i.revolved
                and start < settled <= day
                and settled > i.grace_end >= start
            ):
                return "M"
        due_now = any(start < i.due <= day for i in self.items)
        arrears = any(i.due < day and i.unpaid_at(day) for i in self.items)
        if not due_now and not arrears:
            return "*"
        return "N"

    def episode_of(self, start: date, day: date) -> int | None:
        episodes = self.a.episodes
        for index in range(len(episodes) - 1, -1, -1):
            e = episodes[index]
            if e.start <= day and (e.end is None or e.end > day):
                return index
        for index in range(len(episodes) - 1, -1, -1):
            e = episodes[index]
            if e.start <= day and (e.end is None or e.end > start):
                return index
        return None


def _reference_report(assessment: Assessment, account: Account) -> creditrules.Report:
    registry = creditrules.get_registry()
    provider = registry.provider(account.provider)
    policies = PolicySet(provider=provider.policy, account=account.policy)
    bureau = registry.bureau(policies.at(assessment.as_of).bureau)
    return _ReferenceGrid(assessment, account, bureau, policies).build()


def _same(account: Account, as_of: date) -> None:
    fast, reference = assess(account, as_of), _with_reference(account, as_of)
    assert fast.items == reference.items
    assert fast.episodes == reference.episodes
    assert fast.rules == reference.rules
    assert fast.report == reference.report
    assert fast == reference
    assert fast.report == _reference_report(fast, account)


# ---------------------------------------------------------------- the tests


@settings(max_examples=300)
@given(st.data())
def test_replay_equals_the_reference_replay(data: st.DataObject) -> None:
    """On generated accounts of every installed provider, both replays give equal assessments."""
    account = data.draw(cs.accounts(provider=None, max_items=14), label="account")
    as_of = data.draw(cs.as_of_dates(account), label="as_of")
    _same(account, as_of)


@settings(max_examples=150)
@given(st.data())
def test_replay_with_a_signed_plan_equals_the_reference_replay(data: st.DataObject) -> None:
    """With a repayment plan signed part-way (items created mid-replay), both replays agree."""
    account = data.draw(cs.accounts(provider="generic", max_items=8), label="account")
    signed = data.draw(cs.as_of_dates(account, max_days_after=60), label="signed")
    periods = data.draw(st.integers(1, 4), label="periods")
    amount = data.draw(cs.amounts(min_value="0.01", max_value="5000.00"), label="amount")
    plan = Agreement(
        signed,
        [PlannedPayment(add_months(signed, k), amount) for k in range(1, periods + 1)],
    )
    payments = tuple(
        Payment(add_months(signed, k) + timedelta(days=data.draw(st.integers(-3, 20))), amount)
        for k in range(1, periods + 1)
        if data.draw(st.booleans(), label=f"pays {k}")
    )
    account = attrs.evolve(
        account,
        events=(*account.events, plan),
        payments=(*account.payments, *payments),
    )
    as_of = data.draw(cs.as_of_dates(account), label="as_of")
    _same(account, as_of)
