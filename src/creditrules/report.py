"""The simulated credit report: status grid, negative records, flags, discrepancies.

:func:`build_report` turns an :class:`~creditrules.Assessment` into the
:class:`Report` a bureau (:class:`~creditrules.Bureau`) would show at the
assessment date — the same computation :func:`creditrules.assess` runs and
stores in ``assessment.report``:

- :attr:`Report.months`: the monthly repayment-status grid of the latest 60
  months, as displayed at the as-of date (relieved and expired months show
  ``N``);
- :attr:`Report.records`: the negative records, each with the day it ends,
  the day it is deleted (5 years later, 征信业管理条例 Art. 16), whether a
  relief hides it and from when, and the rules behind each date;
- :attr:`Report.flags`: what lenders read from the grid (连三, 累六, current overdue);
- :attr:`Report.discrepancies`: where the borrower's real report differs from
  the computed one — the basis of a dispute (异议).

The grid is computed once per month from the due items' due dates, grace ends
and settlement dates, never per day, in one pass: the months are walked in order
over the items sorted by those dates, with running counts, so its cost grows with
the number of months plus the number of items, not with their product.

>>> from datetime import date
>>> from creditrules import Account, Bill, Payment, assess
>>> account = Account(
...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
...     payments=[Payment(date(2025, 4, 20), "500.00")],
... )
>>> report = assess(account, as_of=date(2025, 5, 31)).report
>>> [report.months[m] for m in ("2025-02", "2025-03", "2025-04", "2025-05")]
['*', '1', '*', '*']
>>> record = report.records[0]
>>> record.first_month, record.ended_on, record.expires_on
('2025-03', datetime.date(2025, 4, 20), datetime.date(2030, 4, 20))
"""

from __future__ import annotations

import bisect
import functools
import heapq
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .bureau import Bureau, Citation, ReliefPolicy
from .model import Account, GuarantorPaid
from .money import ZERO
from .policy import PolicySet

if TYPE_CHECKING:
    from .assessment import Assessment, DueItemResult, Episode

__all__ = [
    "FLAGS",
    "RECORD_STATUSES",
    "Discrepancy",
    "NegativeRecord",
    "Report",
    "build_report",
]

#: The underwriting flags a report may raise (creditrules conventions A.9).
FLAGS: tuple[str, ...] = ("three_consecutive", "six_cumulative", "current_overdue")
#: The statuses of a negative record.
RECORD_STATUSES: tuple[str, ...] = ("visible", "relieved", "expired")


class _Grid(Mapping[str, str]):
    """A read-only, ordered, hashable mapping ``"YYYY-MM"`` → status code."""

    __slots__ = ("_index", "_items")

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: tuple[tuple[str, str], ...] = tuple((str(k), str(v)) for k, v in pairs)
        self._index: dict[str, str] = dict(self._items)

    def __getitem__(self, key: str) -> str:
        return self._index[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return repr(self._index)


def _grid(value: Any) -> _Grid:
    return value if isinstance(value, _Grid) else _Grid(value)


def _flags(value: Any) -> tuple[str, ...]:
    """The flags as a tuple in :data:`FLAGS` order, whatever order (or set) they came in."""
    flags = set(value)
    unknown = flags - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown flags {sorted(unknown)}; known: {', '.join(FLAGS)}")
    return tuple(flag for flag in FLAGS if flag in flags)


@attrs.frozen
class NegativeRecord:
    """The negative months of one overdue episode, and when they go away.

    Attributes:
        first_month: First negative month (``YYYY-MM``).
        last_month: Last negative month.
        months: Every negative month of the record, in order.
        worst: The worst code among them.
        episode_start: First day past due of the episode (``None`` if the months
            belong to no episode, e.g. a write-off with nothing past due).
        ended_on: Day the overdue ended (everything past due paid); ``None`` while unpaid.
        expires_on: ``ended_on`` + 5 years (29 Feb → 28 Feb); ``None`` while unpaid.
        status: ``"visible"``, ``"relieved"`` or ``"expired"`` at the as-of date.
        hidden_from: Day relief or expiry takes effect (whichever is first), ``None``
            if never (unpaid, not relieved).
        relief: Id of the relief the episode qualifies for, if any.
        max_days_past_due: Largest days past due of the episode.
        max_overdue_amount: Largest amount past due of the episode, penalty included.
        citations: The rule behind each date (``subject`` names the date).
        notes: Plain-language remarks (what would make it qualify, …).
    """

    first_month: str
    last_month: str
    months: tuple[str, ...]
    worst: str
    episode_start: date | None
    ended_on: date | None
    expires_on: date | None
    status: str = attrs.field(validator=attrs.validators.in_(RECORD_STATUSES))
    hidden_from: date | None = None
    relief: str | None = None
    max_days_past_due: int = 0
    max_overdue_amount: Decimal = ZERO
    citations: tuple[Citation, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def visible(self) -> bool:
        """Whether the record shows on the report at the as-of date."""
        return self.status == "visible"

    def citation(self, subject: str) -> Citation:
        """Return the citation of the rule behind ``subject`` (``expires_on``, …).

        Raises:
            KeyError: if there is none.
        """
        for citation in self.citations:
            if citation.subject == subject:
                return citation
        raise KeyError(subject)


@attrs.frozen
class Discrepancy:
    """A month where the borrower's real report differs from the computed one.

    Attributes:
        month: ``YYYY-MM``.
        reported: The code the real report shows.
        computed: The code creditrules computes for that month at the as-of date.
        direction: ``"worse"`` (the real report is worse: grounds for a dispute) or
            ``"better"``.
        note: What to do about it.
    """

    month: str
    reported: str
    computed: str
    direction: str = attrs.field(validator=attrs.validators.in_(("worse", "better")))
    note: str = ""


@attrs.frozen
class Report:
    """What a bureau's report shows for one account at one date.

    Attributes:
        bureau: The bureau id (``pboc``).
        bureau_name: Its display name.
        as_of: The date the report is simulated at.
        months: Ordered read-only mapping ``"YYYY-MM"`` → status code for the
            latest 60 months up to ``as_of``, as displayed at ``as_of``: months of
            relieved or expired records show ``N``; months before the account
            opened, or after it closed (``C``), show ``/``.
        history: The code each month had when it was reported, from the opening
            month, before any relief or expiry.
        records: Negative records, oldest first.
        flags: Among ``three_consecutive``, ``six_cumulative``, ``current_overdue``: a
            tuple in that order (any iterable given is put in that order), so that the
            report is written the same way on every run.
        max_status: The worst code in :attr:`months`.
        clean_on: First day on which no negative record is visible (the opening day
            if there never was one); ``None`` while something is unpaid.
        discrepancies: Months where the account's ``reported`` codes differ.
        provisional_month: The as-of month when its snapshot falls after ``as_of``
            (its code is computed at ``as_of`` and may still change), else ``None``.
        citations: The rules behind the grid and the flags.
    """

    bureau: str
    bureau_name: str
    as_of: date
    months: Mapping[str, str] = attrs.field(converter=_grid)
    history: Mapping[str, str] = attrs.field(converter=_grid)
    records: tuple[NegativeRecord, ...] = ()
    flags: tuple[str, ...] = attrs.field(default=(), converter=_flags)
    max_status: str = "/"
    clean_on: date | None = None
    discrepancies: tuple[Discrepancy, ...] = ()
    provisional_month: str | None = None
    citations: tuple[Citation, ...] = ()

    @property
    def visible_records(self) -> tuple[NegativeRecord, ...]:
        """The records shown at ``as_of``."""
        return tuple(r for r in self.records if r.visible)

    @property
    def clean(self) -> bool:
        """Whether nothing negative is visible and nothing is unpaid at ``as_of``."""
        return self.clean_on is not None and self.clean_on <= self.as_of


# ---------------------------------------------------------------- computation


@functools.lru_cache(maxsize=4096)
def _key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _ym(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


@attrs.frozen
class _Item:
    """What the grid needs of one due item."""

    due: date
    grace_end: date
    settled_on: date | None
    revolved: bool

    def unpaid_at(self, day: date) -> bool:
        return self.settled_on is None or self.settled_on > day


def _settled_on(item: DueItemResult) -> date | None:
    """When the item stopped being owed; an item that never owed anything, at its opening.

    (The replay settles such items when they open; this keeps the report right for
    assessments built by rule sets that do not.)
    """
    if item.settled_on is None and item.charged.total == 0 and item.outstanding.total == 0:
        return item.open_date
    return item.settled_on


class _Sweep:
    """The items' state at a day, for days visited in increasing order (one pass).

    ``unpaid``, ``due_between`` and ``settled_in_grace_window`` answer by bisection;
    the two running sets — items past grace and unpaid (for days past due), items past
    due and unpaid (arrears) — take items in as the days pass their grace end or due
    date and drop them (lazily, from heaps) once settled. A day earlier than the last
    one starts the sweep again, so any order of days gives the right answer.
    """

    def __init__(self, items: list[_Item]) -> None:
        self.items = items
        self.settled_days = sorted(i.settled_on for i in items if i.settled_on is not None)
        self.dues = sorted(i.due for i in items)
        #: Items that count as "paid after grace" (code M) in the month they settle.
        self.late = sorted(
            (i.settled_on, i.grace_end)
            for i in items
            if i.settled_on is not None and not i.revolved and i.settled_on > i.grace_end
        )
        self.by_grace_end = sorted(items, key=lambda i: i.grace_end)
        self.by_due = sorted(items, key=lambda i: i.due)
        self.reset()

    def reset(self) -> None:
        self.day: date | None = None
        self.next_grace = 0
        self.next_due = 0
        #: (due, n, settled) of items past grace, unpaid when last looked at.
        self.past_grace: list[tuple[date, int, date]] = []
        #: (settled, n) of items past due, unpaid when last looked at.
        self.past_due: list[tuple[date, int]] = []

    def advance(self, day: date) -> None:
        if self.day is not None and day < self.day:
            self.reset()
        self.day = day
        while self.next_grace < len(self.by_grace_end):
            item = self.by_grace_end[self.next_grace]
            if item.grace_end >= day:
                break
            self.next_grace += 1
            if item.unpaid_at(day):
                heapq.heappush(
                    self.past_grace, (item.due, self.next_grace, item.settled_on or date.max)
                )
        while self.next_due < len(self.by_due):
            item = self.by_due[self.next_due]
            if item.due >= day:
                break
            self.next_due += 1
            if item.unpaid_at(day):
                heapq.heappush(self.past_due, (item.settled_on or date.max, self.next_due))
        while self.past_grace and self.past_grace[0][2] <= day:
            heapq.heappop(self.past_grace)
        while self.past_due and self.past_due[0][0] <= day:
            heapq.heappop(self.past_due)

    def unpaid(self, day: date) -> int:
        """How many items are unpaid at the end of ``day``."""
        return len(self.items) - bisect.bisect_right(self.settled_days, day)

    def due_between(self, start: date, day: date) -> bool:
        """Whether some item falls due in ``(start, day]``."""
        return bisect.bisect_right(self.dues, day) > bisect.bisect_right(self.dues, start)

    def settled_in_grace_window(self, start: date, day: date) -> bool:
        """Whether an item was paid in ``(start, day]``, after a grace ending in that month."""
        low = bisect.bisect_right(self.late, (start, date.max))
        high = bisect.bisect_right(self.late, (day, date.max))
        return any(grace_end >= start for _, grace_end in self.late[low:high])

    def oldest_past_grace(self) -> date | None:
        """The due date of the oldest item past grace and unpaid at the current day."""
        return self.past_grace[0][0] if self.past_grace else None

    def arrears(self) -> bool:
        """Whether an item past due is unpaid at the current day."""
        return bool(self.past_due)


class _Builder:
    def __init__(
        self, assessment: Assessment, account: Account, bureau: Bureau, policies: PolicySet
    ) -> None:
        self.a = assessment
        self.account = account
        self.bureau = bureau
        self.policies = policies
        self.as_of = assessment.as_of
        constant = policies.constant  # without dated versions: one policy, read once
        self.items = [
            _Item(
                due=i.due_date,
                grace_end=i.due_date + timedelta(days=(constant or policies.at(i.due_date)).grace),
                settled_on=_settled_on(i),
                revolved=i.status == "revolved",
            )
            for i in assessment.items
            if i.status != "cancelled"
        ]
        self.guarantor_days = sorted(
            e.date
            for e in account.events
            if isinstance(e, GuarantorPaid) and e.date <= assessment.as_of
        )
        #: An installment loan closes itself when paid off (revolving needs an event).
        self.closes = account.product == "installment" and bool(self.items)
        self.sweep = _Sweep(self.items)
        applied = policies.at(self.as_of).origin("snapshot")
        #: The ``snapshot`` rule an account without dated policy versions has every month.
        self.snapshot_rule = None if applied.layer == "default" else applied.value.value
        starts = [e.start for e in assessment.episodes]
        #: Episode starts, if in order (they are, from the core replay): bisected.
        self.episode_starts = starts if starts == sorted(starts) else None

    def cite(self, subject: str) -> list[Citation]:
        """The bureau's citation for ``subject``, if it gives one (as a 0/1-item list)."""
        try:
            return [self.bureau.citation(subject)]
        except KeyError:
            return []

    # -- snapshots -----------------------------------------------------
    def snapshot(self, index: int) -> date:
        """The snapshot day of month ``index`` (policy ``snapshot``, else the bureau's)."""
        if not self.policies.breakpoints():  # one rule for every month: read it once
            return self.bureau.snapshot_day(*_ym(index), self.snapshot_rule)
        return snapshot_day(self.policies, self.bureau, *_ym(index))

    def nothing_owed(self, day: date) -> bool:
        return self.sweep.unpaid(day) == 0

    def code(self, start: date, day: date) -> str:
        """The code of the month whose reporting period is ``(start, day]``."""
        if day < self.account.opened_on:
            return "/"
        sweep = self.sweep
        sweep.advance(day)
        owed_nothing = self.nothing_owed(day)
        closed = self.a.closed_on is not None and self.a.closed_on <= day
        if owed_nothing and (self.closes or closed):
            return "C"
        written_off = self.a.written_off_on
        if written_off is not None and written_off <= day and not owed_nothing:
            return "B"
        guarantor = self.guarantor_days
        if bisect.bisect_right(guarantor, day) > bisect.bisect_right(guarantor, start):
            return "D"
        oldest = sweep.oldest_past_grace()
        dpd = (day - oldest).days if oldest is not None else 0
        if dpd > 0:
            return self.bureau.dpd_code(dpd)
        if sweep.settled_in_grace_window(start, day):
            return "M"
        if not sweep.due_between(start, day) and not sweep.arrears():
            return "*"
        return "N"

    # -- the report ----------------------------------------------------
    def build(self) -> Report:
        bureau = self.bureau
        as_of = self.as_of
        last = _month_index(as_of)
        first = min(_month_index(self.account.opened_on), last)
        history: list[tuple[str, str]] = []
        periods: dict[str, tuple[date, date]] = {}
        reported_closed = False
        previous = self.snapshot(first - 1)
        for index in range(first, last + 1):
            snap = self.snapshot(index)
            day = min(snap, as_of)
            key = _key(*_ym(index))
            code = "/" if reported_closed else self.code(previous, day)
            reported_closed = reported_closed or code == "C"
            history.append((key, code))
            periods[key] = (previous, day)
            previous = snap
        provisional = _key(*_ym(last)) if self.snapshot(last) > as_of else None

        records = self.records(history, periods)
        hidden = {m for r in records if not r.visible for m in r.months}
        displayed = {k: ("N" if k in hidden else c) for k, c in history}
        window = [_key(*_ym(i)) for i in range(last - bureau.history_months + 1, last + 1)]
        months = [(k, displayed.get(k, "/")) for k in window]

        current = any(i.grace_end < as_of and i.unpaid_at(as_of) for i in self.items)
        flags = self.flags([c for _, c in months], current)
        if current or any(r.ended_on is None for r in records):
            clean_on: date | None = None
        elif records:
            clean_on = max(r.hidden_from for r in records if r.hidden_from is not None)
        else:
            clean_on = self.account.opened_on
        citations = tuple(
            c
            for c in bureau.citations
            if c.subject in ("status", "days_past_due", "snapshot", "history_window")
        )
        return Report(
            bureau=bureau.id,
            bureau_name=bureau.display_name,
            as_of=as_of,
            months=months,
            history=history,
            records=records,
            flags=flags,
            max_status=bureau.worst([c for _, c in months]),
            clean_on=clean_on,
            discrepancies=self.discrepancies(displayed, dict(history), records, first),
            provisional_month=provisional,
            citations=(*citations, bureau.flags.citation),
        )

    def episode_of(self, start: date, day: date) -> int | None:
        """Index of the episode a negative month ``(start, day]`` belongs to."""
        episodes = self.a.episodes
        # Episodes in order of start: only those up to ``begun`` started by ``day``.
        starts = self.episode_starts
        begun = len(episodes) if starts is None else bisect.bisect_right(starts, day)
        for index in range(begun - 1, -1, -1):
            e = episodes[index]
            if e.start <= day and (e.end is None or e.end > day):
                return index
        for index in range(begun - 1, -1, -1):
            e = episodes[index]
            if e.start <= day and (e.end is None or e.end > start):
                return index
        return None

    def records(
        self, history: list[tuple[str, str]], periods: dict[str, tuple[date, date]]
    ) -> tuple[NegativeRecord, ...]:
        groups: dict[tuple[str, int], list[str]] = {}
        orphan_run = -1
        previous: tuple[str, int] | None = None
        for key, code in history:
            group: tuple[str, int] | None = None
            if self.bureau.is_negative(code):
                index = self.episode_of(*periods[key])
                if index is not None:
                    group = ("episode", index)
                else:
                    if previous is None or previous[0] != "orphan":
                        orphan_run += 1
                    group = ("orphan", orphan_run)
                groups.setdefault(group, []).append(key)
            previous = group
        records = []
        codes = dict(history)
        for (kind, index), months in groups.items():
            episode = self.a.episodes[index] if kind == "episode" else None
            records.append(self.record(months, [codes[m] for m in months], episode))
        return tuple(sorted(records, key=lambda r: (r.first_month, r.last_month)))

    def paid_off_on(self) -> date | None:
        if not self.items or any(i.settled_on is None for i in self.items):
            return None
        return max(i.settled_on for i in self.items if i.settled_on is not None)

    def record(
        self, months: list[str], codes: list[str], episode: Episode | None
    ) -> NegativeRecord:
        bureau = self.bureau
        as_of = self.as_of
        citations = [*self.cite("status"), *self.cite("ended_on")]
        notes: list[str] = []
        if episode is not None:
            ended_on = episode.end
        else:
            ended_on = self.paid_off_on()
            notes.append("these months belong to no overdue episode; they end when all is paid")
        expires_on = bureau.expires_on(ended_on) if ended_on is not None else None
        if expires_on is None:
            citations.extend(self.cite("unpaid"))
            notes.append(
                f"unpaid: the {bureau.retention_years}-year retention starts only when "
                "everything past due is paid"
            )
        else:
            citations.extend(self.cite("expires_on"))
        relief: ReliefPolicy | None = None
        relief_day: date | None = None
        for candidate in bureau.reliefs if episode is not None else ():
            assert episode is not None
            day = candidate.hides_from(episode)
            if day is not None and (relief_day is None or day < relief_day):
                relief, relief_day = candidate, day
            elif (
                day is None
                and episode.end is None
                and as_of <= candidate.ended_by
                and not candidate.why_not(attrs.evolve(episode, end=candidate.ended_by))
            ):
                notes.append(
                    f"paid in full by {candidate.ended_by} (while the largest overdue "
                    f"amount stays within {candidate.max_overdue_amount}), it would "
                    f"qualify for {candidate.name}"
                )
        hidden_from = min((d for d in (expires_on, relief_day) if d is not None), default=None)
        status = "visible"
        if (
            relief is not None
            and relief_day is not None
            and relief_day == hidden_from
            and relief_day != expires_on
        ):
            citations.append(relief.citation)
            notes.append(f"qualifies for {relief.id}: hidden from {relief_day}, automatically")
            if as_of >= relief_day:
                status = "relieved"
        elif hidden_from is not None:
            citations.extend(
                attrs.evolve(c, subject="hidden_from") for c in self.cite("expires_on")
            )
            if as_of >= hidden_from:
                status = "expired"
        return NegativeRecord(
            first_month=months[0],
            last_month=months[-1],
            months=tuple(months),
            worst=bureau.worst(codes),
            episode_start=episode.start if episode is not None else None,
            ended_on=ended_on,
            expires_on=expires_on,
            status=status,
            hidden_from=hidden_from,
            relief=relief.id if relief is not None else None,
            max_days_past_due=episode.max_days_past_due if episode is not None else 0,
            max_overdue_amount=episode.max_overdue_amount if episode is not None else ZERO,
            citations=tuple(citations),
            notes=tuple(notes),
        )

    def flags(self, codes: list[str], current: bool) -> frozenset[str]:
        rules = self.bureau.flags
        window = codes[-rules.window_months :]
        run = best = total = 0
        for code in window:
            if self.bureau.is_negative(code):
                run += 1
                total += 1
                best = max(best, run)
            else:
                run = 0
        flags = set()
        if best >= rules.consecutive:
            flags.add("three_consecutive")
        if total >= rules.cumulative:
            flags.add("six_cumulative")
        if current:
            flags.add("current_overdue")
        return frozenset(flags)

    def discrepancies(
        self,
        displayed: dict[str, str],
        history: dict[str, str],
        records: tuple[NegativeRecord, ...],
        first: int,
    ) -> tuple[Discrepancy, ...]:
        bureau = self.bureau
        last_key = _key(self.as_of.year, self.as_of.month)
        first_key = _key(*_ym(first))
        hidden = {m: r for r in records if not r.visible for m in r.months}
        dispute = "; ".join(c.source for c in self.cite("dispute")) or bureau.display_name
        found = []
        for line in sorted(self.account.reported, key=lambda r: r.month):
            if line.month > last_key:
                continue
            computed = displayed.get(line.month, "/" if line.month < first_key else "N")
            reported_rank = bureau.severity(line.status)
            computed_rank = bureau.severity(computed)
            if reported_rank == computed_rank:
                continue
            if reported_rank > computed_rank:
                direction = "worse"
                note = (
                    f"the report shows {line.status} where creditrules computes {computed}: "
                    f"check your records, then dispute it (异议) with the lender or the "
                    f"credit bureau; it must reply within {bureau.dispute_days} days "
                    f"({dispute})"
                )
                record = hidden.get(line.month)
                if record is not None and history.get(line.month) == line.status:
                    note += (
                        f". The month was {line.status} when reported; it is {record.status} "
                        f"from {record.hidden_from}, so a report printed before that day is right"
                    )
            else:
                direction = "better"
                note = (
                    f"the report shows {line.status} where creditrules computes {computed}: "
                    "check the payment dates in your account file"
                )
            found.append(Discrepancy(line.month, line.status, computed, direction, note))
        return tuple(found)


def snapshot_day(policies: PolicySet, bureau: Bureau, year: int, month: int) -> date:
    """The day the bureau takes the month's snapshot for an account with ``policies``.

    The account's ``snapshot`` policy value, if one is set above the default layer
    (a provider's or the account's), else the bureau's own rule
    (:meth:`Bureau.snapshot_day <creditrules.Bureau.snapshot_day>`).

    Args:
        policies: The account's layered policy.
        bureau: The credit bureau.
        year: The year.
        month: The month (1–12).

    Returns:
        The snapshot day of that month.
    """
    applied = policies.at(date(year, month, 1)).origin("snapshot")
    rule = None if applied.layer == "default" else applied.value.value
    return bureau.snapshot_day(year, month, rule)


def build_report(
    assessment: Assessment,
    account: Account,
    *,
    bureau: Bureau,
    policies: PolicySet,
) -> Report:
    """Simulate the bureau's report of ``account`` at ``assessment.as_of``.

    :func:`creditrules.assess` calls this and stores the result in
    ``assessment.report``; :func:`creditrules.build_report` fills in the bureau
    and policy from the installed plugins, to see the same account through
    another bureau.

    Args:
        assessment: The assessment of ``account`` (its items, episodes, events).
        account: The account (its opening date, events and ``reported`` codes).
        bureau: The bureau.
        policies: The account's layered policy (for grace and the snapshot rule).

    Returns:
        The frozen :class:`Report`.
    """
    return _Builder(assessment, account, bureau, policies).build()
