"""Results of an assessment: frozen values that compare with ``==``.

An :class:`Assessment` says, at its ``as_of`` date, what repaying everything
that day takes (:attr:`~Assessment.payoff`), what is owed
(:attr:`~Assessment.balance`), what is past due (:attr:`~Assessment.overdue`)
and for how long (:attr:`~Assessment.days_past_due`), what every due item was
charged and paid, the overdue :class:`Episode` s, and which rules produced
those figures (:attr:`~Assessment.rules`). Each figure is defined once, in
:ref:`conventions-figures`, and every command shows the same value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ._i18n import N_, Messages
from .money import EXACT, ZERO, sum_money
from .policy import PARAMETERS, AppliedValue
from .record import DecisionRecord
from .remediation import Action
from .report import Report

if TYPE_CHECKING:
    from .explain import Explanation

__all__ = [
    "Allocation",
    "Assessment",
    "AssessmentServices",
    "Components",
    "DueItemResult",
    "Episode",
    "RateWarning",
    "RuleFiring",
    "unknown_matters",
]


_add = EXACT.copy().add


def _total(principal: Decimal, interest: Decimal, fees: Decimal, penalty: Decimal) -> Decimal:
    # sum_money of the four, spelled out: this runs for every Components built.
    return _add(_add(_add(_add(ZERO, principal), interest), fees), penalty)


@attrs.frozen(init=False)
class Components:
    """An amount split into its components; ``total`` is their sum.

    ``total`` is computed when not given; when given (as when read back from JSON) it
    must be the sum.

    Attributes:
        principal: 本金.
        interest: 利息 (contract or revolving interest).
        fees: 手续费 (e.g. installment fees).
        penalty: 罚息 / 逾期费 (overdue charge).
        total: The sum of the four.
    """

    principal: Decimal
    interest: Decimal
    fees: Decimal
    penalty: Decimal
    total: Decimal

    def __init__(
        self,
        principal: Decimal = ZERO,
        interest: Decimal = ZERO,
        fees: Decimal = ZERO,
        penalty: Decimal = ZERO,
        total: Decimal | None = None,
    ) -> None:
        computed = _total(principal, interest, fees, penalty)
        if total is not None and total != computed:
            raise ValueError(f"total {total} is not the sum of the components")
        self.__attrs_init__(principal, interest, fees, penalty, computed)

    @classmethod
    def of(cls, amounts: dict[str, Decimal]) -> Components:
        """Build from a mapping of component name → amount (missing ones are zero)."""
        get = amounts.get
        principal, interest = get("principal", ZERO), get("interest", ZERO)
        fees, penalty = get("fees", ZERO), get("penalty", ZERO)
        if principal is ZERO and interest is ZERO and fees is ZERO and penalty is ZERO:
            return _NOTHING  # the same four zeros: one frozen value serves them all
        made: Components = _new(cls)
        _init(made, principal, interest, fees, penalty, _total(principal, interest, fees, penalty))
        return made

    @classmethod
    def sum(cls, parts: Iterable[Components]) -> Components:
        """Add components field by field."""
        principal = interest = fees = penalty = ZERO
        for part in parts:  # one pass, each component summed exactly
            if part is not _NOTHING:
                principal = _add(principal, part.principal)
                interest = _add(interest, part.interest)
                fees = _add(fees, part.fees)
                penalty = _add(penalty, part.penalty)
        return cls.of(
            {"principal": principal, "interest": interest, "fees": fees, "penalty": penalty}
        )

    def get(self, component: str) -> Decimal:
        """Return one component by name."""
        value: Decimal = getattr(self, component)
        return value


_NOTHING = Components()
_new = object.__new__
_init = Components.__attrs_init__


@attrs.frozen
class Allocation:
    """Part of a payment (or credit, or waiver) applied to one component of one item.

    Attributes:
        date: When it was applied.
        source: ``payment``, ``credit`` (an earlier overpayment), ``waiver``,
            ``guarantor``, or ``refund`` (interest paid beyond the interest to the day of
            an early repayment, given back as credit: its amount is negative).
        component: ``principal``, ``interest``, ``fees`` or ``penalty``.
        amount: The amount applied.
    """

    date: date
    source: str
    component: str
    amount: Decimal


@attrs.frozen
class DueItemResult:
    """One due item (a bill or an installment) and what happened to it.

    Attributes:
        id: ``bill-2025-03-10``, ``installment-3``, ….
        kind: ``bill``, ``installment`` or ``rollover`` (the revolved rest of a bill).
        period: Installment number, if any.
        open_date: From when payments apply to it (statement date, or period start).
        due_date: The due date D.
        scheduled: What fell due on D (principal, interest, fees).
        charged: Everything charged to it: scheduled plus penalty and accrued interest.
        paid: What payments (and credit) paid, by component.
        waived: What the lender waived, by component.
        outstanding: What is still owed at the as-of date.
        settled_on: The day it was fully paid, or ``None``.
        days_past_due: Days past due at the as-of date (0 if settled or not yet due).
        penalty_days: Days of penalty charged.
        status: ``not_due``, ``open``, ``in_grace``, ``overdue``, ``paid_on_time``,
            ``paid_in_grace``, ``paid_late``, ``revolved`` or ``cancelled``.
        allocations: Every amount applied to it, in order.
    """

    id: str
    kind: str
    period: int | None
    open_date: date
    due_date: date
    scheduled: Components
    charged: Components
    paid: Components
    waived: Components
    outstanding: Components
    settled_on: date | None
    days_past_due: int
    penalty_days: int
    status: str
    allocations: tuple[Allocation, ...] = ()

    @property
    def still_owed(self) -> bool:
        """Whether it is still owed: not settled, and not revolved or cancelled."""
        return self.settled_on is None and self.status not in ("cancelled", "revolved")


@attrs.frozen
class Episode:
    """A continuous stretch during which something was past due beyond grace (A.6).

    Attributes:
        start: First day past due.
        end: Day everything past due (penalty included) was paid; ``None`` while ongoing.
        max_days_past_due: Largest days-past-due reached.
        max_overdue_amount: Largest amount past due, penalty included, on any day.
        items: Ids of the due items involved.
    """

    start: date
    end: date | None
    max_days_past_due: int
    max_overdue_amount: Decimal
    items: tuple[str, ...] = ()

    @property
    def ongoing(self) -> bool:
        """Whether the episode has not ended."""
        return self.end is None


#: Fact values a firing may keep as they are and write as text when first read:
#: immutable, and their text does not depend on anything else.
_KEPT_AS_IS = frozenset((str, int, bool, Decimal, date, type(None)))


@attrs.frozen(slots=False)
class RuleFiring:
    """A rule that produced a fact, with the figures it used.

    Attributes:
        rule: The rule id (e.g. ``penalty.accrual``).
        subject: What it applied to (an item id, a date, ``account``).
        facts: Name → value (as text) of what the rule used and produced.
        policy: Names of the policy parameters it read.
    """

    rule: str
    subject: str
    facts: tuple[tuple[str, str], ...] = ()
    policy: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, rule: str, subject: str, facts: dict[str, object], policy: tuple[str, ...] = ()
    ) -> RuleFiring:
        """A firing whose facts are written as text (``str(value)``) when first read.

        The rules engine records one firing per step and few are ever read, so the
        values are kept as they are when all are of an immutable type (text, numbers,
        dates; otherwise all are written at once) — the firing equals
        ``RuleFiring(rule, subject, facts-as-text, policy)``.
        """
        return cls._owning(rule, subject, dict(facts), tuple(policy))

    @classmethod
    def _owning(
        cls, rule: str, subject: str, facts: dict[str, object], policy: tuple[str, ...]
    ) -> RuleFiring:
        """:meth:`of`, keeping ``facts`` itself (a dict nobody else holds)."""
        firing = cls.__new__(cls)
        namespace: dict[str, object]
        if _KEPT_AS_IS.issuperset(map(type, facts.values())):
            namespace = {"rule": rule, "subject": subject, "policy": policy, "_raw": facts}
        else:
            text = tuple([(name, str(value)) for name, value in facts.items()])
            namespace = {"rule": rule, "subject": subject, "policy": policy, "facts": text}
        object.__setattr__(firing, "__dict__", namespace)
        return firing

    def __getattr__(self, name: str) -> Any:
        # Reached only while ``facts`` is not written yet (see :meth:`of`).
        namespace = self.__dict__
        if name != "facts" or "_raw" not in namespace:
            raise AttributeError(name)
        facts = tuple([(key, str(value)) for key, value in namespace["_raw"].items()])
        namespace["facts"] = facts
        del namespace["_raw"]
        return facts

    def fact(self, name: str) -> str:
        """Return one fact by name."""
        return dict(self.facts)[name]


@attrs.frozen
class RateWarning:
    """A rate in force above a regulatory line: computed as given, but worth checking.

    Attributes:
        name: What the rate is: ``loan rate``, or a policy parameter
            (``penalty_daily_rate``, ``penalty_rate_multiplier``, ``revolving_daily_rate``).
        given: The value as given (e.g. ``0.5`` a day, or ``1.5 × the loan rate``).
        annual: Its annual equivalent (a fraction: ``0.243`` is 24.3 %).
        cap: The line it is above (``0.24``, the APR line regulators hold licensed
            lenders to; see :ref:`conventions-figures`).
    """

    name: str
    given: str
    annual: Decimal
    cap: Decimal

    def text(self, tr: Messages) -> str:
        """The warning in the words of ``tr``'s locale (what the CLI and explanations show)."""
        return tr._(
            "{name} = {given} is {annual} a year, above the {cap} APR line regulators hold "
            "licensed lenders to. The figures are computed with it as given: check it "
            "against your contract.",
            name=self.name,
            given=_given(self.given, tr),
            annual=_percent(self.annual),
            cap=_percent(self.cap),
        )

    def __str__(self) -> str:
        return self.text(Messages("en"))


#: How a rate warning's ``given`` value is worded (creditrules._api), and its pattern.
_GIVEN = (
    (N_("{rate} a day"), re.compile(r"(?P<rate>\S+) a day")),
    (
        N_("{multiple} × the loan's daily rate"),
        re.compile(r"(?P<multiple>\S+) × the loan's daily rate"),
    ),
)


def _given(given: str, tr: Messages) -> str:
    """A rate warning's ``given`` value in the words of ``tr``'s locale."""
    for template, pattern in _GIVEN:
        match = pattern.fullmatch(given)
        if match is not None:
            return tr._(template, **match.groupdict())
    return given


def _percent(fraction: Decimal) -> str:
    with localcontext(EXACT):
        value = (fraction * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{value:f}%"


#: Statuses of an item that went past its due date unpaid.
_PAST_DUE = frozenset(("overdue", "in_grace", "paid_in_grace", "paid_late"))


def unknown_matters(name: str, rules: Iterable[RuleFiring], items: Iterable[DueItemResult]) -> bool:
    """Whether a policy value the provider does not know matters for this account.

    It matters when a rule that fired read it, or — for the grace and penalty
    parameters (conventions A.3, A.4) — once something went past its due date
    unpaid. A name that is not an engine parameter always matters. The composer
    lists in :attr:`Assessment.unknowns` only the unknowns that matter.

    Args:
        name: The parameter's name (e.g. ``penalty_daily_rate``).
        rules: The rule firings of the assessment.
        items: Its due items.

    Returns:
        ``True`` if the assessment should say the value is unknown.
    """
    parameter = PARAMETERS.get(name)
    if parameter is None:
        return True
    if any(name in firing.policy for firing in rules):
        return True
    return parameter.spec in ("A.3", "A.4") and any(i.status in _PAST_DUE for i in items)


class AssessmentServices(Protocol):
    """What an assessment asks of the composer that made it (see :func:`creditrules.assess`).

    :func:`creditrules.assess` attaches one to every assessment it returns, so
    that the credit report, the decision record and the remediation plan
    (:attr:`Assessment.report`, :attr:`~Assessment.record`,
    :attr:`~Assessment.actions`) are computed on first access, and
    :meth:`Assessment.explain` can reach the rules and bureau in force, without the
    value depending on the code that computes them.
    """

    def actions(self, assessment: Assessment) -> tuple[Action, ...]:
        """Plan the actions of ``assessment`` (ranked, most urgent first)."""

    def report(self, assessment: Assessment) -> Report:
        """Simulate the credit report of ``assessment``."""

    def record(self, assessment: Assessment) -> DecisionRecord:
        """Build the decision record of ``assessment``."""

    def explain(
        self, assessment: Assessment, locale: str, *, include_not_fired: bool
    ) -> Explanation:
        """Explain every figure of ``assessment`` in ``locale``."""


def _optional_tuple(value: Iterable[Action] | None) -> tuple[Action, ...] | None:
    # attrs.converters.optional(tuple) would inspect tuple's signature at import.
    return None if value is None else tuple(value)


@attrs.frozen(eq=False)
class Assessment:
    """Everything the engine knows about one account at one date.

    Attributes:
        account_id: The account's id.
        provider: The provider id whose policy was applied.
        as_of: The assessment date (state at the end of that day).
        days_past_due: DPD at ``as_of``: days since the due date of the oldest unpaid item.
        payoff: What a payment on ``as_of`` must be to leave nothing owed and nothing
            past due: everything past due with the penalty and interest accrued to that
            day, the current bills or installments, and the principal not yet billed —
            less any credit — under the provider's early-repayment rule (interest only
            to that day where the provider charges it so; otherwise the installments'
            scheduled interest too). ``None`` on an assessment read back from data saved
            before this figure existed.
        balance: Owed at ``as_of`` on the lender's statements: what is billed and
            unpaid (penalty included) plus the principal of installments not yet
            billed. It is not what clears the debt: see ``payoff``.
        overdue: The part of the balance that is past due; paying it ends the current
            overdue episode.
        charged: What has been charged up to ``as_of``, by component: the bills and
            installments billed by then (an installment is billed when its period
            starts) and the penalty and interest accrued to that day; never the
            interest of periods not yet started.
        paid: Everything paid so far (payments and credit applied), by component.
        credit: Money paid beyond what was due, kept for later items.
        episodes: The overdue episodes, oldest first.
        items: Every due item with its schedule, charges and payments.
        rules: The rules that fired, in order, with their figures.
        ruleset: Ids of the rules in force, in the order they ran.
        policy: The policy values in force at ``as_of``, each with its layer and source.
        unknowns: Things the engine could not compute and why (e.g. an unknown penalty
            rate), each once, and only those that matter for this account.
        warnings: Rates in force above what the regulatory caps make plausible (e.g. a
            penalty above the 24% APR line), each naming the value and the cap
            (:class:`RateWarning`); the figures are computed with the values as given.
        owed_to: Who the debt is owed to now (the provider, or a guarantor after 代偿).
        closed_on: Day the account was closed, if it was.
        written_off_on: Day the debt was written off, if it was.
        ignored_events: Events dated after ``as_of`` (not applied).

    :attr:`report` (the simulated credit report), :attr:`record` (the decision
    record) and :attr:`actions` (what to do) are built on first access.

    Two assessments are equal when every figure, the report, the record and the
    actions are equal.
    """

    account_id: str
    provider: str
    as_of: date
    days_past_due: int
    balance: Components
    overdue: Components
    charged: Components
    paid: Components
    credit: Decimal
    episodes: tuple[Episode, ...]
    items: tuple[DueItemResult, ...]
    rules: tuple[RuleFiring, ...]
    ruleset: tuple[str, ...]
    policy: tuple[AppliedValue, ...]
    unknowns: tuple[str, ...] = ()
    warnings: tuple[RateWarning, ...] = ()
    payoff: Decimal | None = None
    owed_to: str = ""
    closed_on: date | None = None
    written_off_on: date | None = None
    guarantor_paid_on: date | None = None
    ignored_events: int = 0
    _report: Report | None = attrs.field(
        default=None, alias="report", metadata={"serialize_as": "report"}
    )
    _record: DecisionRecord | None = attrs.field(
        default=None, alias="record", metadata={"serialize_as": "record"}
    )
    _actions: tuple[Action, ...] | None = attrs.field(
        default=None,
        alias="actions",
        converter=_optional_tuple,
        metadata={"serialize_as": "actions"},
    )
    _services: AssessmentServices | None = attrs.field(
        default=None,
        alias="services",
        repr=False,
        metadata={"serialize": False},
    )

    @property
    def report(self) -> Report | None:
        """The simulated credit report at ``as_of`` (see :mod:`creditrules.report`).

        An assessment made by :func:`creditrules.assess` simulates it on first access,
        then keeps it; ``None`` when the assessment was built without one.
        """
        if self._report is None and self._services is not None:
            object.__setattr__(self, "_report", self._services.report(self))
        return self._report

    @property
    def record(self) -> DecisionRecord | None:
        """The decision record: versions, policy and rules in force, and their hashes.

        See :mod:`creditrules.record`. An assessment made by :func:`creditrules.assess`
        builds it on first access, then keeps it; ``None`` when the assessment was
        built without one.
        """
        if self._record is None and self._services is not None:
            object.__setattr__(self, "_record", self._services.record(self))
        return self._record

    def __getstate__(self) -> dict[str, Any]:
        # A copy has no services to build with (see creditrules.assess): build now.
        self.report, self.record  # noqa: B018 - read for their side effect
        return {a.name: getattr(self, a.name) for a in attrs.fields(Assessment)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    @property
    def actions(self) -> tuple[Action, ...]:
        """What to do, most urgent first (see :mod:`creditrules.remediation`).

        Empty when nothing applies. Planning simulates the account several times, so
        an assessment made by :func:`creditrules.assess` plans on first access to
        ``actions``, then keeps the result; an assessment read back with
        :func:`creditrules.from_dict` has the actions it was saved with.
        """
        if self._actions is None:
            planned = self._services.actions(self) if self._services is not None else ()
            object.__setattr__(self, "_actions", tuple(planned))
            return planned
        return self._actions

    def _key(self) -> tuple[Any, ...]:
        return (
            *(getattr(self, a.name) for a in attrs.fields(Assessment) if a.eq and a.name[0] != "_"),
            self.report,
            self.record,
            self.actions,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Assessment)
        return self is other or self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def net_cost(self) -> Decimal:
        """The cost so far less what was waived (or forgiven by a plan)."""
        waived = sum_money(
            item.waived.interest + item.waived.fees + item.waived.penalty for item in self.items
        )
        return self.cost - waived

    @property
    def cost(self) -> Decimal:
        """The cost so far: interest, fees and penalty charged up to ``as_of``."""
        return sum_money((self.charged.interest, self.charged.fees, self.charged.penalty))

    @property
    def cost_to_come(self) -> Decimal:
        """Interest and fees the schedule already sets for periods not yet started.

        Not part of :attr:`cost` (nothing of it is charged yet), but what a choice
        commits the borrower to: e.g. the fees of a bill converted into installments.
        Remediation effects count it (:attr:`creditrules.Effect.cost_saved`).
        """
        return sum_money(
            i.charged.interest + i.charged.fees + i.charged.penalty
            for i in self.items
            if i.open_date > self.as_of
        )

    @property
    def penalty(self) -> Decimal:
        """Total penalty charged."""
        return self.charged.penalty

    @property
    def current_episode(self) -> Episode | None:
        """The ongoing episode, if any."""
        return next((e for e in self.episodes if e.end is None), None)

    def item(self, item_id: str) -> DueItemResult:
        """Return the due item with this id.

        Raises:
            KeyError: if there is none.
        """
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def fired(self, rule: str) -> tuple[RuleFiring, ...]:
        """Return the firings of one rule."""
        return tuple(f for f in self.rules if f.rule == rule)

    def policy_value(self, name: str) -> Any:
        """Return the value of one policy parameter in force at ``as_of``."""
        for applied in self.policy:
            if applied.value.name == name:
                return applied.value.value
        raise KeyError(name)

    def explain(self, locale: str = "en", *, include_not_fired: bool = False) -> Explanation:
        """Explain every figure: the rule behind it, the policy values used, in words.

        Args:
            locale: ``"en"`` or ``"zh_CN"`` (see :func:`creditrules.explain.available_locales`).
            include_not_fired: Also list the rules that did not fire, and why.

        Returns:
            A frozen :class:`~creditrules.explain.Explanation`.

        Raises:
            ValueError: if ``locale`` has no catalog (the message lists those available).
            LookupError: if the assessment was built by hand rather than by
                :func:`creditrules.assess` or :func:`creditrules.from_dict`, so it
                knows no rules or bureau to explain with.
        """
        if self._services is None:
            raise LookupError(
                "this assessment was not made by creditrules.assess or read by "
                "creditrules.from_dict, so it knows no rules to explain it with"
            )
        return self._services.explain(self, locale, include_not_fired=include_not_fired)
