"""Credit bureaus: status codes, snapshot, retention, disputes and relief policies.

A :class:`Bureau` is a value a plugin registers through the
``register_bureaus`` hook, exactly like a provider. It owns everything the
report simulation (:mod:`creditrules.report`) needs to know about the bureau:
the monthly status codes and what they mean, the snapshot rule, the history
window, how long negative records are kept, how fast disputes are answered,
the thresholds lenders read from the grid, and its **effective-dated relief
policies** — each one a :class:`ReliefPolicy` value, so a future relief is
added as data, not code.

Every rule carries its source and confidence grade (``A`` law or official
text … ``D`` public code or inference) as a :class:`Citation`.

>>> from datetime import date
>>> from decimal import Decimal
>>> from creditrules.assessment import Episode
>>> relief = ReliefPolicy(
...     id="example", name="Example relief", source="https://example.org", grade="A",
...     effective_on=date(2026, 1, 1), started_from=date(2020, 1, 1),
...     started_to=date(2025, 12, 31), max_overdue_amount=Decimal("10000.00"),
...     ended_by=date(2026, 3, 31), backlog_ended_by=date(2025, 11, 30),
... )
>>> episode = Episode(date(2025, 12, 5), date(2026, 1, 15), 41, Decimal("800.00"))
>>> relief.hides_from(episode)
datetime.date(2026, 2, 28)
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ._validators import to_tuple
from .money import parse_money
from .policy import convention

if TYPE_CHECKING:
    from .assessment import Episode

__all__ = [
    "Bureau",
    "Citation",
    "FlagRules",
    "ReliefPolicy",
    "StatusCode",
    "add_years",
    "month_end",
]

_GRADES = ("A", "B", "C", "D")


def _grade(instance: Any, attribute: Any, value: str) -> None:
    if value not in _GRADES:
        raise ValueError(f"grade must be one of A, B, C, D, got {value!r}")


def _positive_int(instance: Any, attribute: Any, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a whole number ≥ 1, got {value!r}")


def month_end(year: int, month: int) -> date:
    """Return the last day of a calendar month.

    >>> month_end(2024, 2)
    datetime.date(2024, 2, 29)
    """
    return date(year, month, calendar.monthrange(year, month)[1])


def add_years(day: date, years: int) -> date:
    """Return the same calendar day ``years`` later; 29 February becomes 28 February.

    >>> add_years(date(2024, 2, 29), 5)
    datetime.date(2029, 2, 28)
    """
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


@attrs.frozen
class Citation:
    """The rule behind a figure: what it says, where it comes from, how sure we are.

    Attributes:
        subject: What the rule decides (``expires_on``, ``hidden_from``, ``status``, …).
        text: The rule in one sentence.
        source: URL or legal citation.
        grade: Confidence grade ``A``–``D``.
        note: The reading we chose where the source is silent, if any.
    """

    subject: str
    text: str
    source: str
    grade: str = attrs.field(validator=_grade)
    note: str = ""

    def __str__(self) -> str:
        return f"{self.text} ({self.source}) [{self.grade}]"


@attrs.frozen
class StatusCode:
    """One monthly repayment-status code of a bureau's report.

    Attributes:
        code: The code as printed (``N``, ``1``, ``B``, …).
        name_zh: Its meaning as the report states it (正常还款, …).
        name_en: Its meaning in English.
        negative: Whether it is negative information (不良信息).
        severity: Rank used to compare codes (worse is higher); equal ranks are
            equally good for a reader of the report.
    """

    code: str
    name_zh: str
    name_en: str
    negative: bool = False
    severity: int = 0


@attrs.frozen
class FlagRules:
    """The thresholds lenders read from the grid (连三累六, current overdue).

    Attributes:
        window_months: How many of the latest displayed months are looked at.
        consecutive: Negative months in a row that raise ``three_consecutive``.
        cumulative: Negative months in total that raise ``six_cumulative``.
        citation: Where the thresholds come from.
    """

    window_months: int = attrs.field(default=24, validator=_positive_int)
    consecutive: int = attrs.field(default=3, validator=_positive_int)
    cumulative: int = attrs.field(default=6, validator=_positive_int)
    citation: Citation = attrs.field(
        factory=lambda: Citation(
            "flags",
            "Lenders decline on three consecutive negative months (连三) or six in total "
            "(累六) within the latest 24 months.",
            "underwriting practice described by secondary explainers; " + convention("A.9"),
            "C",
            note="sources disagree on a 12- or 24-month window for 累六; 24 is used",
        )
    )


@attrs.frozen
class ReliefPolicy:
    """An effective-dated relief policy that hides qualifying negative records.

    An episode **qualifies** if it started between :attr:`started_from` and
    :attr:`started_to` (inclusive), its ``max_overdue_amount`` is at most
    :attr:`max_overdue_amount` and it ended on or before :attr:`ended_by`. It
    is hidden from :attr:`effective_on` if it ended on or before
    :attr:`backlog_ended_by`, otherwise from the last day of the month
    :attr:`then_months_after` months after the month it ended.

    Attributes:
        id: Stable id (``pboc-2025-one-time``).
        name: Display name.
        source: URL or legal citation.
        grade: Confidence grade ``A``–``D``.
        note: Readings chosen where the source is silent.
        announced_on: Day the policy was published, if known.
        effective_on: First day any record is hidden.
        started_from: Earliest qualifying episode start.
        started_to: Latest qualifying episode start.
        max_overdue_amount: Largest qualifying ``max_overdue_amount`` (inclusive).
        ended_by: Latest qualifying episode end.
        backlog_ended_by: Episodes ended by this day are hidden from :attr:`effective_on`.
        then_months_after: Later ones are hidden from the end of the month this many
            months after the month they ended.
    """

    id: str
    name: str
    source: str
    grade: str = attrs.field(validator=_grade)
    effective_on: date = attrs.field(kw_only=True)
    started_from: date = attrs.field(kw_only=True)
    started_to: date = attrs.field(kw_only=True)
    max_overdue_amount: Decimal = attrs.field(kw_only=True, converter=parse_money)
    ended_by: date = attrs.field(kw_only=True)
    backlog_ended_by: date = attrs.field(kw_only=True)
    then_months_after: int = attrs.field(default=1, kw_only=True)
    announced_on: date | None = attrs.field(default=None, kw_only=True)
    note: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.started_to < self.started_from:
            raise ValueError(f"relief {self.id!r}: started_to is before started_from")
        if self.ended_by < self.backlog_ended_by:
            raise ValueError(f"relief {self.id!r}: ended_by is before backlog_ended_by")

    @property
    def citation(self) -> Citation:
        """The relief as a :class:`Citation` (subject ``hidden_from``)."""
        return Citation("hidden_from", self.name, self.source, self.grade, self.note)

    def why_not(self, episode: Episode) -> str:
        """Say why ``episode`` does not qualify, or return ``""`` if it does."""
        if not self.started_from <= episode.start <= self.started_to:
            return f"it started on {episode.start}, outside {self.started_from} … {self.started_to}"
        if episode.max_overdue_amount > self.max_overdue_amount:
            return (
                f"its largest overdue amount {episode.max_overdue_amount} exceeds "
                f"{self.max_overdue_amount}"
            )
        if episode.end is None:
            return f"it is not paid; it must end by {self.ended_by}"
        if episode.end > self.ended_by:
            return f"it ended on {episode.end}, after {self.ended_by}"
        return ""

    def qualifies(self, episode: Episode) -> bool:
        """Tell whether ``episode`` qualifies for this relief."""
        return not self.why_not(episode)

    def hides_from(self, episode: Episode) -> date | None:
        """Return the day from which a qualifying episode is hidden, or ``None``."""
        if episode.end is None or not self.qualifies(episode):
            return None
        if episode.end <= self.backlog_ended_by:
            return self.effective_on
        index = episode.end.month - 1 + self.then_months_after
        hidden = month_end(episode.end.year + index // 12, index % 12 + 1)
        return max(hidden, self.effective_on)


def _codes(value: Any) -> tuple[StatusCode, ...]:
    return tuple(value)


@attrs.frozen
class Bureau:
    """A credit bureau: how it turns an account's history into a report.

    Attributes:
        id: The id providers name in their ``bureau`` policy value (``pboc``).
        name_zh: Chinese name.
        name_en: English name.
        codes: The monthly status codes, best first.
        dpd_codes: Codes for days past due, one per band of :attr:`dpd_band_days`
            days; the last one covers everything beyond.
        dpd_band_days: Width of a days-past-due band.
        history_months: How many months the report's grid shows.
        snapshot: Default snapshot rule: ``"month_end"`` or a day of the month.
        retention_years: Years a negative record is kept after it ends.
        dispute_days: Days within which a dispute (异议) must be answered.
        reliefs: Effective-dated relief policies.
        flags: Thresholds lenders read from the grid.
        citations: The sourced rules, by subject (``status``, ``snapshot``,
            ``expires_on``, ``dispute``, …).
        description: One paragraph on the bureau.
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(r"^[a-z][a-z0-9_-]*$"))
    name_zh: str = ""
    name_en: str = ""
    codes: tuple[StatusCode, ...] = attrs.field(default=(), converter=_codes)
    dpd_codes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    dpd_band_days: int = attrs.field(default=30, validator=_positive_int)
    history_months: int = attrs.field(default=60, validator=_positive_int)
    snapshot: str | int = attrs.field(default="month_end")
    retention_years: int = attrs.field(default=5, validator=_positive_int)
    dispute_days: int = attrs.field(default=20, validator=_positive_int)
    reliefs: tuple[ReliefPolicy, ...] = attrs.field(default=(), converter=to_tuple)
    flags: FlagRules = attrs.field(factory=FlagRules)
    citations: tuple[Citation, ...] = attrs.field(default=(), converter=to_tuple)
    description: str = ""
    #: (severity, position) by code: what :meth:`worst` compares, built once.
    _rank: dict[str, tuple[int, int]] = attrs.field(init=False, eq=False, repr=False, hash=False)

    @snapshot.validator
    def _check_snapshot(self, attribute: Any, value: str | int) -> None:
        if value != "month_end" and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31
        ):
            raise ValueError(f"snapshot must be 'month_end' or a day 1–31, got {value!r}")

    def __attrs_post_init__(self) -> None:
        known = {c.code for c in self.codes}
        if len(known) != len(self.codes):
            raise ValueError(f"bureau {self.id!r} defines a status code twice")
        for code in (*self.dpd_codes, "/", "N", "*", "M", "C", "D", "B"):
            if code not in known:
                raise ValueError(f"bureau {self.id!r} does not define status code {code!r}")
        if not self.dpd_codes:
            raise ValueError(f"bureau {self.id!r} needs dpd_codes")
        ids = [r.id for r in self.reliefs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"bureau {self.id!r} has two reliefs with one id")
        rank = {c.code: (c.severity, index) for index, c in enumerate(self.codes)}
        object.__setattr__(self, "_rank", rank)

    @property
    def display_name(self) -> str:
        """``"中国人民银行征信中心 PBOC Credit Reference Center"``-style name, or the id."""
        return " ".join(n for n in (self.name_zh, self.name_en) if n) or self.id

    @property
    def by_code(self) -> Mapping[str, StatusCode]:
        """The status codes by code."""
        return {c.code: c for c in self.codes}

    def status(self, code: str) -> StatusCode:
        """Return the definition of ``code``.

        Raises:
            KeyError: if the bureau does not define it.
        """
        for status in self.codes:
            if status.code == code:
                return status
        raise KeyError(code)

    def is_negative(self, code: str) -> bool:
        """Tell whether ``code`` is negative information."""
        return self.status(code).negative

    @property
    def negative_codes(self) -> frozenset[str]:
        """The codes that are negative information (不良信息).

        >>> from creditrules.default_plugins.pboc import PBOC
        >>> "".join(sorted(PBOC.negative_codes))
        '1234567BD'
        """
        return frozenset(c.code for c in self.codes if c.negative)

    def snapshot_day(self, year: int, month: int, rule: str | int | None = None) -> date:
        """Return the day of the month's report (its snapshot).

        Args:
            year: The year.
            month: The month.
            rule: The ``snapshot`` policy value in force (``"month_end"`` or a day of
                the month, the month's last day if shorter); ``None``: :attr:`snapshot`.

        Returns:
            The snapshot day of that month.

        >>> from creditrules.default_plugins.pboc import PBOC
        >>> PBOC.snapshot_day(2025, 2), PBOC.snapshot_day(2025, 2, 30)
        (datetime.date(2025, 2, 28), datetime.date(2025, 2, 28))
        """
        rule = self.snapshot if rule is None else rule
        last = month_end(year, month)
        if rule == "month_end":
            return last
        return last.replace(day=min(int(rule), last.day))

    def severity(self, code: str) -> int:
        """Return the severity rank of ``code`` (higher is worse)."""
        return self.status(code).severity

    def dpd_code(self, days_past_due: int) -> str:
        """Return the code for ``days_past_due`` (≥ 1) at a snapshot.

        >>> from creditrules.default_plugins.pboc import PBOC
        >>> [PBOC.dpd_code(d) for d in (1, 30, 31, 180, 181, 999)]
        ['1', '1', '2', '6', '7', '7']
        """
        if days_past_due < 1:
            raise ValueError(f"days past due must be ≥ 1, got {days_past_due}")
        band = (days_past_due - 1) // self.dpd_band_days
        return self.dpd_codes[min(band, len(self.dpd_codes) - 1)]

    def worst(self, codes: list[str] | tuple[str, ...]) -> str:
        """Return the worst of ``codes`` (ties broken by the order of :attr:`codes`)."""
        rank = self._rank
        return max(codes, key=rank.__getitem__)

    def citation(self, subject: str) -> Citation:
        """Return the citation for ``subject``.

        Raises:
            KeyError: if there is none.
        """
        for citation in self.citations:
            if citation.subject == subject:
                return citation
        raise KeyError(subject)

    def expires_on(self, ended_on: date) -> date:
        """Return the day a negative record that ended on ``ended_on`` is deleted."""
        return add_years(ended_on, self.retention_years)
