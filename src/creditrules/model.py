"""The input model: accounts, bills, loan terms and events.

Everything here is a frozen attrs value, validated on construction: an invalid
value raises ``ValueError``/``TypeError`` with a message naming the field, and
:func:`creditrules.load_account` turns those into :class:`~creditrules.InputError`
with the JSON path of the value.

>>> from datetime import date
>>> from decimal import Decimal
>>> account = Account(
...     id="demo", provider="generic", product="revolving", opened_on=date(2024, 1, 5),
...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
...     payments=[Payment(date(2025, 3, 15), "501.25")],
... )
>>> account.bills[0].amount
Decimal('500.00')
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar, Literal, Union

import attrs

from . import _validators as v
from ._i18n import N_, Translatable
from .money import ZERO
from .policy import PolicyValue

__all__ = [
    "CORE_EVENT_TYPES",
    "EVENT_TYPES",
    "Account",
    "AccountClosed",
    "AccountProblems",
    "Agreement",
    "Bill",
    "Event",
    "GuarantorPaid",
    "LoanTerms",
    "Payment",
    "PlannedPayment",
    "ReportedMonth",
    "Waiver",
    "WrittenOff",
    "add_months",
]

Product = Literal["revolving", "installment"]
Method = Literal["equal_installment", "equal_principal", "interest_first"]
#: Repayment methods of installment loans: 等额本息, 等额本金, 先息后本.
METHODS: tuple[str, ...] = ("equal_installment", "equal_principal", "interest_first")
PRODUCTS: tuple[str, ...] = ("revolving", "installment")


def add_months(start: date, months: int, day: int | None = None) -> date:
    """Return the date ``months`` after ``start`` on ``day`` (default: start's day).

    The day is clamped to the end of the target month (31 Jan + 1 month = 28/29 Feb).

    >>> add_months(date(2025, 1, 31), 1)
    datetime.date(2025, 2, 28)
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    wanted = start.day if day is None else day
    return date(year, month, min(wanted, calendar.monthrange(year, month)[1]))


@attrs.frozen
class Bill:
    """A statement of a revolving account (e.g. a monthly credit-card or pay-later bill).

    Attributes:
        statement_date: The day the bill is issued (账单日).
        due_date: The last day to pay it on time (还款日).
        amount: The amount billed.
        id: A stable identifier; defaults to ``bill-<due date>``.
    """

    statement_date: date = attrs.field(validator=v.is_date)
    due_date: date = attrs.field(validator=v.is_date)
    amount: Decimal = attrs.field(converter=v.money, validator=v.non_negative)
    id: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.due_date < self.statement_date:
            raise ValueError(
                v.named(
                    "due_date",
                    N_("{due} is before statement_date {statement}"),
                    due=self.due_date,
                    statement=self.statement_date,
                )
            )
        if not self.id:
            object.__setattr__(self, "id", f"bill-{self.due_date.isoformat()}")


@attrs.frozen
class LoanTerms:
    """The terms of an installment loan.

    Give exactly one of ``annual_rate`` and ``daily_rate`` (fractions: 0.045 %/day
    is ``"0.00045"``). The monthly rate is the annual rate ÷ 12, the annual rate
    being ``daily_rate × day_basis`` when a daily rate is given.

    Attributes:
        principal: Amount lent.
        term_months: Number of monthly installments (1 to 600).
        method: ``equal_installment`` (等额本息), ``equal_principal`` (等额本金) or
            ``interest_first`` (先息后本).
        start_date: Day the money was lent; interest runs from it.
        annual_rate: Nominal annual rate, or ``None`` (at most 18.25, i.e. 1,825 %).
        daily_rate: Contract daily rate, or ``None`` (at most 0.05, i.e. 5 % a day).
        day_basis: 360 or 365 days per year.
        due_day: Day of month installments fall due (default: start date's day).
    """

    principal: Decimal = attrs.field(converter=v.money, validator=v.positive)
    term_months: int = attrs.field(
        validator=[attrs.validators.instance_of(int), v.positive, v.at_most(v.MAX_TERM_MONTHS)]
    )
    method: str = attrs.field(validator=v.one_of(*METHODS))
    start_date: date = attrs.field(validator=v.is_date)
    annual_rate: Decimal | None = attrs.field(default=None, converter=v.optional_annual_rate)
    daily_rate: Decimal | None = attrs.field(default=None, converter=v.optional_daily_rate)
    day_basis: int = attrs.field(default=360, validator=v.one_of(360, 365))
    due_day: int | None = attrs.field(default=None)

    @due_day.validator
    def _check_due_day(self, attribute: Any, value: int | None) -> None:
        if value is not None and (isinstance(value, bool) or not 1 <= value <= 31):
            raise ValueError(
                v.named(
                    "due_day", N_("must be a day of the month 1–31, got {value}"), value=repr(value)
                )
            )

    def __attrs_post_init__(self) -> None:
        if (self.annual_rate is None) == (self.daily_rate is None):
            raise ValueError(Translatable(N_("give exactly one of annual_rate and daily_rate")))

    @property
    def annual(self) -> Decimal:
        """The nominal annual rate."""
        if self.annual_rate is not None:
            return self.annual_rate
        assert self.daily_rate is not None
        return self.daily_rate * self.day_basis

    @property
    def daily(self) -> Decimal:
        """The contract daily rate (given, or annual ÷ day basis)."""
        if self.daily_rate is not None:
            return self.daily_rate
        return self.annual / self.day_basis

    @property
    def monthly_rate(self) -> Decimal:
        """The monthly rate: annual ÷ 12."""
        return self.annual / 12

    def due_date(self, period: int) -> date:
        """Due date of installment ``period`` (1-based): one month apart, clamped."""
        return add_months(self.start_date, period, self.due_day)


@attrs.frozen
class Payment:
    """Money paid by the borrower; counts at the end of ``date``.

    Attributes:
        date: Day paid.
        amount: Amount paid (> 0).
        note: Free text kept with the payment.
    """

    type: ClassVar[str] = "payment"
    date: date = attrs.field(validator=v.is_date)
    amount: Decimal = attrs.field(converter=v.money, validator=v.positive)
    note: str = attrs.field(default="", kw_only=True)


@attrs.frozen
class Waiver:
    """The lender forgives part of a component (penalty, fees or interest).

    Attributes:
        date: Day of the waiver.
        component: ``penalty``, ``fees`` or ``interest``.
        amount: Amount forgiven; applied to the oldest items first.
        note: Free text (e.g. who granted it).
    """

    type: ClassVar[str] = "waiver"
    date: date = attrs.field(validator=v.is_date)
    component: str = attrs.field(validator=v.one_of("penalty", "fees", "interest"))
    amount: Decimal = attrs.field(converter=v.money, validator=v.positive)
    note: str = attrs.field(default="", kw_only=True)


@attrs.frozen
class AccountClosed:
    """The borrower closed the account (e.g. a pay-later account). Nothing more is billed."""

    type: ClassVar[str] = "account_closed"
    date: date = attrs.field(validator=v.is_date)
    note: str = attrs.field(default="", kw_only=True)


@attrs.frozen
class WrittenOff:
    """The lender wrote the debt off as bad debt (reported as ``B`` while unpaid)."""

    type: ClassVar[str] = "written_off"
    date: date = attrs.field(validator=v.is_date)
    note: str = attrs.field(default="", kw_only=True)


@attrs.frozen
class GuarantorPaid:
    """A guarantor paid the lender on the borrower's behalf (代偿).

    The borrower's debt is not reduced: it is now owed to the guarantor.

    Attributes:
        date: Day of the compensation.
        guarantor: Who paid (e.g. 深圳市乐信融资担保有限公司).
        amount: Amount the guarantor paid, if known.
    """

    type: ClassVar[str] = "guarantor_paid"
    date: date = attrs.field(validator=v.is_date)
    guarantor: str = attrs.field(default="", kw_only=True)
    amount: Decimal | None = attrs.field(
        default=None, kw_only=True, converter=v.optional_money, validator=v.non_negative
    )
    note: str = attrs.field(default="", kw_only=True)


@attrs.frozen
class PlannedPayment:
    """One installment of a negotiated repayment plan.

    Attributes:
        due_date: When it falls due.
        amount: How much is due.
    """

    due_date: date = attrs.field(validator=v.is_date)
    amount: Decimal = attrs.field(converter=v.money, validator=v.positive)


def _plan(value: Any) -> tuple[PlannedPayment, ...]:
    return tuple(value)


@attrs.frozen
class Agreement:
    """A negotiated repayment plan (协商还款) the borrower and lender signed.

    On ``date`` everything still owed (past due, current and, for loans, principal not
    yet due) is replaced by the plan's installments. If the plan totals less than what
    was owed, the difference is recorded as waived (penalty first, then fees, interest,
    principal); if more, the excess is a fee of the plan. Missing a plan installment
    makes it past due like any other item.

    Attributes:
        date: The day the agreement takes effect (after that day's payments).
        installments: The plan, due dates strictly increasing and after ``date``
            (at most 600).
        counterparty: Who agreed it (the lender, a guarantor, a collector).
        note: Free text (e.g. the agreement's reference).
    """

    type: ClassVar[str] = "agreement"
    date: date = attrs.field(validator=v.is_date)
    installments: tuple[PlannedPayment, ...] = attrs.field(
        converter=_plan, validator=v.max_items(v.MAX_TERM_MONTHS)
    )
    counterparty: str = attrs.field(default="", kw_only=True)
    note: str = attrs.field(default="", kw_only=True)

    @installments.validator
    def _check_installments(self, attribute: Any, value: tuple[PlannedPayment, ...]) -> None:
        if not value:
            raise ValueError(Translatable(N_("an agreement needs at least one installment")))
        dates = [p.due_date for p in value]
        if any(b <= a for a, b in itertools.pairwise(dates)):
            raise ValueError(Translatable(N_("installment due dates must be strictly increasing")))

    def __attrs_post_init__(self) -> None:
        if self.installments[0].due_date <= self.date:
            raise ValueError(
                Translatable(N_("the first installment must fall due after the agreement date"))
            )

    @property
    def total(self) -> Decimal:
        """The plan's total."""
        return sum((p.amount for p in self.installments), ZERO)


Event = Union[Payment, Waiver, AccountClosed, WrittenOff, GuarantorPaid, Agreement]  # noqa: UP007

#: The core event classes by their ``type`` tag (read-only).
CORE_EVENT_TYPES: Mapping[str, type[Any]] = MappingProxyType(
    {
        cls.type: cls
        for cls in (Payment, Waiver, AccountClosed, WrittenOff, GuarantorPaid, Agreement)
    }
)
#: The core event types (read-only). Plugins' event types (``register_event_types``)
#: live in the registry: :attr:`creditrules.Registry.event_types`.
EVENT_TYPES: Mapping[str, type[Any]] = CORE_EVENT_TYPES


@attrs.frozen
class ReportedMonth:
    """What the borrower's real credit report shows for one month.

    Attributes:
        month: ``YYYY-MM``.
        status: The status code shown (``N``, ``1``…``7``, ``M``, ``*``, ``C``, ``D``,
            ``B`` or ``/``).
    """

    month: str = attrs.field()
    status: str = attrs.field(
        validator=v.one_of("/", "N", "*", "M", "C", "D", "B", "1", "2", "3", "4", "5", "6", "7")
    )

    @month.validator
    def _check_month(self, attribute: Any, value: str) -> None:
        try:
            year, month = value.split("-")
            if len(year) != 4 or len(month) != 2 or not 1 <= int(month) <= 12:
                raise ValueError
            first = date(int(year), int(month), 1)
        except (ValueError, AttributeError):
            raise ValueError(
                v.named("month", N_("must be YYYY-MM, got {value}"), value=repr(value))
            ) from None
        if v.date_problem(first) is not None:
            raise ValueError(
                Translatable.join(
                    [
                        Translatable(N_("month")),
                        Translatable(
                            N_("{value} is outside the supported range {first} to {last}"),
                            value=value,
                            first=f"{v.MIN_DATE:%Y-%m}",
                            last=f"{v.MAX_DATE:%Y-%m}",
                        ),
                    ],
                    "words",
                )
            )


class AccountProblems(ValueError):
    """Raised by :class:`Account` when its parts are inconsistent.

    Attributes:
        problems: ``(json_path, message)`` pairs, e.g. ``("$.payments[0].date", "…")``.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{message} @ {path}" for path, message in problems))


def _policy_values(value: Any) -> tuple[PolicyValue, ...]:
    if isinstance(value, Mapping):
        raise TypeError(
            Translatable(
                N_("give policy overrides as PolicyValue objects (load_account parses tables)")
            )
        )
    return tuple(sorted(value, key=lambda p: (p.name, p.effective_from or date.min)))


@attrs.frozen
class Account:
    """One debt and everything that happened to it.

    Attributes:
        id: The borrower's name for the account.
        provider: A provider id (``generic``, or one a plugin registers).
        product: ``revolving`` (bills) or ``installment`` (a loan).
        opened_on: Day the account was opened.
        bills: Statements of a revolving account.
        loan: Terms of an installment loan.
        payments: The borrower's payments.
        events: Other events (waivers, closing, write-off, guarantor compensation).
        policy: The account's own policy values (from its contract), overriding the provider's.
        reported: What the borrower's real credit report shows, month by month.
        funder: Who funds the loan (e.g. a bank), if known.
        guarantor: Who guarantees it, if any.
        name: A display name.
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    provider: str = attrs.field(validator=attrs.validators.min_len(1))
    product: str = attrs.field(validator=v.one_of(*PRODUCTS))
    opened_on: date = attrs.field(validator=v.is_date)
    bills: tuple[Bill, ...] = attrs.field(default=(), converter=v.to_tuple)
    loan: LoanTerms | None = attrs.field(default=None)
    payments: tuple[Payment, ...] = attrs.field(default=(), converter=v.to_tuple)
    events: tuple[Event, ...] = attrs.field(default=(), converter=v.to_tuple)
    policy: tuple[PolicyValue, ...] = attrs.field(default=(), converter=_policy_values)
    reported: tuple[ReportedMonth, ...] = attrs.field(default=(), converter=v.to_tuple)
    funder: str = attrs.field(default="", kw_only=True)
    guarantor: str = attrs.field(default="", kw_only=True)
    name: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise AccountProblems(problems)

    def problems(self) -> list[tuple[str, str]]:
        """List consistency problems as ``(json_path, message)`` pairs (empty when valid)."""
        found: list[tuple[str, str]] = []
        if self.product == "installment":
            if self.loan is None:
                found.append(
                    ("$.loan", Translatable(N_("an installment account needs a [loan] table")))
                )
            if self.bills:
                found.append(
                    (
                        "$.bills",
                        Translatable(N_("an installment account has a [loan], not [[bills]]")),
                    )
                )
        elif self.loan is not None:
            found.append(
                ("$.loan", Translatable(N_("a revolving account has [[bills]], not a [loan]")))
            )
        if self.loan is not None and self.loan.start_date < self.opened_on:
            found.append(
                (
                    "$.loan.start_date",
                    Translatable(
                        N_("loan starts {start}, before the account opened on {opened}"),
                        start=self.loan.start_date,
                        opened=self.opened_on,
                    ),
                )
            )
        for index, bill in enumerate(self.bills):
            if bill.statement_date < self.opened_on:
                found.append(
                    (
                        f"$.bills[{index}].statement_date",
                        Translatable(
                            N_("bill issued {issued}, before the account opened on {opened}"),
                            issued=bill.statement_date,
                            opened=self.opened_on,
                        ),
                    )
                )
        first: dict[str, int] = {}  # each id's first bill: a later one repeats it
        for index, bill in enumerate(self.bills):
            bill_id = bill.id
            if first.setdefault(bill_id, index) != index:
                found.append(
                    (
                        f"$.bills[{index}].id",
                        Translatable(
                            N_(
                                "two bills have the id {id}; "
                                "give each bill a distinct due date or id"
                            ),
                            id=repr(bill_id),
                        ),
                    )
                )
        for index, payment in enumerate(self.payments):
            if payment.date < self.opened_on:
                found.append(
                    (
                        f"$.payments[{index}].date",
                        Translatable(
                            N_("payment on {day} is before the account opened on {opened}"),
                            day=payment.date,
                            opened=self.opened_on,
                        ),
                    )
                )
        for index, event in enumerate(self.events):
            if isinstance(event, Payment):
                found.append(
                    (
                        f"$.events[{index}].type",
                        Translatable(N_("list payments under [[payments]]")),
                    )
                )
            if event.date < self.opened_on:
                found.append(
                    (
                        f"$.events[{index}].date",
                        Translatable(
                            N_("{event} on {day} is before the account opened on {opened}"),
                            event=event.type,
                            day=event.date,
                            opened=self.opened_on,
                        ),
                    )
                )
        return found

    def as_of_problems(self, as_of: date) -> list[tuple[str, str]]:
        """List why ``as_of`` cannot be this account's assessment date (empty when it can).

        The as-of date must lie in the supported window (``1970-01-01`` to
        ``2199-12-31``) and not before the account opened. The problems are
        ``(json_path, message)`` pairs; an as-of date before the opening is reported
        at ``$.account.opened_on``, the value it contradicts.

        Args:
            as_of: The assessment date.

        Returns:
            ``(json_path, message)`` pairs.
        """
        problem = v.date_problem(as_of, Translatable(N_("the as-of date")))
        if problem is not None:
            return [("$", problem)]
        if as_of < self.opened_on:
            return [
                (
                    "$.account.opened_on",
                    Translatable(
                        N_(
                            "the as-of date {as_of} is before the account opened on {opened}; "
                            "assess it on or after that day"
                        ),
                        as_of=as_of,
                        opened=self.opened_on,
                    ),
                )
            ]
        return []

    @property
    def total_paid(self) -> Decimal:
        """Everything the borrower paid."""
        return sum((p.amount for p in self.payments), ZERO)

    def with_events(self, events: tuple[Event, ...] | list[Event]) -> Account:
        """Return a copy with extra events (payments go to :attr:`payments`)."""
        extra_payments = tuple(e for e in events if isinstance(e, Payment))
        others = tuple(e for e in events if not isinstance(e, Payment))
        return attrs.evolve(
            self, payments=self.payments + extra_payments, events=self.events + others
        )
