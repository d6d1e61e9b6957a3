"""What to do about an overdue: ranked, dated, costed actions and negotiated plans.

:func:`creditrules.assess` ends by planning: ``assessment.actions`` is a tuple
of :class:`Action` values, most urgent first. Each action has a stable
:attr:`~Action.code` from the :data:`CATALOGUE`, a deadline, an amount, the
:class:`Effect` it has on cost and on the credit report, the steps to take and
the law or policy behind it (:attr:`~Action.citations`, each with its source
and grade). An action is produced only when it applies to the account at the
assessment date.

Every figure of an effect is **measured, not estimated**: the planner
simulates the account with the action's :attr:`~Action.events` and with the
baseline (:attr:`Effect.compared_with`, usually "nothing more is done") at the
same date (:attr:`Effect.horizon`, a snapshot day of the credit report) and
reports the difference. Only what is known at the assessment date is used:
payments and events dated after it are left out.

The planner never recommends paying anyone but the creditor: a true record
cannot be removed for money, and a wrong one is corrected free of charge
through a dispute (征信业管理条例 Art. 25).

:func:`plan_negotiation` drafts a negotiated repayment plan (协商还款) for a
monthly capacity, within what is known of the provider's negotiation policy;
the plan is a :class:`~creditrules.Agreement` event, so
:func:`creditrules.simulate` shows what it does.

>>> from creditrules import Account, Bill, PolicyValue, assess
>>> account = Account(
...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
...     policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")],
... )
>>> first = assess(account, as_of=date(2025, 3, 15)).actions[0]
>>> first.code, first.deadline, first.amount
('pay_overdue_now', datetime.date(2025, 3, 15), Decimal('501.25'))
>>> first.effect.cost_saved, first.effect.negative_months_avoided
(Decimal('4.00'), 1)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_CEILING, Decimal, localcontext
from typing import TYPE_CHECKING, Any, Literal, Union

import attrs

from ._i18n import N_, Messages, normalise_locale
from .bureau import Citation
from .model import (
    Account,
    Agreement,
    Event,
    Payment,
    PlannedPayment,
)
from .money import EXACT, FEN, ZERO, format_money, sum_money
from .policy import Policy, PolicySet

if TYPE_CHECKING:
    pass

__all__ = [
    "CATALOGUE",
    "Action",
    "ActionKind",
    "Effect",
    "NegotiatedPlan",
    "NegotiationPolicy",
    "Phrase",
    "localized",
    "negotiation_policy",
    "rank",
]

# ----------------------------------------------------------------- phrases

#: What a :class:`Phrase` fills its placeholders with: text kept as it is (a name, an
#: id), a number, an amount (formatted as money), a date (in the locale's words) or
#: another phrase (rendered in the same locale).
PhraseValue = Union[str, int, Decimal, date, "Phrase"]
#: How :meth:`Phrase.join` joins its parts: as sentences (a space in English, nothing
#: in Chinese), as a list (``, `` and ``、``) or as clauses (``; `` and ``；``).
Joiner = Literal["sentences", "list", "clauses"]
_JOINERS: Mapping[Joiner, tuple[str, str]] = {
    "sentences": (" ", ""),
    "list": (", ", "、"),
    "clauses": ("; ", "；"),
}
_ENGLISH: list[Messages] = []


def _english() -> Messages:
    if not _ENGLISH:
        _ENGLISH.append(Messages("en"))
    return _ENGLISH[0]


class Phrase(str):
    """A text of creditrules' catalogue kept with its values, so it can be written in any locale.

    A phrase *is* its English text: it compares, hashes, prints and serialises as
    that string (``to_json`` writes the English), so the values that hold phrases
    (an action's title, steps and effect) stay plain strings. :meth:`text` writes
    it in another locale: the catalogue's translation of :attr:`message` (or the
    phrase's own :attr:`translations`, for a plugin's words the catalogue does not
    have), its values written in the same locale: amounts as money, dates in the
    locale's words, phrases translated in turn.

    >>> from creditrules._i18n import N_, Messages
    >>> title = Phrase(N_("Ask {creditor} to waive the {amount} of penalty"),
    ...                creditor="南京银行", amount=Decimal("12.5"))
    >>> title
    'Ask 南京银行 to waive the 12.50 of penalty'
    >>> title.text(Messages("zh_CN"))
    '请南京银行减免12.50元罚息'
    >>> Phrase("Call us", translations={"zh_CN": "请致电"}).text(Messages("zh_CN"))
    '请致电'

    Args:
        message: The English message (a catalogue ``msgid`` with ``{placeholders}``).
        plural: The English plural form, for a message counted by the value ``n``.
        translations: The text by locale (``{"zh_CN": "…"}``), for a message the
            catalogue does not have (a plugin's); it wins over the catalogue.
        **values: The values of the placeholders.

    Raises:
        ValueError: if ``plural`` is given without an integer ``n``, or one of the
            ``translations`` uses a placeholder that has no value.

    Attributes:
        message: The English message (empty for phrases made by :meth:`join`).
        plural: The plural message, or ``None``.
        values: The values, by placeholder name.
        translations: The phrase's own translations, by locale.
        joiner: How :meth:`join` joined :attr:`parts`, or ``None``.
        parts: The texts :meth:`join` joined.
    """

    __slots__ = ("joiner", "message", "parts", "plural", "translations", "values")

    message: str
    plural: str | None
    values: tuple[tuple[str, PhraseValue], ...]
    translations: tuple[tuple[str, str], ...]
    joiner: Joiner | None
    parts: tuple[str, ...]

    def __new__(  # noqa: D102 - documented by the class
        cls,
        message: str,
        /,
        *,
        plural: str | None = None,
        translations: Mapping[str, str] | None = None,
        **values: PhraseValue,
    ) -> Phrase:
        return cls._build(message, plural, tuple(values.items()), translations or {}, None, ())

    @classmethod
    def _build(
        cls,
        message: str,
        plural: str | None,
        values: tuple[tuple[str, PhraseValue], ...],
        translations: Mapping[str, str] | Iterable[tuple[str, str]],
        joiner: Joiner | None,
        parts: tuple[str, ...],
    ) -> Phrase:
        if plural is not None and not isinstance(dict(values).get("n"), int):
            raise ValueError(f"a plural phrase needs an integer value n: {message!r}")
        pairs = tuple(
            sorted(
                (_locale(locale), text)
                for locale, text in (
                    translations.items() if isinstance(translations, Mapping) else translations
                )
            )
        )
        english = _render(message, plural, values, pairs, joiner, parts, _english())
        filled = {name: _value(value, _english()) for name, value in values}
        for locale, text in pairs if values else ():  # a plugin's must fill with these values
            try:
                text.format(**filled)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(
                    f"the {locale} translation {text!r} of {message!r} does not format with "
                    f"the values {sorted(filled)}: {exc!r}"
                ) from None
        self = super().__new__(cls, english)
        for name, value in (
            ("message", message),
            ("plural", plural),
            ("values", values),
            ("translations", pairs),
            ("joiner", joiner),
            ("parts", parts),
        ):
            object.__setattr__(self, name, value)
        return self

    @classmethod
    def join(cls, parts: Iterable[str], how: Joiner = "sentences") -> Phrase:
        """Join texts (phrases or plain strings) as sentences, a list or clauses.

        >>> from creditrules._i18n import N_, Messages
        >>> days = Phrase.join([Phrase(N_("today")), Phrase(N_("that day"))], "list")
        >>> days, days.text(Messages("zh_CN"))
        ('today, that day', '今天、当天')
        """
        return cls._build("", None, (), (), how, tuple(parts))

    def text(self, tr: Messages) -> str:
        """The phrase in the words of ``tr``'s locale."""
        return _render(
            self.message, self.plural, self.values, self.translations, self.joiner, self.parts, tr
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Phrase._build,
            (self.message, self.plural, self.values, self.translations, self.joiner, self.parts),
        )


def _locale(name: str) -> str:
    """A locale's catalogue name (``zh-CN`` gives ``zh_CN``); one without a catalogue as given."""
    try:
        return normalise_locale(name)
    except ValueError:
        return name


def localized(text: str, tr: Messages) -> str:
    """A text of a value (an action's title, a step, …) in the words of ``tr``'s locale.

    A :class:`Phrase` is written in the locale; a plain string (a plugin's words,
    or a value read back from JSON) is translated if the catalogue has it, else
    shown as it is.
    """
    if isinstance(text, Phrase):
        return text.text(tr)
    return tr._(text)


def _value(value: PhraseValue, tr: Messages) -> str | int:
    if isinstance(value, Phrase):
        return value.text(tr)
    if isinstance(value, bool):
        raise TypeError(f"a phrase does not take a bool: {value!r}")
    if isinstance(value, (int, str)):  # a number keeps its format spec ({month:02d})
        return value
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, date):
        return tr.date(value)
    raise TypeError(f"a phrase does not take {value!r}")


def _render(
    message: str,
    plural: str | None,
    values: tuple[tuple[str, PhraseValue], ...],
    translations: tuple[tuple[str, str], ...],
    joiner: Joiner | None,
    parts: tuple[str, ...],
    tr: Messages,
) -> str:
    if joiner is not None:
        english, chinese = _JOINERS[joiner]
        return (chinese if tr.chinese else english).join(localized(p, tr) for p in parts)
    filled = {name: _value(value, tr) for name, value in values}
    own = dict(translations).get(tr.locale)
    if own is not None:
        template = own
    elif plural is not None:
        template = tr.catalog.ngettext(message, plural, int(dict(values)["n"]))  # type: ignore[arg-type]
    else:
        template = tr.catalog.gettext(message) if message else message
    return template.format(**filled) if values else template


# ----------------------------------------------------------------- citations

_CSC = "征信业管理条例 (国务院令第631号)"
_CARD_MEASURES = "商业银行信用卡业务监督管理办法 Art. 70"
#: The contents a written card repayment plan must state at least (Art. 70).
ART_70_CONTENTS: tuple[str, ...] = (
    N_("the balance of the debt, its structure and currency"),
    N_("the repayment cycle, method, currency and dates, and the amount of each installment"),
    N_("whether annual fees, interest and other charges are charged during the plan"),
    N_("the cardholder's undertaking not to apply for a card at any bank until the plan is paid"),
    N_("the rights, obligations and liability for breach of both sides"),
    N_("anything else about the repayment"),
)
#: The contents of :data:`ART_70_CONTENTS` as one list, in any locale.
_ART_70 = Phrase.join((Phrase(text) for text in ART_70_CONTENTS), "clauses")

_STATEMENT = Citation(
    "personal_statement",
    N_(
        "While negative information is kept, the person concerned may add a statement "
        "(个人声明) to it."
    ),
    f"{_CSC} Art. 16",
    "A",
)
_FREE_REPORTS = Citation(
    "free_reports",
    N_(
        "Everyone may obtain their own credit report from the credit bureau free of charge "
        "twice a year."
    ),
    f"{_CSC} Art. 17",
    "A",
)
_DISPUTE = Citation(
    "dispute",
    N_(
        "A disputed record is marked and verified, with a written reply within 20 days; "
        "errors are corrected free of charge."
    ),
    f"{_CSC} Art. 25",
    "A",
)
_COMPLAINT = Citation(
    "complaint",
    N_("A complaint to the PBOC or its local branch is answered within 30 days."),
    f"{_CSC} Art. 26",
    "A",
)
_REPAIR_SCAMS = Citation(
    "repair_scams",
    N_(
        "'Credit repair' (征信修复) of a true record does not exist; services that charge for "
        "it are scams. Only wrong or missing information is corrected, free of charge, "
        "through a dispute."
    ),
    N_("public warnings of PBOC branches and the Credit Reference Center; 征信业管理条例 Art. 25"),
    "B",
)
_CARD_PLANS = Citation(
    "negotiation",
    Phrase(
        N_(
            "When a card debt exceeds the cardholder's ability to pay but they intend to pay, "
            "the bank may agree a personalised installment plan of at most 5 years; collection "
            "stops once it is signed. The written plan states at least: {contents}."
        ),
        contents=_ART_70,
    ),
    _CARD_MEASURES,
    "A",
)
_ONLINE_LENDERS = Citation(
    "negotiation",
    N_(
        "No rule obliges an online lender to agree a repayment plan: with them, negotiation "
        "is practice, not a right."
    ),
    N_(
        "商业银行信用卡业务监督管理办法 Art. 70 binds banks' cards; no equivalent rule was found "
        "for online lenders"
    ),
    "C",
)
_NEGOTIATION_STEPS = Citation(
    "negotiation_steps",
    N_(
        "Contact the lender early, explain the cause, provide evidence (income proof, medical "
        "records), propose a concrete plan, get it in writing, then keep to it."
    ),
    N_(
        "common practice of negotiated repayment (协商还款); a written agreement is what "
        "binds the lender (民法典 Art. 469)"
    ),
    "C",
)
_WAIVER_PRACTICE = Citation(
    "penalty_waiver",
    N_("Lenders may waive penalty interest (减免罚息) at their discretion; no rule obliges them."),
    N_("lenders' practice; no legal right to a waiver was found"),
    "C",
)
_EARLY_REPAYMENT = Citation(
    "early_repayment",
    N_("A borrower who repays early owes interest only for the time the money was used."),
    "民法典 Art. 677",
    "A",
)

# ----------------------------------------------------------------- values


@attrs.frozen
class ActionKind:
    """One entry of the action catalogue.

    Attributes:
        code: The stable code actions of this kind carry.
        title: What the action is, in a few words.
        when: When the planner produces it.
        effect: What it changes.
    """

    code: str
    title: str
    when: str
    effect: str


_KINDS = (
    ActionKind(
        "pay_overdue_now",
        "Pay everything past due today",
        "Something is past due beyond the grace period.",
        "Stops the penalty and ends the overdue today; the 5-year retention of the record "
        "starts today.",
    ),
    ActionKind(
        "pay_within_grace",
        "Pay within the grace period",
        "An item is past its due date but still within the provider's grace period, "
        "and nothing else is overdue.",
        "The item counts as paid on time: nothing negative is reported and, where the "
        "policy says so, no penalty is charged.",
    ),
    ActionKind(
        "pay_before_report",
        "Pay before this month's report",
        "Something is past due and the month's snapshot for the credit report has not "
        "been taken yet.",
        "No negative status for this month. The amount includes the penalty accrued to "
        "the snapshot day; paying it on that day is verified to leave the month clean.",
    ),
    ActionKind(
        "convert_to_installments",
        "Convert a bill into installments",
        "The provider offers bill installments (policy bill_installment_fees), a bill is "
        "open and unpaid, and its due date has not passed.",
        "The bill is replaced by monthly installments, for a fee: nothing is past due on "
        "its due date.",
    ),
    ActionKind(
        "pay_off",
        "Repay everything owed",
        "An installment loan is overdue or written off and part of it is not yet due, "
        "and repaying it all now saves interest or negative months.",
        "Ends the debt: no further interest (interest only to the day of repayment where "
        "the policy allows early repayment), no further negative months.",
    ),
    ActionKind(
        "one_time_relief",
        "Qualify for the one-time relief",
        "An unpaid overdue episode would qualify for a relief policy of the bureau if it "
        "ended by the policy's last day, and that day has not passed.",
        "Repaid in full in time, the record is hidden early, automatically and free.",
    ),
    ActionKind(
        "request_penalty_waiver",
        "Ask the lender to waive the penalty",
        "Penalty is owed.",
        "If the lender agrees, the penalty is not owed; nothing obliges it to agree.",
    ),
    ActionKind(
        "negotiate_plan",
        "Negotiate a repayment plan (协商还款)",
        "The account is overdue or written off and something is owed.",
        "A signed plan replaces what is owed by installments you can pay.",
    ),
    ActionKind(
        "file_dispute",
        "Dispute a wrong record (异议)",
        "The borrower's real report shows a worse status than creditrules computes for "
        "a month (a discrepancy).",
        "If the dispute succeeds, the month is corrected, free of charge.",
    ),
    ActionKind(
        "wait_for_expiry",
        "Wait for the record to disappear",
        "A negative record is visible and its overdue has ended.",
        "The record disappears on its date (expiry after 5 years, or a relief), automatically.",
    ),
    ActionKind(
        "add_personal_statement",
        "Add a personal statement (个人声明)",
        "A negative record is visible.",
        "The record stays, with your explanation beside it.",
    ),
    ActionKind(
        "check_credit_report",
        "Check your credit report",
        "The account has had an overdue, or its real report is listed in the account file.",
        "You see what lenders see, and can dispute what is wrong.",
    ),
    ActionKind(
        "beware_repair_scams",
        "Beware of 'credit repair' scams",
        "A negative record exists, or something is overdue.",
        "Keeps you from paying for what cannot be bought, or is free.",
    ),
)

#: The built-in action kinds by code, in the order used to break ties when ranking.
CATALOGUE: Mapping[str, ActionKind] = {kind.code: kind for kind in _KINDS}
_ORDER = {code: index for index, code in enumerate(CATALOGUE)}


def _events(value: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _citations(value: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(value)


def _pairs(value: Iterable[tuple[str, str]] | Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), str(v)) for k, v in items)


@attrs.frozen
class Effect:
    """What an action changes, measured by simulating it against a baseline.

    The figures compare two simulations of the account at :attr:`horizon`: one
    with the action's events, one with :attr:`compared_with` (the baseline;
    empty means "nothing more is done"). A figure is ``None`` when the action
    cannot be simulated (filing a dispute, adding a statement).

    Attributes:
        text: The effect in one or two sentences.
        cost_saved: Interest, fees and penalty (net of waivers) saved by the
            horizon, counting what the schedule already sets for periods not yet
            started (an installment fee); negative if the action costs money (a
            conversion fee).
        negative_months_avoided: How many fewer months the credit report records
            with a negative status by the horizon.
        record_disappears_on: With the action, the day the negative record of the
            episode :attr:`episode_start` disappears (expiry or relief); ``None`` if the
            action leaves no such record, or it stays unpaid.
        horizon: The day both simulations are compared (a snapshot day of the report).
        compared_with: The baseline's events.
        episode_start: The overdue episode the action is about, if any.
    """

    text: str
    cost_saved: Decimal | None = None
    negative_months_avoided: int | None = None
    record_disappears_on: date | None = None
    horizon: date | None = None
    compared_with: tuple[Event, ...] = attrs.field(default=(), converter=_events)
    episode_start: date | None = None

    @property
    def measured(self) -> bool:
        """Whether the figures come from a simulation (there is a horizon)."""
        return self.horizon is not None


@attrs.frozen
class Action:
    """One thing to do about the account, with its deadline, cost, effect and sources.

    Attributes:
        code: Stable code: a key of :data:`CATALOGUE`, or a plugin's own
            (``<provider>.<name>``).
        title: The action in one line, with its figures.
        priority: Rank, 1 first (set by the planner: by deadline, then by effect).
        deadline: The last day it has its effect, or ``None``.
        amount: The amount it is about (to pay, to convert, to waive), or ``None``.
        effect: What it changes (:class:`Effect`).
        steps: What to do, in order.
        citations: The law, policy or practice behind it, each with source and grade.
        events: The events that doing it means, for :func:`creditrules.simulate`
            (empty if it cannot be simulated).
        pay_to: Who receives the money, for actions that pay: always the creditor
            (``assessment.owed_to``), never a third party.
        details: Further figures by name (``fee``, ``month``, ``reply_days``, …).
        origin: ``creditrules``, or the plugin that contributed it.
    """

    code: str
    title: str
    priority: int = 0
    deadline: date | None = None
    amount: Decimal | None = None
    effect: Effect = Effect("")
    steps: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    citations: tuple[Citation, ...] = attrs.field(default=(), converter=_citations)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)
    pay_to: str | None = None
    details: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    origin: str = "creditrules"

    def detail(self, name: str) -> str:
        """Return one of :attr:`details` by name.

        Raises:
            KeyError: if there is none.
        """
        return dict(self.details)[name]


@attrs.frozen
class NegotiationPolicy:
    """What is known of a provider's negotiation policy (协商还款) on one day.

    Attributes:
        max_term_months: The longest plan creditrules drafts: the provider's
            ``negotiation_max_term_months``, or 60 (the 5 years of
            商业银行信用卡业务监督管理办法 Art. 70) when it is unknown.
        max_term_known: Whether the provider's maximum term is known.
        penalty_stops: Whether penalty stops once a plan is signed; ``None`` = unknown.
        citations: The sources of the above.
        notes: What the reader should know (unknown values, and what to ask).
    """

    max_term_months: int
    max_term_known: bool
    penalty_stops: bool | None
    citations: tuple[Citation, ...] = attrs.field(default=(), converter=_citations)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_strings)


def _installments(value: Iterable[PlannedPayment]) -> tuple[PlannedPayment, ...]:
    return tuple(value)


@attrs.frozen
class NegotiatedPlan:
    """A concrete repayment plan (协商还款) to propose to the creditor.

    Build one with :func:`plan_negotiation`. :meth:`as_event` is the signed plan
    as a :class:`~creditrules.Agreement`; :meth:`events` adds the down payment
    and the installments paid on their due dates, so
    ``creditrules.simulate(account, plan.events(), plan.last_due)`` shows the
    plan kept.

    Attributes:
        account_id: The account.
        as_of: The assessment date.
        start: The day the plan would be signed.
        counterparty: Who the plan is agreed with (the creditor).
        capacity: What the borrower can pay a month.
        down_payment: Paid on :attr:`start` before signing (0 if none).
        owed: What the plan replaces on :attr:`start`, after the down payment:
            everything still owed, penalty included.
        installments: The monthly installments.
        policy: What is known of the provider's negotiation policy.
        pay_now: What repaying everything on :attr:`as_of` would take instead.
        effect: The plan kept, against paying nothing (measured by simulation).
        checklist: What to do and bring, in order.
        citations: The sources behind the plan.
    """

    account_id: str
    as_of: date
    start: date
    counterparty: str
    capacity: Decimal
    down_payment: Decimal
    owed: Decimal
    installments: tuple[PlannedPayment, ...] = attrs.field(converter=_installments)
    policy: NegotiationPolicy
    pay_now: Decimal
    effect: Effect
    checklist: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    citations: tuple[Citation, ...] = attrs.field(default=(), converter=_citations)

    @property
    def term_months(self) -> int:
        """Number of monthly installments."""
        return len(self.installments)

    @property
    def monthly(self) -> Decimal:
        """The monthly installment (the last one may be smaller)."""
        return self.installments[0].amount

    @property
    def first_due(self) -> date:
        """Due date of the first installment."""
        return self.installments[0].due_date

    @property
    def last_due(self) -> date:
        """Due date of the last installment."""
        return self.installments[-1].due_date

    @property
    def total(self) -> Decimal:
        """Everything paid under the plan: the down payment and the installments."""
        return sum_money((self.down_payment, *(p.amount for p in self.installments)))

    @property
    def feasible(self) -> bool:
        """Whether the monthly installment is within the capacity.

        ``False`` when even the longest plan allowed needs more a month.
        """
        return self.monthly <= self.capacity

    @property
    def extra_cost(self) -> Decimal:
        """What the plan costs beyond repaying everything on :attr:`as_of`."""
        return self.total - self.pay_now

    def as_event(self) -> Agreement:
        """Return the plan as the :class:`~creditrules.Agreement` both sides would sign."""
        return Agreement(
            self.start,
            self.installments,
            counterparty=self.counterparty,
            note="协商还款: plan drafted by creditrules",
        )

    def payments(self) -> tuple[Payment, ...]:
        """Return each installment paid in full on its due date."""
        return tuple(Payment(p.due_date, p.amount) for p in self.installments)

    def events(self) -> tuple[Event, ...]:
        """Return the down payment (if any), the agreement and the installments paid."""
        down: tuple[Event, ...] = (
            (Payment(self.start, self.down_payment),) if self.down_payment > 0 else ()
        )
        return (*down, self.as_event(), *self.payments())


# ----------------------------------------------------------------- helpers


def _ceil_div(amount: Decimal, parts: Decimal | int) -> Decimal:
    """``amount / parts`` rounded up to the fen, computed in the project's exact context."""
    with localcontext(EXACT):
        return (amount / parts).quantize(FEN, rounding=ROUND_CEILING)


def _known_at(account: Account, as_of: date) -> Account:
    """The account as known at the end of ``as_of``: later payments and events left out."""
    return attrs.evolve(
        account,
        payments=tuple(p for p in account.payments if p.date <= as_of),
        events=tuple(e for e in account.events if e.date <= as_of),
    )


def _policy_citation(policy: Policy, name: str, text: str) -> Citation:
    """The citation of the policy value ``name`` in force: ``text``, with its source and grade."""
    applied = policy.origin(name).value
    return Citation(name, text, applied.source, applied.grade, applied.note)


def negotiation_policy(
    policies: PolicySet, on: datetime.date, *, provider_name: str = ""
) -> NegotiationPolicy:
    """Resolve what is known of the negotiation policy in force on ``on``.

    Args:
        policies: The account's layered policy.
        on: The day a plan would be signed.
        provider_name: The creditor's name, for the notes.

    Returns:
        The :class:`NegotiationPolicy`; an unknown maximum term is capped at 60
        months, citing 商业银行信用卡业务监督管理办法 Art. 70 (the only legal
        reference, for credit cards) and saying that online lenders have no such rule.
    """
    policy = policies.at(on)
    name: PhraseValue = provider_name or Phrase(N_("this lender"))
    term_value = policy.origin("negotiation_max_term_months")
    stops_value = policy.origin("negotiation_penalty_stops")
    citations: list[Citation] = []
    notes: list[str] = []
    term: int | None = term_value.value.value
    if term is not None:
        citations.append(
            _policy_citation(
                policy,
                "negotiation_max_term_months",
                Phrase(
                    N_("{name} agrees repayment plans of at most {n} month."),
                    plural="{name} agrees repayment plans of at most {n} months.",
                    name=name,
                    n=term,
                ),
            )
        )
        max_term, known = term, True
    else:
        citations += [_CARD_PLANS, _ONLINE_LENDERS]
        notes.append(
            Phrase(
                N_(
                    "No maximum term is known for {name}. The only legal reference is for "
                    "credit cards: a bank may agree a plan of at most 5 years ({source}) [A]. "
                    "No such rule exists for online lenders: with them a plan is practice, not "
                    "a right [C]. creditrules caps the plan at 60 months."
                ),
                name=name,
                source=_CARD_MEASURES,
            )
        )
        max_term, known = 60, False
    stops: bool | None = stops_value.value.value
    if stops is None:
        notes.append(
            Phrase(
                N_(
                    "Whether penalty stops once a plan is signed is not known for {name}: ask, "
                    "and have the answer written into the agreement (Art. 70 lists whether "
                    "fees and interest continue during the plan among the terms a card plan "
                    "must state)."
                ),
                name=name,
            )
        )
    else:
        citations.append(
            _policy_citation(
                policy,
                "negotiation_penalty_stops",
                Phrase(
                    N_("Penalty stops once a repayment plan with {name} is signed.")
                    if stops
                    else N_("Penalty does not stop once a repayment plan with {name} is signed."),
                    name=name,
                ),
            )
        )
        notes.append(
            Phrase(N_("Penalty stops once the plan is signed."))
            if stops
            else Phrase(
                N_(
                    "Penalty does not stop once the plan is signed: ask for the penalty to be "
                    "waived as part of the plan."
                )
            )
        )
    return NegotiationPolicy(max_term, known, stops, citations, notes)


def _checklist(
    counterparty: PhraseValue, plan: NegotiatedPlan | None, policy: NegotiationPolicy
) -> list[str]:
    steps: list[str] = [
        Phrase(
            N_(
                "Contact {creditor} as early as you can and ask for a negotiated repayment "
                "plan (协商还款)."
            ),
            creditor=counterparty,
        ),
        Phrase(N_("Explain the cause of the difficulty: illness, loss of work, a fall in income.")),
        Phrase(
            N_(
                "Bring evidence of it: proof of income (bank statements, an income certificate), "
                "medical records, a termination letter."
            )
        ),
    ]
    if plan is None:
        steps.append(
            Phrase(
                N_(
                    "Propose a concrete plan: the monthly amount, the number of months and the "
                    "dates."
                )
            )
        )
    else:
        if plan.down_payment > 0:
            steps.append(
                Phrase(
                    N_(
                        "Propose this plan: {down} on {start}, then {n} monthly payment of "
                        "{monthly} from {first} to {last} (total {total})."
                    ),
                    plural="Propose this plan: {down} on {start}, then {n} monthly payments of "
                    "{monthly} from {first} to {last} (total {total}).",
                    down=plan.down_payment,
                    start=plan.start,
                    n=plan.term_months,
                    monthly=plan.monthly,
                    first=plan.first_due,
                    last=plan.last_due,
                    total=plan.total,
                )
            )
        else:
            steps.append(
                Phrase(
                    N_(
                        "Propose this plan: {n} monthly payment of {monthly} from {first} to "
                        "{last} (total {total})."
                    ),
                    plural="Propose this plan: {n} monthly payments of {monthly} from {first} "
                    "to {last} (total {total}).",
                    n=plan.term_months,
                    monthly=plan.monthly,
                    first=plan.first_due,
                    last=plan.last_due,
                    total=plan.total,
                )
            )
    steps.append(
        Phrase(
            N_(
                "Get the agreement in writing before you pay. For a card plan Art. 70 requires "
                "at least: {contents}. Ask an online lender for the same."
            ),
            contents=_ART_70,
        )
    )
    if policy.penalty_stops is None:
        steps.append(
            Phrase(N_("Ask whether penalty and interest stop under the plan, and have it written."))
        )
    steps += [
        Phrase(
            N_("Keep to it: a missed plan installment is a new overdue, reported like any other.")
        ),
        Phrase(
            N_(
                "Negotiate yourself; it is free. Never pay an agent to negotiate or to 'clean' "
                "your report."
            )
        ),
    ]
    return steps


def rank(actions: Iterable[Action]) -> tuple[Action, ...]:
    """Order actions by deadline, then by effect, and number them from 1.

    Dated actions come first, earliest deadline first; then, at the same
    deadline, the action that avoids more negative months, then the one that
    saves more; ties follow the :data:`CATALOGUE` order.

    Args:
        actions: The actions, in any order.

    Returns:
        The actions with :attr:`Action.priority` set to 1, 2, ….
    """

    def key(action: Action) -> tuple[Any, ...]:
        effect = action.effect
        return (
            action.deadline is None,
            action.deadline or date.max,
            -(effect.negative_months_avoided or 0),
            -(effect.cost_saved or ZERO),
            _ORDER.get(action.code, len(_ORDER)),
            action.code,
            action.title,
        )

    ordered = sorted(actions, key=key)
    return tuple(attrs.evolve(a, priority=n) for n, a in enumerate(ordered, start=1))
