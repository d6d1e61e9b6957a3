"""Hypothesis strategies that generate valid creditrules inputs.

Hypothesis cannot infer valid accounts from the model's validators (a bill's due
date must not precede its statement, a payment must not precede the account's
opening, …), so this module builds them. Everything a strategy here generates is
valid input: constructing it never raises, and assessing a generated account
never raises.

The strategies follow Hypothesis' API style: plural names, keyword-only
arguments, ``min_value``/``max_value`` for bounds, strategies (not values) for
arguments that can vary, and :class:`~hypothesis.errors.InvalidArgument` for
impossible combinations.

>>> from hypothesis import given
>>> from creditrules import assess
>>> @given(accounts(products=st.just("revolving")))
... def test_dpd_is_never_negative(account):
...     assert assess(account, as_of=last_date(account)).days_past_due >= 0

Importing Hypothesis calls :func:`_hypothesis_setup_hook` through the
``hypothesis`` entry point, so ``st.from_type(creditrules.Account)`` draws from
:func:`accounts` in any project that installs creditrules.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .._plugins import get_registry
from .._words import unknown_key
from ..model import (
    METHODS,
    PRODUCTS,
    Account,
    AccountClosed,
    Bill,
    Event,
    GuarantorPaid,
    LoanTerms,
    Payment,
    ReportedMonth,
    Waiver,
    WrittenOff,
    add_months,
)
from ..money import EXACT, FEN, ZERO, parse_money, parse_rate, sum_money
from ..policy import COMPONENTS, GRADES, PARAMETERS, PolicySet, PolicyValue
from ..provider import Provider, check_account
from ..schedule import build_schedule

__all__ = [
    "BEHAVIOURS",
    "ENGINE_PARAMETERS",
    "LIMIT_PARAMETERS",
    "account_closures",
    "accounts",
    "amounts",
    "as_of_dates",
    "bills",
    "dates",
    "guarantor_payments",
    "last_date",
    "loan_terms",
    "parameter_values",
    "payment_histories",
    "payments",
    "policies",
    "policy_values",
    "provider_ids",
    "rates",
    "register_type_strategies",
    "reported_months",
    "scenarios",
    "waivers",
    "write_offs",
]

#: What a borrower does about one due item in :func:`payment_histories`.
BEHAVIOURS: tuple[str, ...] = (
    "on_time",
    "late",
    "partial",
    "minimum",
    "missed",
    "early_payoff",
)
#: Parameters that limit which accounts a provider accepts (breaking one is an ``InputError``).
LIMIT_PARAMETERS: tuple[str, ...] = ("max_term_months", "max_principal")
#: Parameters that change how the engine computes, i.e. every parameter but the limits.
ENGINE_PARAMETERS: tuple[str, ...] = tuple(n for n in PARAMETERS if n not in LIMIT_PARAMETERS)

#: Default bounds of :func:`dates`.
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)
#: Where generated accounts open (a realistic window around the 2025 relief).
ACCOUNT_MIN_DATE = date(2018, 1, 1)
ACCOUNT_MAX_DATE = date(2030, 12, 31)

_SOURCES = (
    "borrower's contract §7",
    "https://example.com/terms",
    "民法典 Art. 677",
    "征信业管理条例 Art. 16",
    "creditrules test data",
)
_GUARANTORS = ("", "深圳市乐信融资担保有限公司", "Example Guarantee Co.")
_FUNDERS = ("", "南京银行", "Example Bank")
_ONE_DAY = timedelta(days=1)


def _from_fen(fen: int) -> Decimal:
    with decimal.localcontext(EXACT):
        return Decimal(fen).scaleb(-2)


def _ceil_fen(value: Decimal) -> Decimal:
    with decimal.localcontext(EXACT):
        return value.quantize(FEN, rounding=decimal.ROUND_CEILING)


def _amount_argument(name: str, value: object) -> Decimal:
    try:
        amount = parse_money(value)
    except ValueError as exc:
        raise InvalidArgument(f"{name}={value!r}: {exc}") from None
    if amount < 0:
        raise InvalidArgument(f"{name}={value!r} is negative; creditrules amounts never are")
    return amount


def _check_date(name: str, value: object) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidArgument(f"{name}={value!r} must be a datetime.date")
    return value


def _check_strategy(name: str, value: object) -> None:
    if not isinstance(value, SearchStrategy):
        raise InvalidArgument(
            f"{name}={value!r} must be a strategy (e.g. st.just({value!r})), not a value"
        )


def _given(name: str, value: SearchStrategy[Any] | None, default: SearchStrategy[Any]) -> Any:
    if value is None:
        return default
    _check_strategy(name, value)
    return value


def _check_bounds(low: Any, high: Any) -> None:
    if low > high:
        raise InvalidArgument(f"min_value={low!r} is greater than max_value={high!r}")


# ----------------------------------------------------------------- scalars


def amounts(
    *,
    min_value: Decimal | int | str = "0.01",
    max_value: Decimal | int | str = "100000.00",
) -> SearchStrategy[Decimal]:
    """Generate amounts of money: ``Decimal`` in CNY at fen scale (two places).

    Args:
        min_value: Smallest amount (whole fen, not negative; no floats).
        max_value: Largest amount.

    Returns:
        A strategy of Decimals such as ``Decimal("1002.50")``, shrinking towards
        ``min_value``.

    Raises:
        InvalidArgument: for a negative, float or sub-fen bound, or
            ``min_value > max_value``.
    """
    low = _amount_argument("min_value", min_value)
    high = _amount_argument("max_value", max_value)
    _check_bounds(low, high)
    return st.integers(int(low * 100), int(high * 100)).map(_from_fen)


def rates(
    *,
    min_value: Decimal | int | str = "0",
    max_value: Decimal | int | str = "0.002",
    places: int = 6,
) -> SearchStrategy[Decimal]:
    """Generate rates (fractions, e.g. ``Decimal("0.0005")`` for 0.05 %) with ``places`` digits.

    The default range covers daily rates of consumer credit (up to 0.2 %/day).

    Args:
        min_value: Smallest rate (not negative).
        max_value: Largest rate.
        places: Decimal places of the generated rates (0–12).

    Returns:
        A strategy of non-negative Decimals, shrinking towards ``min_value``.

    Raises:
        InvalidArgument: for a negative or float bound, a bound with more than
            ``places`` decimal places, or ``min_value > max_value``.
    """
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 12:
        raise InvalidArgument(f"places={places!r} must be a whole number from 0 to 12")
    unit = Decimal(1).scaleb(-places)
    bounds = []
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        try:
            rate = parse_rate(value)
        except ValueError as exc:
            raise InvalidArgument(f"{name}={value!r}: {exc}") from None
        scaled = rate / unit
        if scaled != scaled.to_integral_value():
            raise InvalidArgument(f"{name}={value!r} has more than places={places} decimal places")
        bounds.append(int(scaled))
    _check_bounds(parse_rate(min_value), parse_rate(max_value))

    def to_rate(units: int) -> Decimal:
        with decimal.localcontext(EXACT):
            return Decimal(units).scaleb(-places)

    return st.integers(bounds[0], bounds[1]).map(to_rate)


def dates(*, min_value: date = MIN_DATE, max_value: date = MAX_DATE) -> SearchStrategy[date]:
    """Generate business dates (``datetime.date``, never a datetime).

    Args:
        min_value: Earliest date.
        max_value: Latest date.

    Raises:
        InvalidArgument: for a non-date bound or ``min_value > max_value``.
    """
    low = _check_date("min_value", min_value)
    high = _check_date("max_value", max_value)
    _check_bounds(low, high)
    return st.dates(low, high)


# Aliases for use inside functions whose arguments shadow these names.
_amounts = amounts
_dates = dates


# ----------------------------------------------------------------- policy


def _parameter_strategies() -> dict[str, SearchStrategy[Any]]:
    return {
        "grace_days": st.integers(0, 10),
        "grace_waives_penalty": st.booleans(),
        "penalty_from": st.sampled_from(("due_date", "grace_end")),
        "penalty_daily_rate": rates(min_value="0.0001", max_value="0.002", places=5),
        "penalty_rate_multiplier": rates(min_value="1", max_value="2", places=1),
        "penalty_base": st.sampled_from(
            ("unpaid_amount", "unpaid_principal", "unpaid_principal_and_interest")
        ),
        "penalty_cap": rates(min_value="0.05", max_value="0.36", places=2),
        "day_basis": st.sampled_from((360, 365)),
        "allocation_order": st.permutations(COMPONENTS).map(tuple),
        "overpayment": st.sampled_from(("credit", "prepay")),
        "minimum_payment_ratio": rates(min_value="0.05", max_value="0.2", places=2),
        "revolving_daily_rate": rates(min_value="0.0001", max_value="0.001", places=5),
        "bill_installment_fees": st.dictionaries(
            st.sampled_from((3, 6, 9, 12, 24)),
            rates(min_value="0.01", max_value="0.2", places=3),
            max_size=4,
        ).map(lambda table: tuple(sorted(table.items()))),
        "max_term_months": st.integers(1, 60),
        "max_principal": amounts(min_value="1000.00", max_value="500000.00"),
        "snapshot": st.just("month_end") | st.integers(1, 31),
    }


_PARAMETER_STRATEGIES = _parameter_strategies()


def parameter_values(name: str) -> SearchStrategy[Any]:
    """Generate valid values of one policy parameter, e.g. ``parameter_values("grace_days")``.

    Args:
        name: A key of :data:`creditrules.PARAMETERS`.

    Returns:
        A strategy of typed values as :class:`~creditrules.PolicyValue` stores them
        (the parameter's default only, for a parameter this module does not know yet).

    Raises:
        InvalidArgument: if ``name`` is not a known parameter.
    """
    if name not in PARAMETERS:
        raise InvalidArgument(unknown_key(name, PARAMETERS, kind="policy parameter"))
    if name not in _PARAMETER_STRATEGIES:  # no strategy yet: the default is always valid
        return st.just(PARAMETERS[name].default)
    return _PARAMETER_STRATEGIES[name]


def _sources() -> SearchStrategy[str]:
    return st.sampled_from(_SOURCES) | st.text(min_size=1, max_size=30).filter(str.strip)


@st.composite
def _policy_values(
    draw: st.DrawFn,
    names: SearchStrategy[str],
    grades: SearchStrategy[str],
    sources: SearchStrategy[str],
) -> PolicyValue:
    name = draw(names)
    return PolicyValue(
        name,
        draw(parameter_values(name)),
        source=draw(sources),
        grade=draw(grades),
    )


def policy_values(
    *,
    names: SearchStrategy[str] | None = None,
    grades: SearchStrategy[str] | None = None,
    sources: SearchStrategy[str] | None = None,
) -> SearchStrategy[PolicyValue]:
    """Generate one sourced, graded :class:`~creditrules.PolicyValue` (always in force).

    Args:
        names: Parameter names to draw from (default: every engine parameter, not the
            limits in :data:`LIMIT_PARAMETERS`).
        grades: Confidence grades (default: ``A``–``D``).
        sources: Source citations (default: sample citations and arbitrary text).

    Raises:
        InvalidArgument: if a drawn name is not a known parameter.
    """
    return _policy_values(
        _given("names", names, st.sampled_from(ENGINE_PARAMETERS)),
        _given("grades", grades, st.sampled_from(GRADES)),
        _given("sources", sources, _sources()),
    )


@st.composite
def _policies(
    draw: st.DrawFn,
    names: SearchStrategy[str],
    min_size: int,
    max_size: int | None,
    versions: SearchStrategy[int],
    change_dates: SearchStrategy[date],
    grades: SearchStrategy[str],
    sources: SearchStrategy[str],
) -> tuple[PolicyValue, ...]:
    chosen = draw(st.lists(names, min_size=min_size, max_size=max_size, unique=True))
    values: list[PolicyValue] = []
    for name in chosen:
        count = draw(versions)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InvalidArgument(f"versions drew {count!r}; it must draw whole numbers >= 1")
        changes = sorted(
            draw(st.lists(change_dates, min_size=count - 1, max_size=count - 1, unique=True))
        )
        starts: list[date | None] = [None, *changes]
        ends: list[date | None] = [*(day - _ONE_DAY for day in changes), None]
        for start, end in zip(starts, ends, strict=True):
            value = draw(_policy_values(st.just(name), grades, sources))
            values.append(attrs.evolve(value, effective_from=start, effective_to=end))
    return tuple(sorted(values, key=lambda v: (v.name, v.effective_from or date.min)))


def policies(
    *,
    names: SearchStrategy[str] | None = None,
    min_size: int = 0,
    max_size: int | None = None,
    versions: SearchStrategy[int] | None = None,
    change_dates: SearchStrategy[date] | None = None,
    grades: SearchStrategy[str] | None = None,
    sources: SearchStrategy[str] | None = None,
) -> SearchStrategy[tuple[PolicyValue, ...]]:
    """Generate policy overrides: a tuple of :class:`~creditrules.PolicyValue`, as an account has.

    Each parameter appears at most once, or — with ``versions`` drawing more than
    one — as consecutive effective-dated versions that never overlap (the first
    in force since always, the last until changed), so a
    :class:`~creditrules.PolicySet` built from them never raises.

    Args:
        names: Parameter names to draw from (default: engine parameters, no limits).
        min_size: Fewest parameters.
        max_size: Most parameters (default: no bound beyond the distinct names).
        versions: Number of effective-dated versions per parameter, >= 1 (default: 1).
        change_dates: Days on which a new version comes into force
            (default: :func:`dates` between 2018 and 2032).
        grades: Confidence grades.
        sources: Source citations.

    Returns:
        A strategy of tuples sorted by name and effective date.

    Raises:
        InvalidArgument: for ``min_size > max_size`` or a negative size.
    """
    if min_size < 0 or (max_size is not None and (max_size < 0 or min_size > max_size)):
        raise InvalidArgument(f"invalid sizes min_size={min_size!r}, max_size={max_size!r}")
    return _policies(
        _given("names", names, st.sampled_from(ENGINE_PARAMETERS)),
        min_size,
        max_size,
        _given("versions", versions, st.just(1)),
        _given(
            "change_dates",
            change_dates,
            dates(min_value=ACCOUNT_MIN_DATE, max_value=date(2032, 12, 31)),
        ),
        _given("grades", grades, st.sampled_from(GRADES)),
        _given("sources", sources, _sources()),
    )


# ----------------------------------------------------------------- model values


@st.composite
def _bills(
    draw: st.DrawFn,
    statement_dates: SearchStrategy[date],
    amounts: SearchStrategy[Decimal],
    days_to_due: SearchStrategy[int],
) -> Bill:
    statement = draw(statement_dates)
    offset = draw(days_to_due)
    if offset < 0:
        raise InvalidArgument(f"days_to_due drew {offset}; a bill cannot fall due before it")
    return Bill(statement, statement + timedelta(days=offset), draw(amounts))


def bills(
    *,
    statement_dates: SearchStrategy[date] | None = None,
    amounts: SearchStrategy[Decimal] | None = None,
    days_to_due: SearchStrategy[int] | None = None,
) -> SearchStrategy[Bill]:
    """Generate one :class:`~creditrules.Bill` of a revolving account.

    Args:
        statement_dates: Statement dates (账单日) (default: :func:`dates`).
        amounts: Billed amounts (default: 0.00 to 50,000.00; zero is a statement
            with nothing spent).
        days_to_due: Days from statement to due date (还款日), >= 0 (default: 0–27).
    """
    return _bills(
        _given("statement_dates", statement_dates, dates()),
        _given("amounts", amounts, _amounts(min_value="0.00", max_value="50000.00")),
        _given("days_to_due", days_to_due, st.integers(0, 27)),
    )


@st.composite
def _loan_terms(
    draw: st.DrawFn,
    principals: SearchStrategy[Decimal],
    term_months: SearchStrategy[int],
    methods: SearchStrategy[str],
    start_dates: SearchStrategy[date],
    annual_rates: SearchStrategy[Decimal],
    daily_rates: SearchStrategy[Decimal],
    day_bases: SearchStrategy[int],
    due_days: SearchStrategy[int | None],
) -> LoanTerms:
    daily = draw(st.booleans())
    return LoanTerms(
        principal=draw(principals),
        term_months=draw(term_months),
        method=draw(methods),
        start_date=draw(start_dates),
        annual_rate=None if daily else draw(annual_rates),
        daily_rate=draw(daily_rates) if daily else None,
        day_basis=draw(day_bases),
        due_day=draw(due_days),
    )


def loan_terms(
    *,
    principals: SearchStrategy[Decimal] | None = None,
    term_months: SearchStrategy[int] | None = None,
    methods: SearchStrategy[str] | None = None,
    start_dates: SearchStrategy[date] | None = None,
    annual_rates: SearchStrategy[Decimal] | None = None,
    daily_rates: SearchStrategy[Decimal] | None = None,
    day_bases: SearchStrategy[int] | None = None,
    due_days: SearchStrategy[int | None] | None = None,
) -> SearchStrategy[LoanTerms]:
    """Generate :class:`~creditrules.LoanTerms` with exactly one of an annual or a daily rate.

    The defaults keep every installment above zero (a principal of at least
    100.00, a rate of at least 1 % a year), as real loans are.

    Args:
        principals: Amounts lent (default: 100.00 to 200,000.00).
        term_months: Numbers of monthly installments (default: 1–36).
        methods: Repayment methods (default: ``equal_installment``,
            ``equal_principal``, ``interest_first``).
        start_dates: Days the money is lent (default: 2018–2030).
        annual_rates: Nominal annual rates, used for half the examples
            (default: 1 %–36 %).
        daily_rates: Contract daily rates, used for the other half
            (default: 0.003 %–0.1 %).
        day_bases: 360 or 365 (default: either).
        due_days: Day of month installments fall due, or ``None`` for the start
            day (default: either).
    """
    return _loan_terms(
        _given("principals", principals, _amounts(min_value="100.00", max_value="200000.00")),
        _given("term_months", term_months, st.integers(1, 36)),
        _given("methods", methods, st.sampled_from(METHODS)),
        _given(
            "start_dates",
            start_dates,
            _dates(min_value=ACCOUNT_MIN_DATE, max_value=ACCOUNT_MAX_DATE),
        ),
        _given("annual_rates", annual_rates, rates(min_value="0.01", max_value="0.36", places=4)),
        _given("daily_rates", daily_rates, rates(min_value="0.00003", max_value="0.001", places=6)),
        _given("day_bases", day_bases, st.sampled_from((360, 365))),
        _given("due_days", due_days, st.none() | st.integers(1, 31)),
    )


def payments(
    *,
    dates: SearchStrategy[date] | None = None,
    amounts: SearchStrategy[Decimal] | None = None,
    notes: SearchStrategy[str] | None = None,
) -> SearchStrategy[Payment]:
    """Generate one :class:`~creditrules.Payment` (any positive amount on any date).

    For payments that make sense for a given account use :func:`payment_histories`.

    Args:
        dates: Payment dates (default: :func:`dates`).
        amounts: Amounts paid, > 0 (default: :func:`amounts`).
        notes: Free text (default: empty).
    """
    return st.builds(
        Payment,
        _given("dates", dates, _dates()),
        _given("amounts", amounts, _amounts()),
        note=_given("notes", notes, st.just("")),
    )


def waivers(
    *,
    dates: SearchStrategy[date] | None = None,
    components: SearchStrategy[str] | None = None,
    amounts: SearchStrategy[Decimal] | None = None,
) -> SearchStrategy[Waiver]:
    """Generate one :class:`~creditrules.Waiver` of a penalty, fee or interest amount.

    Args:
        dates: Waiver dates (default: :func:`dates`).
        components: ``penalty``, ``fees`` or ``interest`` (default: any).
        amounts: Amounts forgiven, > 0 (default: up to 1,000.00).
    """
    return st.builds(
        Waiver,
        _given("dates", dates, _dates()),
        _given("components", components, st.sampled_from(("penalty", "fees", "interest"))),
        _given("amounts", amounts, _amounts(max_value="1000.00")),
    )


def account_closures(*, dates: SearchStrategy[date] | None = None) -> SearchStrategy[AccountClosed]:
    """Generate one :class:`~creditrules.AccountClosed` event (dates default to :func:`dates`)."""
    return st.builds(AccountClosed, _given("dates", dates, _dates()))


def write_offs(*, dates: SearchStrategy[date] | None = None) -> SearchStrategy[WrittenOff]:
    """Generate one :class:`~creditrules.WrittenOff` event (dates default to :func:`dates`)."""
    return st.builds(WrittenOff, _given("dates", dates, _dates()))


def guarantor_payments(
    *,
    dates: SearchStrategy[date] | None = None,
    guarantors: SearchStrategy[str] | None = None,
    amounts: SearchStrategy[Decimal | None] | None = None,
) -> SearchStrategy[GuarantorPaid]:
    """Generate one :class:`~creditrules.GuarantorPaid` (代偿) event.

    Args:
        dates: Dates of the compensation (default: :func:`dates`).
        guarantors: Who paid (default: a few names, or empty).
        amounts: Amount paid, or ``None`` for unknown (default: either).
    """
    return st.builds(
        GuarantorPaid,
        _given("dates", dates, _dates()),
        guarantor=_given("guarantors", guarantors, st.sampled_from(_GUARANTORS)),
        amount=_given("amounts", amounts, st.none() | _amounts()),
    )


def reported_months(*, months: SearchStrategy[date] | None = None) -> SearchStrategy[ReportedMonth]:
    """Generate one :class:`~creditrules.ReportedMonth` (a month of a real credit report).

    Args:
        months: Dates whose month is reported (default: 2018–2030).
    """
    days = _given("months", months, _dates(min_value=ACCOUNT_MIN_DATE, max_value=ACCOUNT_MAX_DATE))
    codes = st.sampled_from(("/", "N", "*", "M", "C", "D", "B", "1", "2", "3", "4", "5", "6", "7"))
    return st.builds(ReportedMonth, days.map(lambda d: f"{d:%Y-%m}"), codes)


# ----------------------------------------------------------------- histories


@attrs.frozen
class _Due:
    open_date: date
    due_date: date
    total: Decimal
    #: For loans: principal outstanding at the start of the period (paying it and the
    #: period's interest repays the loan).
    opening_balance: Decimal
    interest: Decimal


def _due_items(account: Account) -> list[_Due]:
    if account.loan is not None:
        previous = account.loan.start_date
        items = []
        for inst in build_schedule(account.loan):
            items.append(
                _Due(previous, inst.due_date, inst.total, inst.opening_balance, inst.interest)
            )
            previous = inst.due_date
        return items
    return [
        _Due(b.statement_date, b.due_date, b.amount, ZERO, ZERO)
        for b in sorted(account.bills, key=lambda b: (b.due_date, b.statement_date, b.id))
    ]


def _provider(provider_id: str) -> Provider | None:
    return get_registry().providers.get(provider_id)


def _policy_rates(account: Account, name: str) -> list[Decimal]:
    found = [v.value for v in account.policy if v.name == name and v.value is not None]
    provider = _provider(account.provider)
    if provider is not None:
        found += [v.value for v in provider.policy if v.name == name and v.value is not None]
    return found


def _penalty_estimate(account: Account) -> Decimal:
    """An upper estimate of the daily penalty rate, so a "late" payment clears its item."""
    estimates = _policy_rates(account, "penalty_daily_rate")
    if account.loan is not None:
        estimates += [
            m * account.loan.daily for m in _policy_rates(account, "penalty_rate_multiplier")
        ]
    return max(estimates, default=ZERO)


def _minimum_ratio(account: Account) -> Decimal:
    return max(_policy_rates(account, "minimum_payment_ratio"), default=Decimal("0.1"))


def _day_between(draw: st.DrawFn, first: date, last: date) -> date:
    return draw(st.dates(first, max(first, last)))


@st.composite
def _payment_histories(
    draw: st.DrawFn,
    account: Account,
    behaviours: SearchStrategy[str],
    max_days_late: int,
) -> tuple[Payment, ...]:
    items = _due_items(account)
    rate = _penalty_estimate(account)
    ratio = _minimum_ratio(account)
    history: list[Payment] = []
    shortfall = ZERO  # roughly what earlier items still owe (without penalty)

    def pay(day: date, amount: Decimal) -> Decimal:
        amount = max(amount, ZERO)
        if amount > 0:
            history.append(Payment(day, amount))
        return amount

    for index, item in enumerate(items):
        behaviour = draw(behaviours)
        if behaviour not in BEHAVIOURS:
            raise InvalidArgument(f"behaviours drew {behaviour!r}; known: {', '.join(BEHAVIOURS)}")
        late_by = draw(st.integers(1, max(1, max_days_late)))
        if behaviour == "on_time":
            paid = pay(_day_between(draw, item.open_date, item.due_date), item.total)
        elif behaviour == "late":
            with decimal.localcontext(EXACT):
                owed = _ceil_fen(item.total * (1 + rate * late_by))
            paid = pay(item.due_date + timedelta(days=late_by), owed)
        elif behaviour == "partial":
            percent = draw(st.integers(1, 99))
            with decimal.localcontext(EXACT):
                part = max(FEN, _ceil_fen(item.total * percent / 100))
            day = _day_between(draw, item.open_date, item.due_date + timedelta(days=late_by))
            paid = pay(day, part if item.total > 0 else ZERO)
        elif behaviour == "minimum":
            with decimal.localcontext(EXACT):
                part = _ceil_fen(item.total * ratio)
            paid = pay(_day_between(draw, item.open_date, item.due_date), part)
        elif behaviour == "missed":
            paid = ZERO
        else:  # early_payoff: everything still owed, before this item falls due
            last = max(item.open_date, item.due_date - _ONE_DAY)
            day = _day_between(draw, item.open_date, last)
            if account.loan is not None:
                rest = item.opening_balance + item.interest
            else:
                rest = sum_money(i.total for i in items[index:])
            with decimal.localcontext(EXACT):
                margin = _ceil_fen(shortfall * rate * max_days_late)
            pay(day, shortfall + rest + margin)
            break
        shortfall = max(ZERO, shortfall + item.total - paid)
    return tuple(history)


def payment_histories(
    account: Account,
    *,
    behaviours: SearchStrategy[str] | None = None,
    max_days_late: int = 90,
) -> SearchStrategy[tuple[Payment, ...]]:
    """Generate the borrower's payments for ``account``'s due items (its own payments ignored).

    For each due item in due-date order (bills, or the loan's installments) one
    behaviour is drawn:

    * ``on_time`` — the item's amount, paid between its opening and its due date;
    * ``late`` — paid 1 to ``max_days_late`` days after the due date, with enough
      on top to cover the penalty (an estimate from the policy; any excess is credit);
    * ``partial`` — 1–99 % of the amount, on time or late;
    * ``minimum`` — the minimum payment (the policy's ``minimum_payment_ratio``,
      else 10 %), on time;
    * ``missed`` — nothing;
    * ``early_payoff`` — before the item falls due, everything still owed: for a
      loan the outstanding principal, this period's interest and any arrears, for
      revolving credit every remaining bill. The history ends there.

    Every payment is positive and dated on or after the account's opening, so
    ``attrs.evolve(account, payments=history)`` is always valid.

    Args:
        account: The account (a value: draw it first, or use :func:`accounts`).
        behaviours: What the borrower does about each item (values of
            :data:`BEHAVIOURS`; default: any of them).
        max_days_late: Most days a late or partial payment comes after the due date.

    Raises:
        InvalidArgument: if ``account`` is not an Account or ``max_days_late < 1``, or
            ``behaviours`` draws an unknown behaviour.
    """
    if not isinstance(account, Account):
        raise InvalidArgument(f"account={account!r} must be a creditrules.Account")
    if isinstance(max_days_late, bool) or not isinstance(max_days_late, int) or max_days_late < 1:
        raise InvalidArgument(f"max_days_late={max_days_late!r} must be a whole number >= 1")
    return _payment_histories(
        account, _given("behaviours", behaviours, st.sampled_from(BEHAVIOURS)), max_days_late
    )


# ----------------------------------------------------------------- accounts


def last_date(account: Account) -> date:
    """Return the last date anything happens on ``account`` (a due date or an event)."""
    days = [account.opened_on]
    days += [item.due_date for item in _due_items(account)]
    days += [e.date for e in (*account.payments, *account.events)]
    return max(days)


def as_of_dates(account: Account, *, max_days_after: int = 400) -> SearchStrategy[date]:
    """Generate assessment dates for ``account``: from its opening to after its last event.

    Args:
        account: The account.
        max_days_after: How far after :func:`last_date` the date may be.
    """
    if not isinstance(account, Account):
        raise InvalidArgument(f"account={account!r} must be a creditrules.Account")
    if max_days_after < 0:
        raise InvalidArgument(f"max_days_after={max_days_after!r} must not be negative")
    return st.dates(account.opened_on, last_date(account) + timedelta(days=max_days_after))


def provider_ids() -> SearchStrategy[str]:
    """Generate ids of the installed providers (``generic`` and any plugin's)."""

    def installed() -> SearchStrategy[str]:
        return st.sampled_from(sorted(get_registry().providers))

    return st.deferred(installed)


def _default_account_policies() -> SearchStrategy[tuple[PolicyValue, ...]]:
    others = tuple(n for n in ENGINE_PARAMETERS if n != "penalty_daily_rate")
    return st.tuples(
        policy_values(names=st.just("penalty_daily_rate")),
        policies(names=st.sampled_from(others), max_size=5, versions=st.integers(1, 2)),
    ).map(lambda parts: (parts[0], *parts[1]))


def _bill_run(
    draw: st.DrawFn, opened_on: date, count: int, amounts: SearchStrategy[Decimal]
) -> list[Bill]:
    statement_day = draw(st.integers(1, 28))
    days_to_due = draw(st.integers(0, 25))
    first = date(opened_on.year, opened_on.month, statement_day)
    if first < opened_on:
        first = add_months(first, 1)
    first = add_months(first, draw(st.integers(0, 2)))
    result = []
    for month in range(count):
        statement = add_months(first, month)
        result.append(Bill(statement, statement + timedelta(days=days_to_due), draw(amounts)))
    return result


def _limit(
    provider: Provider | None, account_policy: Iterable[PolicyValue], name: str, on: date
) -> Any:
    values = {} if provider is None else dict(provider.policy_at(on))
    values.update({v.name: v for v in account_policy if v.in_force(on)})
    value = values.get(name)
    return None if value is None else value.value


def _other_events(draw: st.DrawFn, account: Account) -> list[Event]:
    within = st.dates(account.opened_on, last_date(account) + timedelta(days=120))
    kinds = st.one_of(
        waivers(dates=within, amounts=amounts(max_value="200.00")),
        guarantor_payments(dates=within),
        write_offs(dates=within),
        account_closures(dates=within),
    )
    return draw(st.lists(kinds, max_size=2))


@st.composite
def _accounts(
    draw: st.DrawFn,
    provider: str | None,
    products: SearchStrategy[str],
    opened_on: SearchStrategy[date],
    policies: SearchStrategy[tuple[PolicyValue, ...]],
    bill_amounts: SearchStrategy[Decimal],
    max_items: int,
    behaviours: SearchStrategy[str] | None,
    with_events: bool,
) -> Account:
    provider_id = draw(provider_ids()) if provider is None else provider
    info = _provider(provider_id)
    if info is None:
        raise InvalidArgument(get_registry().unknown_provider_message(provider_id))
    product = draw(products.filter(lambda p: p in info.products))
    opened = draw(opened_on)
    overrides = draw(policies)
    for name, _why in info.required:  # values the provider needs from the contract
        if not any(v.name == name for v in overrides):
            overrides = (*overrides, draw(policy_values(names=st.just(name))))
    loan = None
    bill_list: list[Bill] = []
    if product == "installment":
        start = draw(st.dates(opened, opened + timedelta(days=60)))
        max_term = _limit(info, overrides, "max_term_months", start) or max_items
        max_principal = _limit(info, overrides, "max_principal", start) or Decimal("200000.00")
        if max_principal < Decimal("100.00"):
            raise InvalidArgument(f"provider {provider_id!r} lends at most {max_principal}")
        loan = draw(
            loan_terms(
                principals=amounts(
                    min_value="100.00", max_value=min(max_principal, Decimal("200000.00"))
                ),
                term_months=st.integers(1, max(1, min(max_items, max_term))),
                methods=st.sampled_from(info.methods),
                start_dates=st.just(start),
            )
        )
    else:
        bill_list = _bill_run(draw, opened, draw(st.integers(1, max_items)), bill_amounts)
    account = Account(
        id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)),
        provider=provider_id,
        product=product,
        opened_on=opened,
        bills=bill_list,
        loan=loan,
        policy=overrides,
        funder=draw(st.sampled_from(_FUNDERS)),
    )
    if behaviours is not None:
        history = draw(payment_histories(account, behaviours=behaviours))
        account = attrs.evolve(account, payments=history)
    if with_events:
        account = attrs.evolve(account, events=tuple(_other_events(draw, account)))
    assume(not check_account(info, account))  # e.g. a plugin's own validate hook
    return account


def accounts(
    *,
    provider: str | None = "generic",
    products: SearchStrategy[str] | None = None,
    opened_on: SearchStrategy[date] | None = None,
    policies: SearchStrategy[tuple[PolicyValue, ...]] | None = None,
    bill_amounts: SearchStrategy[Decimal] | None = None,
    max_items: int = 12,
    behaviours: SearchStrategy[str] | None = None,
    with_payments: bool = True,
    with_events: bool = True,
) -> SearchStrategy[Account]:
    """Generate whole, valid accounts — bills or a loan, policy, payments and events.

    A revolving account gets 1 to ``max_items`` monthly bills; an installment
    account a loan of 1 to ``max_items`` months (within the provider's
    ``max_term_months`` and ``max_principal``, using a method it offers). The
    account's policy always states a penalty rate (an account's contract does)
    plus up to five other overrides, some effective-dated. Payments come from
    :func:`payment_histories`; up to two other events (waiver, guarantor
    compensation, write-off, closing) may follow.

    Args:
        provider: A provider id, or ``None`` for any installed provider. Values the
            provider requires from the contract are added to the account's policy.
        products: ``revolving`` and/or ``installment`` (default: either; only those
            the provider offers are used).
        opened_on: Days the account opens (default: 2018–2030).
        policies: The account's policy overrides (default: a penalty rate and up to
            five other engine parameters, some in two effective-dated versions).
        bill_amounts: Amounts of the bills of revolving accounts (default: 0.01 to
            20,000.00).
        max_items: Most bills, or most months of a loan.
        behaviours: What the borrower does about each due item (default: any of
            :data:`BEHAVIOURS`; see :func:`payment_histories`).
        with_payments: Whether to generate payments at all.
        with_events: Whether to add waivers, guarantor payments, write-offs, closings.

    Raises:
        InvalidArgument: if ``provider`` is not installed or ``max_items < 1``.
    """
    if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1:
        raise InvalidArgument(f"max_items={max_items!r} must be a whole number >= 1")
    if provider is not None and not isinstance(provider, str):
        raise InvalidArgument(f"provider={provider!r} must be a provider id or None")
    return _accounts(
        provider,
        _given("products", products, st.sampled_from(PRODUCTS)),
        _given(
            "opened_on", opened_on, dates(min_value=ACCOUNT_MIN_DATE, max_value=ACCOUNT_MAX_DATE)
        ),
        _given("policies", policies, _default_account_policies()),
        _given("bill_amounts", bill_amounts, amounts(min_value="0.01", max_value="20000.00")),
        max_items,
        _given("behaviours", behaviours, st.sampled_from(BEHAVIOURS)) if with_payments else None,
        with_events,
    )


@st.composite
def _scenarios(
    draw: st.DrawFn, account: Account, min_size: int, max_size: int, first: date, last: date
) -> tuple[Event, ...]:
    owed = sum_money(i.total for i in _due_items(account))
    ceiling = max(owed, Decimal("1.00"))
    within = st.dates(first, last)
    event = st.one_of(
        payments(dates=within, amounts=amounts(max_value=ceiling)),
        waivers(dates=within, amounts=amounts(max_value=max(FEN, _ceil_fen(ceiling / 10)))),
    )
    return tuple(draw(st.lists(event, min_size=min_size, max_size=max_size)))


def scenarios(
    account: Account,
    *,
    min_size: int = 1,
    max_size: int = 3,
    min_value: date | None = None,
    max_value: date | None = None,
) -> SearchStrategy[tuple[Event, ...]]:
    """Generate what-if scenarios for ``account``: extra payments and waivers to simulate.

    Each scenario is a tuple of events for :func:`creditrules.simulate` (and a future
    ``compare``): payments up to what the account ever owes, and waivers.

    Args:
        account: The account.
        min_size: Fewest events.
        max_size: Most events.
        min_value: Earliest event date (default and lower bound: the account's opening).
        max_value: Latest event date (default: 180 days after :func:`last_date`).

    Raises:
        InvalidArgument: for bad sizes, or dates that leave no day to act on.
    """
    if not isinstance(account, Account):
        raise InvalidArgument(f"account={account!r} must be a creditrules.Account")
    if min_size < 0 or min_size > max_size:
        raise InvalidArgument(f"invalid sizes min_size={min_size!r}, max_size={max_size!r}")
    first = account.opened_on if min_value is None else _check_date("min_value", min_value)
    if first < account.opened_on:
        raise InvalidArgument(
            f"min_value={first} is before the account opened on {account.opened_on}"
        )
    last = (
        last_date(account) + timedelta(days=180)
        if max_value is None
        else _check_date("max_value", max_value)
    )
    _check_bounds(first, last)
    return _scenarios(account, min_size, max_size, first, last)


# ----------------------------------------------------------------- registration


def register_type_strategies() -> None:
    """Register the strategies here for :func:`hypothesis.strategies.from_type`.

    After this, ``st.from_type(creditrules.Account)`` draws from :func:`accounts`,
    ``st.from_type(creditrules.Bill)`` from :func:`bills`, and so on for
    :class:`~creditrules.LoanTerms`, :class:`~creditrules.Payment`, the other
    events, :class:`~creditrules.PolicyValue`, :class:`~creditrules.PolicySet` and
    :class:`~creditrules.ReportedMonth`. Calling it again is harmless.
    """
    registrations: Sequence[tuple[type[Any], SearchStrategy[Any]]] = (
        (Account, accounts()),
        (Bill, bills()),
        (LoanTerms, loan_terms()),
        (Payment, payments()),
        (Waiver, waivers()),
        (AccountClosed, account_closures()),
        (WrittenOff, write_offs()),
        (GuarantorPaid, guarantor_payments()),
        (PolicyValue, policy_values()),
        (PolicySet, policies().map(lambda values: PolicySet(account=values))),
        (ReportedMonth, reported_months()),
    )
    for cls, strategy in registrations:
        st.register_type_strategy(cls, strategy)


def _hypothesis_setup_hook() -> None:
    """Entry point ``hypothesis`` → ``creditrules.testing.strategies:_hypothesis_setup_hook``."""
    register_type_strategies()
