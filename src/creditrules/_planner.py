"""The remediation planner: the actions of one assessment, each effect simulated (private).

:func:`creditrules.assess` attaches a planner to each assessment; the actions are
planned on first access to ``assessment.actions`` (:func:`plan`), and
:func:`creditrules.plan_negotiation` drafts a plan (:func:`negotiate`). The composer
hands the planner a ``simulate`` function, so this module never calls back into the
public API. The values and the catalogue are public in :mod:`creditrules.remediation`.

Every figure of an effect comes from two simulations of the account at the same
horizon (:meth:`Planner.measure`); simulations are cached per planner. A simulation
plans nothing unless its ``actions`` are read, so planning never recurses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal, localcontext
from typing import TYPE_CHECKING

import attrs

from ._i18n import N_, Messages, available_locales
from .assessment import Assessment, DueItemResult, Episode
from .bureau import Bureau, Citation
from .model import (
    Account,
    Agreement,
    Event,
    Payment,
    PlannedPayment,
    Waiver,
    add_months,
)
from .money import EXACT, FEN, ZERO, parse_money, sum_money
from .policy import PolicySet, convention
from .remediation import (
    _COMPLAINT,
    _DISPUTE,
    _EARLY_REPAYMENT,
    _FREE_REPORTS,
    _NEGOTIATION_STEPS,
    _REPAIR_SCAMS,
    _STATEMENT,
    _WAIVER_PRACTICE,
    Action,
    Effect,
    NegotiatedPlan,
    Phrase,
    PhraseValue,
    _ceil_div,
    _checklist,
    _known_at,
    _policy_citation,
    negotiation_policy,
    rank,
)
from .report import NegativeRecord, Report, snapshot_day

if TYPE_CHECKING:
    from ._plugins import Registry
    from .provider import Provider

__all__ = ["Planner", "Simulate", "negotiate", "payoff_amount", "plan"]

#: Assess an account with extra events at a date: what the planner measures effects with.
Simulate = Callable[[Account, Sequence[Event], date], Assessment]


def committed_cost(assessment: Assessment) -> Decimal:
    """The net cost so far plus the cost to come (what the schedule already sets).

    An action's effect counts what it commits the borrower to: converting a bill into
    installments costs their fees even before the first period is billed.
    """
    return assessment.net_cost + assessment.cost_to_come


def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month(key: str) -> Phrase:
    """A month given as ``YYYY-MM``, in the words of any locale (``2025-06``, 2025年6月)."""
    year, month = (int(part) for part in key.split("-"))
    return Phrase(N_("{year}-{month:02d}"), year=year, month=month)


#: What an effect is measured against when nothing else is said.
_NOTHING_MORE = Phrase(N_("paying nothing more"))
_TODAY = Phrase(N_("today"))


def _record_of(report: Report | None, start: date | None) -> NegativeRecord | None:
    if report is None or start is None:
        return None
    return next((r for r in report.records if r.episode_start == start), None)


# ----------------------------------------------------------------- the planner


class Planner:
    """Plans the actions of one assessment; every effect is simulated."""

    def __init__(
        self,
        assessment: Assessment,
        account: Account,
        *,
        provider: Provider,
        bureau: Bureau,
        policies: PolicySet,
        registry: Registry,
        simulate: Simulate,
    ) -> None:
        self.a = assessment
        self.as_of = assessment.as_of
        self.account = _known_at(account, self.as_of)
        self.provider = provider
        self.bureau = bureau
        self.policies = policies
        self.policy = policies.at(self.as_of)
        self.simulate = simulate
        self.registry = registry
        self.report = assessment.report
        owed_to = assessment.owed_to
        #: Who is paid: the creditor (the provider, or a guarantor after 代偿), never anyone else.
        self.pay_to = provider.display_name if owed_to in ("", provider.id) else owed_to
        self.creditor = Phrase(N_("your creditor ({name})"), name=self.pay_to)
        #: The bureau, by its Chinese name in Chinese.
        self.center = Phrase(
            bureau.display_name,
            translations={"zh_CN": bureau.name_zh} if bureau.name_zh else None,
        )
        self.penalty_unknown = any(f.rule == "penalty.unknown" for f in assessment.rules)
        self.snapshot = self.next_snapshot(self.as_of)
        self.now_events: tuple[Event, ...] | None = None
        self.now_amount = ZERO
        self._cache: dict[tuple[tuple[Event, ...], date], Assessment] = {}

    # -- simulation ----------------------------------------------------
    def sim(self, events: Sequence[Event], day: date) -> Assessment:
        """The account with ``events``, assessed at ``day`` (cached; no actions)."""
        key = (tuple(events), day)
        cached = self._cache.get(key)
        if cached is None:
            cached = self.simulate(self.account, key[0], day)
            self._cache[key] = cached
        return cached

    def negative_months(self, assessment: Assessment) -> int:
        report = assessment.report
        if report is None:
            return 0
        return sum(1 for code in report.history.values() if self.bureau.is_negative(code))

    def measure(
        self,
        text: str,
        events: Sequence[Event],
        horizon: date,
        *,
        baseline: Sequence[Event] = (),
        episode_start: date | None = None,
        baseline_text: Phrase = _NOTHING_MORE,
        compose: bool = True,
    ) -> Effect:
        """Simulate ``events`` and ``baseline`` at ``horizon`` and state the difference.

        With ``compose``, ``text`` is the lead of the effect's text, followed by the
        figures in words.
        """
        before = self.sim(baseline, horizon)
        after = self.sim(events, horizon)
        record = _record_of(after.report, episode_start)
        effect = Effect(
            text=text,
            cost_saved=committed_cost(before) - committed_cost(after),
            negative_months_avoided=self.negative_months(before) - self.negative_months(after),
            record_disappears_on=record.hidden_from if record is not None else None,
            horizon=horizon,
            compared_with=tuple(baseline),
            episode_start=episode_start,
        )
        if compose:
            text = self.effect_text(text, effect, baseline_text, has_record=record is not None)
        return attrs.evolve(effect, text=text)

    def settle(
        self, ids: set[str], day: date, start: Decimal, check_at: date | None = None
    ) -> tuple[Decimal, Assessment] | None:
        """The amount that, paid on ``day``, settles the items ``ids`` (penalty included).

        ``start`` is tried first, simulated at ``check_at`` (default ``day``) so that
        the simulation can serve the effect too; the returned assessment is at that day.
        """
        if check_at is not None and start > 0:
            after = self.sim((Payment(day, start),), check_at)
            if not any(i.id in ids and i.still_owed for i in after.items):
                return start, after
        amount = start
        for _ in range(4):
            if amount <= 0:
                return None
            after = self.sim((Payment(day, amount),), day)
            left = sum_money(
                i.outstanding.total for i in after.items if i.id in ids and i.still_owed
            )
            if left <= 0:
                return amount, after
            amount += left
        return None  # pragma: no cover - the engine settles on the second try

    # -- dates -----------------------------------------------------------
    def snapshot_of(self, year: int, month: int) -> date:
        return snapshot_day(self.policies, self.bureau, year, month)

    def next_snapshot(self, day: date) -> date:
        """The first snapshot day on or after ``day``."""
        snap = self.snapshot_of(day.year, day.month)
        if snap >= day:
            return snap
        following = add_months(date(day.year, day.month, 1), 1)
        return self.snapshot_of(following.year, following.month)

    def grace_end(self, item: DueItemResult) -> date:
        return item.due_date + timedelta(days=self.policies.at(item.due_date).grace)

    # -- text --------------------------------------------------------------
    def effect_text(
        self,
        lead: str,
        effect: Effect,
        baseline: Phrase = _NOTHING_MORE,
        *,
        has_record: bool = True,
    ) -> Phrase:
        """``lead``, then the measured figures of ``effect`` in words."""
        parts = [lead]
        figures = []
        saved = effect.cost_saved
        if saved is not None and saved > 0:
            figures.append(Phrase(N_("{amount} less in interest, fees and penalty"), amount=saved))
        elif saved is not None and saved < 0:
            figures.append(Phrase(N_("{amount} more in fees and interest"), amount=-saved))
        avoided = effect.negative_months_avoided
        if avoided:
            figures.append(
                Phrase(
                    N_("{n} negative month fewer on the credit report"),
                    plural="{n} negative months fewer on the credit report",
                    n=avoided,
                )
                if avoided > 0
                else Phrase(
                    N_("{n} negative month more on the credit report"),
                    plural="{n} negative months more on the credit report",
                    n=-avoided,
                )
            )
        if figures and effect.horizon is not None:
            listed = Phrase.join(figures, "list")
            if effect.horizon == self.as_of:  # no date is compared with itself
                parts.append(
                    Phrase(
                        N_("Compared with {baseline}, today: {figures}."),
                        baseline=baseline,
                        figures=listed,
                    )
                )
            else:
                parts.append(
                    Phrase(
                        N_("Compared with {baseline} until {date}: {figures}."),
                        baseline=baseline,
                        date=effect.horizon,
                        figures=listed,
                    )
                )
        if effect.record_disappears_on is not None:
            parts.append(
                Phrase(
                    N_("The negative record disappears on {date}."),
                    date=effect.record_disappears_on,
                )
            )
        elif effect.episode_start is not None and not has_record:
            parts.append(Phrase(N_("No negative record of this overdue is reported.")))
        return Phrase.join(parts)

    def with_penalty(self, to: PhraseValue) -> Phrase:
        """How an amount stands to the penalty, in one voice with :meth:`penalty_caveat`.

        ``to`` names the day the penalty is accrued to (today, that day, a date).
        """
        if self.penalty_unknown:
            return Phrase(N_("any penalty not included (its rate is unknown)"))
        return Phrase(N_("with the penalty accrued to {day}"), day=to)

    def penalty_caveat(self) -> list[str]:
        if not self.penalty_unknown:
            return []
        return [
            Phrase(
                N_(
                    "The penalty rate of this account is unknown, so the amount leaves out any "
                    "penalty: ask the lender for the exact amount to pay, or give "
                    "penalty_daily_rate from your contract in the account's [policy]."
                )
            )
        ]

    # -- the actions -------------------------------------------------------
    def actions(self) -> tuple[Action, ...]:
        found: list[Action] = []
        for produce in (
            self.pay_overdue_now,
            self.pay_within_grace,
            self.pay_before_report,
            self.pay_off,
            self.one_time_relief,
            self.request_penalty_waiver,
            self.negotiate_plan,
            self.file_dispute,
            self.wait_for_expiry,
            self.add_personal_statement,
            self.check_credit_report,
            self.beware_repair_scams,
        ):
            found.extend(produce())
        found.extend(self.plugin_actions())
        return rank(found)

    def pay_overdue_now(self) -> list[Action]:
        episode = self.a.current_episode
        if episode is None:
            return []
        ids = {i.id for i in self.a.items if i.still_owed and i.due_date < self.as_of}
        settled = self.settle(ids, self.as_of, self.a.overdue.total, check_at=self.snapshot)
        if settled is None:
            return []
        amount, _ = settled
        after = self.sim((Payment(self.as_of, amount),), self.snapshot)
        if not any(e.start == episode.start and e.end == self.as_of for e in after.episodes):
            return []
        events: tuple[Event, ...] = (Payment(self.as_of, amount),)
        self.now_events, self.now_amount = events, amount
        lead = Phrase(
            N_("Ends the overdue that started on {date} today; any penalty stops too.")
            if self.penalty_unknown
            else N_("Ends the overdue that started on {date} today and stops the penalty."),
            date=episode.start,
        )
        effect = self.measure(lead, events, self.snapshot, episode_start=episode.start)
        citations = [_cite(self.bureau, "ended_on"), _cite(self.bureau, "expires_on")]
        return [
            Action(
                code="pay_overdue_now",
                title=Phrase(
                    N_("Pay {amount} past due today, before any penalty")
                    if self.penalty_unknown
                    else N_("Pay {amount} past due today, penalty included"),
                    amount=amount,
                ),
                deadline=self.as_of,
                amount=amount,
                effect=effect,
                steps=[
                    Phrase(
                        N_(
                            "Pay {amount} to {creditor} today, through the creditor's own app or "
                            "bank account: everything past due, {penalty}."
                        ),
                        amount=amount,
                        creditor=self.creditor,
                        penalty=self.with_penalty(_TODAY),
                    ),
                    Phrase(
                        N_(
                            "An overdue ends only when everything past due, penalty included, is "
                            "paid: a partial payment lowers the penalty but does not end it."
                        )
                    ),
                    Phrase(
                        N_("Keep the receipt, and check in the app that nothing is left past due.")
                    ),
                    *self.penalty_caveat(),
                ],
                citations=citations,
                events=events,
                pay_to=self.pay_to,
                details={"overdue_since": episode.start.isoformat()},
            )
        ]

    def pay_within_grace(self) -> list[Action]:
        if self.a.current_episode is not None:
            return []
        in_grace = [i for i in self.a.items if i.status == "in_grace"]
        if not in_grace:
            return []
        deadline = min(self.grace_end(i) for i in in_grace)
        ids = {i.id for i in in_grace}
        horizon = self.next_snapshot(deadline)
        settled = self.settle(
            ids, deadline, sum_money(i.outstanding.total for i in in_grace), check_at=horizon
        )
        if settled is None:
            return []
        amount, _ = settled
        after = self.sim((Payment(deadline, amount),), horizon)
        if any(
            i.id in ids and i.status not in ("paid_in_grace", "paid_on_time") for i in after.items
        ):
            return []
        events: tuple[Event, ...] = (Payment(deadline, amount),)
        waives = bool(self.policies.at(in_grace[0].due_date).grace_waives_penalty)
        lead = Phrase(
            N_(
                "Paid in full by {date}, the bill counts as paid on time: nothing is reported "
                "and no penalty is charged."
            )
            if waives
            else N_(
                "Paid in full by {date}, the bill counts as paid on time: nothing is reported."
            ),
            date=deadline,
        )
        effect = self.measure(lead, events, horizon)
        due = min(i.due_date for i in in_grace)
        return [
            Action(
                code="pay_within_grace",
                title=Phrase(
                    N_("Pay {amount} by {date}, within the grace period"),
                    amount=amount,
                    date=deadline,
                ),
                deadline=deadline,
                amount=amount,
                effect=effect,
                steps=[
                    Phrase(
                        N_(
                            "Pay {amount} to {creditor} on or before {date}, the last day of the "
                            "grace period after the due date {due}."
                        ),
                        amount=amount,
                        creditor=self.creditor,
                        date=deadline,
                        due=due,
                    ),
                    Phrase(
                        N_(
                            "Pay all of it: an item not paid in full when the grace period ends "
                            "is overdue from its due date."
                        )
                    ),
                    *self.penalty_caveat(),
                ],
                citations=[
                    _policy_citation(
                        self.policies.at(due),
                        "grace_days",
                        N_("An item paid in full within the grace period counts as paid on time."),
                    ),
                    _policy_citation(
                        self.policies.at(due),
                        "grace_waives_penalty",
                        N_("Whether an item paid within grace bears no penalty."),
                    ),
                ],
                events=events,
                pay_to=self.pay_to,
                details={"due_date": due.isoformat(), "grace_end": deadline.isoformat()},
            )
        ]

    def pay_before_report(self) -> list[Action]:
        snap = self.snapshot
        if snap <= self.as_of or self.a.overdue.total <= 0:
            return []
        month = _month_key(snap)
        base = self.sim((), snap)
        if base.report is None or not self.bureau.is_negative(base.report.history.get(month, "N")):
            return []
        due = [i for i in base.items if i.still_owed and i.due_date < snap]
        settled = self.settle(
            {i.id for i in due}, snap, sum_money(i.outstanding.total for i in due)
        )
        if settled is None:
            return []
        amount, after = settled
        if after.report is None or self.bureau.is_negative(after.report.history.get(month, "N")):
            return []
        episode = self.a.current_episode
        events: tuple[Event, ...] = (Payment(snap, amount),)
        lead = Phrase(
            N_(
                "The report for {month} is taken on {date}: paid in full by then, {penalty}, "
                "{month} shows no negative status."
            ),
            month=_month(month),
            date=snap,
            penalty=self.with_penalty(Phrase(N_("that day"))),
        )
        effect = self.measure(
            lead, events, snap, episode_start=episode.start if episode is not None else None
        )
        return [
            Action(
                code="pay_before_report",
                title=Phrase(
                    N_("Pay {amount} by {date}, before the report for {month}"),
                    amount=amount,
                    date=snap,
                    month=_month(month),
                ),
                deadline=snap,
                amount=amount,
                effect=effect,
                steps=[
                    Phrase(
                        N_(
                            "Pay {amount} to {creditor} on or before {date}: everything due "
                            "before that day, {penalty}."
                        ),
                        amount=amount,
                        creditor=self.creditor,
                        date=snap,
                        penalty=self.with_penalty(snap),
                    ),
                    Phrase(
                        N_("Paying earlier costs less: the penalty grows every day until you pay.")
                    ),
                    *self.penalty_caveat(),
                ],
                citations=[_cite(self.bureau, "snapshot"), _cite(self.bureau, "status")],
                events=events,
                pay_to=self.pay_to,
                details={"month": month, "snapshot": snap.isoformat()},
            )
        ]

    def pay_off(self) -> list[Action]:
        a = self.a
        if self.account.loan is None or (a.current_episode is None and a.written_off_on is None):
            return []
        owed = [i for i in a.items if i.still_owed]
        future = sorted((i for i in owed if i.due_date >= self.as_of), key=lambda i: i.due_date)
        if not future:
            return []
        amount = payoff_amount(self)
        if amount <= 0:
            return []
        horizon = self.next_snapshot(future[-1].due_date)
        events: tuple[Event, ...] = (Payment(self.as_of, amount),)
        after = self.sim(events, horizon)
        if after.balance.total or after.current_episode is not None:
            return []
        baseline: list[Event] = []
        if a.overdue.total > 0:
            if self.now_events is None:
                return []
            baseline.extend(self.now_events)
        baseline += [
            Payment(i.due_date, i.outstanding.total) for i in future if i.outstanding.total
        ]
        episode = a.current_episode
        lead = Phrase(
            N_("Repays the whole loan today: nothing more is owed and nothing more is reported.")
        )
        effect = self.measure(
            lead,
            events,
            horizon,
            baseline=baseline,
            episode_start=episode.start if episode is not None else None,
            baseline_text=Phrase(
                N_("paying what is past due today and each installment on its due date")
            ),
        )
        if not (effect.cost_saved or 0) > 0 and not (effect.negative_months_avoided or 0) > 0:
            return []
        prepay = self.policy.overpayment == "prepay"
        citations = [_EARLY_REPAYMENT] if prepay else []
        overpayment = _policy_citation(
            self.policy, "overpayment", N_("What a payment beyond everything due does.")
        )
        if all(c.source != overpayment.source for c in citations):
            citations.append(overpayment)
        return [
            Action(
                code="pay_off",
                title=Phrase(
                    N_("If you can: repay the whole loan ({amount} today)"), amount=amount
                ),
                amount=amount,
                effect=effect,
                steps=[
                    Phrase(
                        N_(
                            "Ask {creditor} for the amount to repay the whole loan today "
                            "(提前还款 / 结清) and check it against this one."
                        ),
                        creditor=self.creditor,
                    ),
                    Phrase(
                        N_("Pay {amount}, then ask for a settlement certificate (结清证明)."),
                        amount=amount,
                    ),
                    *(
                        [
                            Phrase(
                                N_("Interest is owed only to the day you repay (民法典 Art. 677).")
                            )
                        ]
                        if prepay
                        else []
                    ),
                    *self.penalty_caveat(),
                ],
                citations=citations,
                events=events,
                pay_to=self.pay_to,
            )
        ]

    def one_time_relief(self) -> list[Action]:
        episode = self.a.current_episode
        if episode is None or self.now_events is None:
            return []
        found = []
        for relief in self.bureau.reliefs:
            if self.as_of > relief.ended_by:
                continue
            if relief.why_not(attrs.evolve(episode, end=relief.ended_by)):
                continue
            after = self.sim(self.now_events, self.snapshot)
            record = _record_of(after.report, episode.start)
            if record is None or record.relief != relief.id or record.hidden_from is None:
                continue
            amount = self.now_amount
            lead = Phrase(
                N_(
                    "Repaid in full by {date}, the overdue that started on {start} qualifies for "
                    "{relief}: its record is hidden from {hidden}, automatically and free of "
                    "charge."
                ),
                date=relief.ended_by,
                start=episode.start,
                relief=Phrase(relief.name),
                hidden=record.hidden_from,
            )
            effect = self.measure(lead, self.now_events, self.snapshot, episode_start=episode.start)
            found.append(
                Action(
                    code="one_time_relief",
                    title=Phrase(
                        N_(
                            "Repay in full by {date} to qualify for the one-time relief "
                            "({amount} today)"
                        ),
                        date=relief.ended_by,
                        amount=amount,
                    ),
                    deadline=relief.ended_by,
                    amount=amount,
                    effect=effect,
                    steps=[
                        Phrase(
                            N_(
                                "Pay everything past due to {creditor} by {date} at the latest: "
                                "{amount} today, any penalty not included (its rate is unknown)."
                            )
                            if self.penalty_unknown
                            else N_(
                                "Pay everything past due to {creditor} by {date} at the latest: "
                                "{amount} today, penalty included; more later as the penalty "
                                "grows."
                            ),
                            creditor=self.creditor,
                            date=relief.ended_by,
                            amount=amount,
                        ),
                        Phrase(
                            N_(
                                "The largest amount ever past due must stay within {amount}; it "
                                "includes the penalty, so waiting can disqualify you."
                            ),
                            amount=relief.max_overdue_amount,
                        ),
                        Phrase(
                            N_(
                                "You do not apply: the relief is automatic and free. Anyone "
                                "asking for money to obtain it is a fraud."
                            )
                        ),
                    ],
                    citations=[relief.citation],
                    events=self.now_events,
                    pay_to=self.pay_to,
                    details={
                        "relief": relief.id,
                        "ended_by": relief.ended_by.isoformat(),
                        "max_overdue_amount": str(relief.max_overdue_amount),
                        "hidden_from": str(record.hidden_from),
                    },
                )
            )
        return found

    def request_penalty_waiver(self) -> list[Action]:
        penalty = self.a.balance.penalty
        if penalty <= 0:
            return []
        events: tuple[Event, ...] = (Waiver(self.as_of, "penalty", penalty),)
        episode = self.a.current_episode
        lead = Phrase(
            N_("If {creditor} agrees, the {amount} of penalty owed is not owed."),
            creditor=self.creditor,
            amount=penalty,
        )
        effect = self.measure(
            lead,
            events,
            self.snapshot,
            episode_start=episode.start if episode is not None else None,
            baseline_text=Phrase(N_("no waiver")),
        )
        return [
            Action(
                code="request_penalty_waiver",
                title=Phrase(
                    N_("Ask {creditor} to waive the {amount} of penalty"),
                    creditor=self.creditor,
                    amount=penalty,
                ),
                amount=penalty,
                effect=effect,
                steps=[
                    Phrase(
                        N_(
                            "Call the customer service of {creditor} and ask for the penalty "
                            "(罚息 / 逾期费) to be waived (减免)."
                        ),
                        creditor=self.creditor,
                    ),
                    Phrase(
                        N_(
                            "Explain why you were late (a first overdue, illness, a payment that "
                            "failed) and, if you can, pay the rest at once."
                        )
                    ),
                    Phrase(
                        N_(
                            "Get the waiver confirmed in writing or in the app before you rely on "
                            "it."
                        )
                    ),
                    Phrase(
                        N_(
                            "A waiver is the lender's choice: nothing obliges it. Until the "
                            "penalty is waived or paid, the overdue has not ended."
                        )
                    ),
                ],
                citations=[_WAIVER_PRACTICE],
                events=events,
                details={"penalty": str(penalty)},
            )
        ]

    def negotiate_plan(self) -> list[Action]:
        a = self.a
        if (a.current_episode is None and a.written_off_on is None) or a.balance.total <= 0:
            return []
        policy = negotiation_policy(
            self.policies, self.as_of, provider_name=self.provider.display_name
        )
        return [
            Action(
                code="negotiate_plan",
                title=Phrase(
                    N_("If you cannot pay: negotiate a repayment plan (协商还款) with {creditor}"),
                    creditor=self.creditor,
                ),
                amount=payoff_amount(self),
                effect=Effect(
                    Phrase(
                        N_(
                            "A signed plan replaces everything owed by monthly installments; "
                            "creditrules treats the overdue as ended on the day it is signed (how "
                            "the lender reports it varies: a card plan shows as a special "
                            "transaction). A missed plan installment is a new overdue."
                        )
                    )
                ),
                steps=[
                    *_checklist(self.creditor, None, policy),
                    Phrase(
                        N_(
                            "Draft the plan from what you can pay a month: "
                            "creditrules.plan_negotiation(account, as_of=..., capacity=...) or "
                            "`creditrules plan FILE --capacity AMOUNT`."
                        )
                    ),
                ],
                citations=[*policy.citations, _NEGOTIATION_STEPS],
                details={
                    "max_term_months": str(policy.max_term_months),
                    "max_term_known": str(policy.max_term_known).lower(),
                    "penalty_stops": "unknown"
                    if policy.penalty_stops is None
                    else str(policy.penalty_stops).lower(),
                },
            )
        ]

    def file_dispute(self) -> list[Action]:
        report = self.report
        if report is None:
            return []
        reporter = _reporter(self.provider, self.account)
        days = self.bureau.dispute_days
        center = self.center
        found = []
        for d in report.discrepancies:
            if d.direction != "worse":
                continue
            avoided = int(
                self.bureau.is_negative(d.reported) and not self.bureau.is_negative(d.computed)
            )
            found.append(
                Action(
                    code="file_dispute",
                    title=Phrase(
                        N_(
                            "Dispute {month}: the report shows {reported}, creditrules computes "
                            "{computed}"
                        ),
                        month=_month(d.month),
                        reported=d.reported,
                        computed=d.computed,
                    ),
                    effect=Effect(
                        Phrase(
                            N_(
                                "If the dispute succeeds, {month} shows {computed} instead of "
                                "{reported}, free of charge."
                            ),
                            month=_month(d.month),
                            computed=d.computed,
                            reported=d.reported,
                        ),
                        negative_months_avoided=avoided,
                    ),
                    steps=[
                        Phrase(
                            N_(
                                "First check the account file: the payment dates, the amounts, "
                                "and the policy values creditrules used (their source and grade) "
                                "— the lender's contract may differ from them."
                            )
                        ),
                        Phrase(
                            N_(
                                "File a dispute (异议) about {month} (reported {reported}, "
                                "expected {computed}) with {reporter}, or with {center} (online, "
                                "or at a PBOC branch counter). It costs nothing."
                            ),
                            month=_month(d.month),
                            reported=d.reported,
                            computed=d.computed,
                            reporter=reporter,
                            center=center,
                        ),
                        Phrase(
                            N_("Attach your evidence: receipts, statements, the bill's due date.")
                        ),
                        Phrase(
                            N_(
                                "The record is marked as disputed and you receive a written "
                                "reply within {n} day; a confirmed error is corrected."
                            ),
                            plural="The record is marked as disputed and you receive a written "
                            "reply within {n} days; a confirmed error is corrected.",
                            n=days,
                        ),
                        Phrase(
                            N_(
                                "If the reply does not resolve it, complain to the PBOC's local "
                                "branch, which replies within 30 days."
                            )
                        ),
                    ],
                    citations=[_cite(self.bureau, "dispute"), _COMPLAINT],
                    details={
                        "month": d.month,
                        "reported": d.reported,
                        "computed": d.computed,
                        "file_with": reporter,
                        "or_with": self.bureau.display_name,
                        "reply_days": str(days),
                    },
                )
            )
        return found

    def wait_for_expiry(self) -> list[Action]:
        if self.report is None:
            return []
        found = []
        for record in self.report.records:
            hidden = record.hidden_from
            if not record.visible or hidden is None or hidden <= self.as_of:
                continue
            citations = [_cite(self.bureau, "expires_on")]
            relief = next((r for r in self.bureau.reliefs if r.id == record.relief), None)
            hidden_by_relief = relief is not None and hidden != record.expires_on
            if relief is not None:
                citations.append(relief.citation)
            details = {
                "first_month": record.first_month,
                "last_month": record.last_month,
                "hidden_from": hidden.isoformat(),
            }
            first, last = _month(record.first_month), _month(record.last_month)
            if relief is not None and hidden_by_relief:
                name = Phrase(relief.name)
                title = Phrase(
                    N_("The record of {first}–{last} is hidden by {relief} from {date}"),
                    first=first,
                    last=last,
                    relief=name,
                    date=hidden,
                )
                lead = Phrase(
                    N_("On {date} {relief} hides it, automatically."), date=hidden, relief=name
                )
                removes = Phrase(N_("Nothing to pay or file: the bureau hides it on that day."))
                details["relief"] = relief.id
            else:
                title = Phrase(
                    N_("The record of {first}–{last} is deleted on {date}"),
                    first=first,
                    last=last,
                    date=hidden,
                )
                lead = Phrase(
                    N_(
                        "On {date}, {n} year after the overdue ended on {ended}, it is deleted, "
                        "automatically."
                    ),
                    plural="On {date}, {n} years after the overdue ended on {ended}, it is "
                    "deleted, automatically.",
                    date=hidden,
                    n=self.bureau.retention_years,
                    ended=record.ended_on if record.ended_on is not None else "",
                )
                removes = Phrase(N_("Nothing to pay or file: the bureau deletes it on that day."))
            found.append(
                Action(
                    code="wait_for_expiry",
                    title=title,
                    effect=Effect(
                        lead,
                        record_disappears_on=hidden,
                        episode_start=record.episode_start,
                    ),
                    steps=[
                        removes,
                        Phrase(
                            N_("Nobody can make a true record go earlier, for money or otherwise.")
                        ),
                        Phrase(
                            N_("Keep every other payment on time, so that no new record appears.")
                        ),
                    ],
                    citations=citations,
                    details=details,
                )
            )
        return found

    def add_personal_statement(self) -> list[Action]:
        report = self.report
        if report is None or not any(
            m != report.provisional_month for r in report.visible_records for m in r.months
        ):
            return []
        return [
            Action(
                code="add_personal_statement",
                title=Phrase(N_("Add a personal statement (个人声明) explaining the overdue")),
                effect=Effect(
                    Phrase(
                        N_(
                            "The record stays until it disappears; lenders who read the report "
                            "see your explanation beside it."
                        )
                    )
                ),
                steps=[
                    Phrase(
                        N_(
                            "Ask {center} (or a PBOC branch counter) to add a personal statement "
                            "to the record."
                        ),
                        center=self.center,
                    ),
                    Phrase(
                        N_(
                            "Say briefly why you were late (illness, loss of work, …) and that the "
                            "debt has been or is being repaid."
                        )
                    ),
                ],
                citations=[_STATEMENT],
            )
        ]

    def check_credit_report(self) -> list[Action]:
        if self.report is None or not (
            self.report.records or self.a.episodes or self.account.reported
        ):
            return []
        return [
            Action(
                code="check_credit_report",
                title=Phrase(N_("Check your credit report (two free copies a year)")),
                effect=Effect(
                    Phrase(
                        N_(
                            "You see what lenders see, and can dispute anything wrong, free of "
                            "charge."
                        )
                    )
                ),
                steps=[
                    Phrase(
                        N_(
                            "Request your personal credit report from {center}: two copies a "
                            "year are free."
                        ),
                        center=self.center,
                    ),
                    Phrase(
                        N_(
                            "Compare each month with `creditrules report FILE`; list the months "
                            "of your real report as [[reported]] in the account file to have the "
                            "differences found for you."
                        )
                    ),
                    Phrase(
                        N_("After you pay, check again the next month that the account shows it.")
                    ),
                ],
                citations=[_FREE_REPORTS],
            )
        ]

    def beware_repair_scams(self) -> list[Action]:
        if self.report is None or not (self.report.records or self.a.current_episode):
            return []
        return [
            Action(
                code="beware_repair_scams",
                title=Phrase(N_("Never pay anyone to 'repair' your credit report")),
                effect=Effect(
                    Phrase(
                        N_(
                            "A true record cannot be removed for money: it disappears only when "
                            "it expires or a relief hides it. A wrong record is corrected free "
                            "of charge through a dispute."
                        )
                    )
                ),
                steps=[
                    Phrase(
                        N_(
                            "Ignore offers of 'credit repair' (征信修复) or 'record deletion' for "
                            "a fee: regulators call them scams."
                        )
                    ),
                    Phrase(
                        N_(
                            "Pay only the creditor, through its own app or bank account; never a "
                            "third party's account."
                        )
                    ),
                    Phrase(
                        N_("The 2025 one-time relief is automatic and free: nobody needs to apply.")
                    ),
                    Phrase(
                        N_(
                            "Closing the account or withdrawing consent does not delete past "
                            "records."
                        )
                    ),
                ],
                citations=[_REPAIR_SCAMS, _cite(self.bureau, "dispute")],
            )
        ]

    # -- plugins -------------------------------------------------------------
    def plugin_actions(self) -> list[Action]:
        """Actions the plugins contribute (``provider_actions``), their effects measured.

        Each plugin sees the assessment with no actions (so asking for them inside
        the hook cannot recurse) and is isolated: one that raises or returns
        something other than actions is named in a warning and the others count.
        """
        # The plugins see this assessment with its actions left empty.
        bare = attrs.evolve(self.a, actions=())
        found: list[Action] = []
        for plugin, contributed in self.registry.call_each(
            "provider_actions",
            check=_actions_only,
            assessment=bare,
            account=self.account,
            provider=self.provider,
            registry=self.registry,
        ):
            for action in contributed:
                action = attrs.evolve(action, origin=plugin)
                effect = action.effect
                if action.events and effect.horizon is not None:
                    measured = self.measure(
                        effect.text,
                        action.events,
                        effect.horizon,
                        baseline=effect.compared_with,
                        episode_start=effect.episode_start,
                        compose=False,
                    )
                    action = attrs.evolve(action, effect=measured)
                found.append(action)
        return found


def _actions_only(result: object) -> list[Action]:
    """Check what a ``provider_actions`` implementation returned: actions, or ``None``."""
    if result is None:
        return []
    if not isinstance(result, Iterable):
        raise TypeError(f"provider_actions returned {result!r}, not a list of actions")
    contributed = list(result)
    for action in contributed:
        if not isinstance(action, Action):
            raise TypeError(f"provider_actions returned {action!r}, not an Action")
    return contributed


def _cite(bureau: Bureau, subject: str) -> Citation:
    try:
        return bureau.citation(subject)
    except KeyError:
        if subject == "dispute":
            return _DISPUTE
        return Citation(subject, f"{bureau.display_name}: {subject}", convention("A.7"), "D")


def _reporter(provider: Provider, account: Account) -> Phrase:
    name: PhraseValue
    try:
        fact = provider.fact("reporter").text
    except KeyError:
        name = account.funder or provider.display_name
    else:  # the provider's sentence inside ours, in the provider's or the catalogue's words
        translations = {}
        for locale in available_locales():
            words = provider.translate(fact, locale)
            words = Messages(locale)._(fact) if words == fact else words
            if words != fact:
                translations[locale] = words.rstrip(".。")
        name = Phrase(fact.rstrip("."), translations=translations)
    return Phrase(N_("the institution that reported it ({name})"), name=name)


def plan(planner: Planner) -> tuple[Action, ...]:
    """The actions of the planner's assessment, ranked (what ``assessment.actions`` holds)."""
    return planner.actions()


def payoff_amount(planner: Planner) -> Decimal:
    """What repaying everything on the assessment date takes: the assessment's ``payoff``.

    The composer computes it once (:attr:`creditrules.Assessment.payoff`); the
    planner reads it, so the plan's amounts are the figure ``assess`` shows.
    """
    payoff = planner.a.payoff
    if payoff is None:  # an assessment read back from data saved without it
        owed = sum_money(i.outstanding.total for i in planner.a.items if i.still_owed)
        return max(ZERO, owed - planner.a.credit)
    return payoff


def negotiate(
    planner: Planner,
    *,
    capacity: Decimal | int | str,
    down_payment: Decimal | int | str | None = None,
    start: date | None = None,
) -> NegotiatedPlan:
    """Draft a negotiated plan for the planner's account (:func:`creditrules.plan_negotiation`)."""
    account = planner.account
    as_of = planner.as_of
    limit = parse_money(capacity)
    if limit <= 0:
        raise ValueError(
            Phrase(N_("capacity must be greater than 0, got {amount}"), amount=str(limit))
        )
    down = ZERO if down_payment is None else parse_money(down_payment)
    if down < 0:
        raise ValueError(
            Phrase(N_("down_payment must not be negative, got {amount}"), amount=str(down))
        )
    day = as_of if start is None else start
    if day < as_of:
        raise ValueError(
            Phrase(N_("start {start} is before as_of {as_of}"), start=str(day), as_of=str(as_of))
        )
    before: tuple[Event, ...] = (Payment(day, down),) if down > 0 else ()
    probe = planner.sim((*before, Agreement(day, [PlannedPayment(add_months(day, 1), FEN)])), day)
    firings = [f for f in probe.fired("agreement.plan") if f.subject == f"agreement {day}"]
    owed = Decimal(firings[-1].fact("owed")) if firings else ZERO
    if owed <= 0:
        raise ValueError(
            Phrase(
                N_("nothing is owed on {date} after the down payment: no plan is needed")
                if down > 0
                else N_("nothing is owed on {date}: no plan is needed"),
                date=day,
            )
        )
    provider_name = planner.provider.display_name
    policy = negotiation_policy(planner.policies, day, provider_name=provider_name)
    with localcontext(EXACT):
        needed = int((owed / limit).to_integral_value(rounding=ROUND_CEILING))
        monthly = _ceil_div(owed, max(1, min(needed, policy.max_term_months)))
        # As few installments of that amount as cover the debt; the last one takes the rest.
        term = int((owed / monthly).to_integral_value(rounding=ROUND_CEILING))
        last = owed - monthly * (term - 1)
    installments = [
        PlannedPayment(add_months(day, k), monthly if k < term else last)
        for k in range(1, term + 1)
    ]
    counterparty = planner.pay_to
    pay_now = payoff_amount(planner)
    draft = NegotiatedPlan(
        account_id=account.id,
        as_of=as_of,
        start=day,
        counterparty=counterparty,
        capacity=limit,
        down_payment=down,
        owed=owed,
        installments=installments,
        policy=policy,
        pay_now=pay_now,
        effect=Effect(""),
    )
    episode: Episode | None = planner.a.current_episode
    horizon = planner.next_snapshot(draft.last_due)
    lead = Phrase(
        N_(
            "Kept as agreed, the plan repays everything by {date}: {total} in all, {extra} more "
            "than repaying everything on {as_of} ({pay_now})."
        ),
        date=draft.last_due,
        total=draft.total,
        extra=draft.extra_cost,
        as_of=as_of,
        pay_now=pay_now,
    )
    effect = planner.measure(
        lead,
        draft.events(),
        horizon,
        episode_start=episode.start if episode is not None else None,
    )
    return attrs.evolve(
        draft,
        effect=effect,
        checklist=_checklist(counterparty, draft, policy),
        citations=[*policy.citations, _NEGOTIATION_STEPS],
    )
