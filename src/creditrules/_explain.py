"""The explanation builder: an assessment's figures, in words, with their rules and policy.

:func:`build_explanation` is what :meth:`creditrules.Assessment.explain` runs
(the composer hands it the registry the assessment was made with). It reads
the assessment's figures and firings, the rules in force (their descriptions,
and their :class:`~creditrules.RuleText` for firings it has no figure of its own
for and for rules that did not fire) and the credit bureau of the report (its
status codes, snapshot day, retention and reliefs), and writes each sentence
through the gettext catalogues of :mod:`creditrules._i18n`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ._convert import ACCOUNT_FILE_SOURCE
from ._i18n import N_, Messages
from ._plugins import PluginWarning
from .bureau import Bureau, Citation, ReliefPolicy
from .errors import PluginError
from .explain import ExplainedFigure, Explanation, PolicyUse, UnfiredRule
from .money import ZERO, format_money, to_fen
from .policy import AppliedValue
from .provider import Provider
from .rules import CORE_RULES, Rule, RuleSet

if TYPE_CHECKING:
    from ._plugins import Registry
    from .assessment import Assessment, DueItemResult, Episode, RuleFiring
    from .report import NegativeRecord

__all__ = ["build_explanation"]

#: What a rule that gives no reason of its own says when it did not fire.
_NOTHING = N_("It produced nothing for this account.")


class _Words(Messages):
    """The catalogue of one locale, with the words for an assessment's items and values.

    Args:
        locale: The locale.
        provider: The provider of the assessment: its own translations of its texts
            (sources, notes) come first.
    """

    def __init__(self, locale: str, provider: Provider | None = None) -> None:
        super().__init__(locale)
        self.provider = provider

    def cite(self, source: str) -> str:
        """A source in the locale's words (see :meth:`creditrules._i18n.Messages.citation`)."""
        if source == ACCOUNT_FILE_SOURCE:  # worded by Explanation.as_text
            return source
        return self.citation(source, self.provider)

    def note(self, text: str) -> str:
        """A note of a policy value in the locale's words (the provider's, the catalogue's)."""
        if text and self.provider is not None:
            own = self.provider.translate(text, self.locale)
            if own != text:
                return own
        return self._(text)

    def item(self, item: DueItemResult) -> str:
        due = self.date(item.due_date)
        if item.kind == "bill":
            return self._("the bill due {due}", due=due)
        if item.kind == "rollover":
            return self._("the revolved balance due {due}", due=due)
        if item.kind == "installment" and item.id == f"installment-{item.period}":
            return self._("installment {n} (due {due})", n=item.period, due=due)
        if item.kind == "agreement" and item.period is not None:
            return self._("plan installment {n} (due {due})", n=item.period, due=due)
        return self._("{item} (due {due})", item=item.id, due=due)

    def value(self, value: Any) -> str:
        if value is None:
            return self._("unset")
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, tuple):
            if value and all(isinstance(v, tuple) for v in value):
                return ", ".join(f"{n}: {rate}" for n, rate in value)
            return ", ".join(str(v) for v in value)
        return str(value)


def _money(amount: Decimal | str) -> str:
    return format_money(Decimal(amount))


def _exact(value: Decimal) -> str:
    """An exact amount as computed, to the fen or finer, without trailing zeros (``2.15125``)."""
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"


def _percent(rate: Decimal | str) -> str:
    return f"{(Decimal(rate) * 100).normalize():f}%"


_COMPONENTS = {
    "principal": N_("principal"),
    "interest": N_("interest"),
    "fees": N_("fees"),
    "penalty": N_("penalty"),
}
#: Names of the actions of the remediation planner, by code.
_ACTIONS = {
    "pay_within_grace": N_("Pay within the grace period"),
    "pay_before_report": N_("Pay before this month's report"),
    "pay_overdue_now": N_("Pay what is past due now"),
    "pay_off": N_("Pay off the whole debt"),
    "convert_to_installments": N_("Convert the bill into installments"),
    "request_penalty_waiver": N_("Ask the lender to waive the penalty"),
    "negotiate_plan": N_("Negotiate a repayment plan with the lender"),
    "one_time_relief": N_("Qualify for the 2025 one-time relief"),
    "file_dispute": N_("Dispute the wrong record"),
    "add_personal_statement": N_("Add a personal statement to your credit report"),
    "check_credit_report": N_("Check your credit report (two free copies a year)"),
    "wait_for_expiry": N_("Wait for the record to be deleted"),
    "beware_repair_scams": N_("Beware of paid 'credit repair': it is a scam"),
}


# ------------------------------------------------------------------------------ building

#: Firings folded into other figures (or bookkeeping that explains no figure by itself).
_FOLDED = frozenset(
    {
        "items.bills",
        "items.schedule",
        "events.order",
        "payment.waterfall",
        "accrual.posting",
        "penalty.accrual",
        "grace.missed",
        "episode.tracking",
        "payment.credit",
    }
)


class _Rules:
    """The rules an explanation looks up: those in force, then the core ones."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules

    def __call__(self, rule_id: str) -> Rule | None:
        for ruleset in (self.rules, CORE_RULES):
            if rule_id in ruleset:
                return ruleset[rule_id]
        return None


class _Builder:
    def __init__(
        self, assessment: Assessment, tr: _Words, rules: _Rules, bureau: Bureau | None
    ) -> None:
        self.a = assessment
        self.tr = tr
        self.rule = rules
        self.bureau = bureau
        self.figures: list[ExplainedFigure] = []
        self.ids: set[str] = set()

    # -- lookups -------------------------------------------------------------------

    def applied(self, name: str, day: date) -> AppliedValue | None:
        record = self.a.record
        if record is not None:
            try:
                return record.policy_value(name, day)
            except KeyError:
                pass
        for applied in self.a.policy:
            if applied.value.name == name:
                return applied
        return None

    def policy(self, names: Iterable[str], days: Iterable[date]) -> tuple[PolicyUse, ...]:
        uses: list[PolicyUse] = []
        for day in days:
            for name in names:
                applied = self.applied(name, day)
                if applied is None:
                    continue
                value = applied.value
                use = PolicyUse(
                    name=value.name,
                    value=self.tr.value(value.value),
                    layer=applied.layer,
                    source=self.tr.cite(value.source),
                    grade=value.grade,
                    note=self.tr.note(value.note),
                )
                if use not in uses:
                    uses.append(use)
        return tuple(uses)

    def param(self, name: str, day: date) -> Any:
        applied = self.applied(name, day)
        return None if applied is None else applied.value.value

    def grace_end(self, item: DueItemResult) -> date:
        return item.due_date + timedelta(days=int(self.param("grace_days", item.due_date) or 0))

    def item(self, item_id: str) -> DueItemResult | None:
        for item in self.a.items:
            if item.id == item_id:
                return item
        return None

    def item_label(self, item_id: str) -> str:
        item = self.item(item_id)
        return item_id if item is None else self.tr.item(item)

    def describe(self, rule: Rule) -> str:
        """What ``rule`` says it does, in the explanation's language."""
        return self.tr._(rule.text(self.tr.locale).description)

    # -- adding figures ------------------------------------------------------------
    def add(
        self,
        figure: str,
        value: str,
        rule: str,
        text: str,
        policy: tuple[PolicyUse, ...] = (),
        *,
        citation: Citation | None = None,
        about: tuple[str, str, str] | None = None,
    ) -> None:
        if figure in self.ids:
            number = 2
            while f"{figure}#{number}" in self.ids:
                number += 1
            figure = f"{figure}#{number}"
        self.ids.add(figure)
        if about is not None:  # (description, source, grade), in the explanation's words
            description, source, grade = about
        elif citation is not None:
            description, grade = self.tr._(citation.text), citation.grade
            source = self.tr.cite(citation.source)
        else:
            found = self.rule(rule)
            description = self.describe(found) if found is not None else ""
            source, grade = (self.tr.cite(found.citation) if found is not None else ""), ""
        self.figures.append(
            ExplainedFigure(
                figure=figure,
                value=value,
                rule=rule,
                description=description,
                citation=source,
                text=text,
                policy=policy,
                grade=grade,
            )
        )

    # -- the figures -----------------------------------------------------------------
    def build(self) -> tuple[ExplainedFigure, ...]:
        self.days_past_due()
        self.totals()
        self.warnings()
        self.firings()
        self.minimum_missed()
        self.credit()
        self.episodes()
        self.report()
        self.actions()
        return tuple(self.figures)

    def days_past_due(self) -> None:
        tr, a = self.tr, self.a
        dpd = a.days_past_due
        if dpd == 0:
            text = tr._("Nothing is past due on {date}: 0 days past due.", date=tr.date(a.as_of))
            self.add("days_past_due", "0", "timeline.replay", text)
            return
        oldest = max(a.items, key=lambda i: (i.days_past_due, -i.due_date.toordinal()))
        text = tr._(
            "On {date}, {item} is still unpaid: {days} past due (day 1 is the day after "
            "the due date).",
            date=tr.date(a.as_of),
            item=tr.item(oldest),
            days=tr.days(dpd),
        )
        policy: tuple[PolicyUse, ...] = ()
        if oldest.status == "in_grace":
            text = tr.then(
                text,
                tr._(
                    "It is still within the grace period (until {date}): paid in full by then, "
                    "it counts as paid on time.",
                    date=tr.date(self.grace_end(oldest)),
                ),
            )
            policy = self.policy(("grace_days",), (oldest.due_date,))
        self.add("days_past_due", str(dpd), "timeline.replay", text, policy)

    def totals(self) -> None:
        tr, a = self.tr, self.a
        day = tr.date(a.as_of)
        parts = {
            "principal": "",
            "interest": "",
            "fees": "",
            "penalty": "",
        }
        for label, components, nothing, something in (
            (
                "overdue",
                a.overdue,
                N_("No amount is past due on {date}: 0.00."),
                N_(
                    "Past due on {date}: {total} (principal {principal}, interest {interest}, "
                    "fees {fees}, penalty {penalty})."
                ),
            ),
            (
                "balance",
                a.balance,
                N_("Nothing is owed on {date}."),
                N_(
                    "Owed in all on {date}, principal not yet due included: {total} "
                    "(principal {principal}, interest {interest}, fees {fees}, penalty {penalty})."
                ),
            ),
        ):
            for component in parts:
                parts[component] = _money(components.get(component))
            if components.total == 0:
                text = tr._(nothing, date=day)
            else:
                text = tr._(something, date=day, total=_money(components.total), **parts)
            self.add(label, _money(components.total), "timeline.replay", text)
        self.payoff()
        charged = a.charged
        text = tr._(
            "Cost beyond principal charged up to {date}: interest {interest} + fees {fees} + "
            "penalty {penalty} = {total}. Interest of periods not yet started is not counted.",
            date=day,
            interest=_money(charged.interest),
            fees=_money(charged.fees),
            penalty=_money(charged.penalty),
            total=_money(a.cost),
        )
        self.add("cost", _money(a.cost), "timeline.replay", text)

    def payoff(self) -> None:
        """What repaying everything on the as-of date takes (the assessment's ``payoff``)."""
        tr, a = self.tr, self.a
        payoff = a.payoff
        if payoff is None:
            return
        day = tr.date(a.as_of)
        if payoff == 0:
            text = tr._("Nothing is needed to repay everything on {date}.", date=day)
            self.add("payoff", _money(payoff), "timeline.replay", text)
            return
        text = tr._(
            "To repay everything on {date}: {amount}. Paid that day, it leaves nothing owed "
            "and nothing past due: what is billed and unpaid with the penalty accrued to that "
            "day, and the principal not yet billed, less any credit.",
            date=day,
            amount=_money(payoff),
        )
        policy: tuple[PolicyUse, ...] = ()
        live = [i for i in a.items if i.kind == "installment" and i.open_date > a.as_of]
        if any(f.rule == "early_repayment.interest_to_date" for f in a.rules) or (
            live and self.param("overpayment", a.as_of) == "prepay"
        ):
            text = tr.then(
                text,
                tr._(
                    "Interest runs only to that day (the provider's early-repayment rule), so "
                    "it can be less than the balance."
                ),
            )
            policy = self.policy(("overpayment",), (a.as_of,))
        elif live:
            text = tr.then(
                text,
                tr._(
                    "It includes the interest and fees the schedule sets for the installments "
                    "still to come: no early-repayment rule of the provider is known that leaves "
                    "them out."
                ),
            )
            policy = self.policy(("overpayment",), (a.as_of,))
        self.add("payoff", _money(payoff), "timeline.replay", text, policy)

    def warnings(self) -> None:
        """Rates above the 24% APR line: computed as given, named with the line."""
        tr = self.tr
        for warning in self.a.warnings:
            text = warning.text(tr)
            self.add(
                f"warning:{warning.name}",
                _percent(warning.annual),
                "policy.sanity",
                text,
                about=(
                    tr._(
                        "Licensed lenders are held to a 24% APR line; 4 × the one-year LPR "
                        "binds private lending only."
                    ),
                    tr.cite(_APR_LINE_SOURCE),
                    "C",
                ),
            )

    def minimum_missed(self) -> None:
        """A bill that received less than its minimum payment: by how much it missed."""
        tr, a = self.tr, self.a
        groups: dict[date, list[DueItemResult]] = {}
        for item in a.items:
            if item.kind == "bill" and item.status in ("overdue", "paid_late"):
                groups.setdefault(item.due_date, []).append(item)
        for due, bills in groups.items():
            ratio = self.param("minimum_payment_ratio", due)
            if ratio is None:
                continue
            deadline = self.grace_end(bills[0])
            billed = sum(
                (i.charged.principal + i.charged.interest + i.charged.fees for i in bills), ZERO
            )
            paid = sum(
                (
                    x.amount
                    for i in bills
                    for x in i.allocations
                    if x.date <= deadline
                    and x.component != "penalty"
                    and x.source in ("payment", "credit")
                ),
                ZERO,
            )
            minimum = max(to_fen(billed * Decimal(ratio)), Decimal("0.01")) if billed else ZERO
            if not 0 < paid < minimum:
                continue
            text = tr._(
                "The bill due {due} received {paid} by {deadline}, {short} less than the "
                "minimum payment of {minimum} ({ratio} of {billed}): the rest could not revolve, "
                "so the bill is past due from the day after its due date.",
                due=tr.date(due),
                paid=_money(paid),
                deadline=tr.date(deadline),
                short=_money(minimum - paid),
                minimum=_money(minimum),
                ratio=_percent(Decimal(ratio)),
                billed=_money(billed),
            )
            self.add(
                f"minimum:{due.isoformat()}",
                _money(minimum),
                "revolving.minimum_payment",
                text,
                self.policy(("minimum_payment_ratio",), (due,)),
            )

    def firings(self) -> None:
        fired = self.a.rules
        accruals: dict[str, list[RuleFiring]] = {}
        interest: dict[str, list[RuleFiring]] = {}
        for firing in fired:
            if firing.rule == "penalty.accrual":
                accruals.setdefault(firing.subject, []).append(firing)
            elif firing.rule == "accrual.posting" and dict(firing.facts).get("component") == (
                "interest"
            ):
                interest.setdefault(firing.subject, []).append(firing)
        missed = {f.subject for f in fired if f.rule == "grace.missed"}
        handlers: dict[str, Callable[[RuleFiring], None]] = {
            "penalty.unknown": self.penalty_unknown,
            "grace.period": self.grace_period,
            "revolving.minimum_payment": self.minimum_payment,
            "early_repayment.interest_to_date": self.early_repayment,
            "guarantor.compensation": self.guarantor,
            "waiver.applied": self.waiver,
        }
        done: set[tuple[str, str]] = set()
        for firing in fired:
            rule, subject = firing.rule, firing.subject
            grouped = rule == "penalty.accrual" or (
                rule == "accrual.posting" and subject in interest
            )
            if grouped:
                if (rule, subject) in done:
                    continue
                done.add((rule, subject))
            elif rule in _FOLDED:
                continue
            group = (
                accruals[subject]
                if rule == "penalty.accrual"
                else interest[subject]
                if grouped
                else [firing]
            )
            try:
                if rule == "penalty.accrual":
                    self.penalty(subject, group, subject in missed)
                elif grouped:
                    self.revolving_interest(subject, group)
                elif rule in handlers:
                    handlers[rule](firing)
                else:
                    self.generic(firing)
            except (KeyError, ValueError, ArithmeticError):
                # A plugin replaced the rule and fires other facts: show them as they are.
                for member in group:
                    self.generic(member)

    def penalty(self, item_id: str, accruals: list[RuleFiring], missed: bool) -> None:
        tr = self.tr
        item = self.item(item_id)
        terms = [
            (f.fact("base"), f.fact("daily_rate"), int(f.fact("days")), f.fact("through"))
            for f in accruals
        ]
        pieces = [f"{_money(base)} × {rate} × {tr.days(days)}" for base, rate, days, _ in terms]
        if len(terms) > 1:
            pieces = [
                tr._("{term} (to {date})", term=piece, date=tr.date(date.fromisoformat(through)))
                for piece, (*_, through) in zip(pieces, terms, strict=True)
            ]
        computation = " + ".join(pieces)
        exact = sum((Decimal(f.fact("amount")) for f in accruals), ZERO)
        charged = item.charged.penalty if item is not None else to_fen(exact)
        label = self.item_label(item_id)
        accrued_days = sum(days for _, _, days, _ in terms)
        grace_days = (item.penalty_days if item is not None else accrued_days) - accrued_days
        if missed and grace_days > 0:
            text = tr._(
                "Penalty on {item}: {computation}, plus the {days} of the grace period, charged "
                "back to the due date because the item was not paid within grace; {amount} in "
                "all, rounded to the fen.",
                item=label,
                computation=computation,
                days=tr.days(grace_days),
                amount=_money(charged),
            )
        elif to_fen(exact) == charged:
            text = tr._(
                "Penalty on {item}: {computation} = {exact}, charged as {amount} (rounded "
                "half-up to the fen).",
                item=label,
                computation=computation,
                exact=_exact(exact),
                amount=_money(charged),
            )
        else:
            text = tr._(
                "Penalty on {item}: {computation}; {amount} in all.",
                item=label,
                computation=computation,
                amount=_money(charged),
            )
        if item is not None and item.waived.penalty > 0:
            text = tr.then(
                text, tr._("{amount} of it was waived.", amount=_money(item.waived.penalty))
            )
        if item is not None and item.settled_on is None and item.status == "overdue":
            text = tr.then(text, tr._("It keeps accruing every day until the item is paid."))
        days = [date.fromisoformat(through) for *_, through in terms]
        names = ["penalty_daily_rate", "penalty_base"]
        if any(self.param("penalty_daily_rate", d) is None for d in days):
            names.insert(1, "penalty_rate_multiplier")
        if any(self.param("penalty_cap", d) is not None for d in days):
            names.append("penalty_cap")
        if missed:
            names += ["grace_days", "penalty_from"]
        self.add(
            f"penalty:{item_id}", _money(charged), "penalty.accrual", text, self.policy(names, days)
        )

    def revolving_interest(self, item_id: str, postings: list[RuleFiring]) -> None:
        tr = self.tr
        item = self.item(item_id)
        posted = sum((Decimal(f.fact("posted")) for f in postings), ZERO)
        day = item.open_date if item is not None else self.a.as_of
        rate = self.param("revolving_daily_rate", day)
        text = tr._(
            "Revolving interest on {item}: {rate} a day on the revolved principal from the day "
            "after the bill's due date, {amount} in all (rounded half-up to the fen).",
            item=self.item_label(item_id),
            rate=_percent(rate) if rate is not None else tr._("unknown"),
            amount=_money(posted),
        )
        self.add(
            f"interest:{item_id}",
            _money(posted),
            "accrual.posting",
            text,
            self.policy(("revolving_daily_rate",), (day,)),
        )

    def penalty_unknown(self, firing: RuleFiring) -> None:
        tr = self.tr
        start = date.fromisoformat(firing.fact("from_date"))
        text = tr._(
            "No penalty is computed for {item}, past due from {date}: no penalty rate is known. "
            "Give penalty_daily_rate from your contract in the [policy] table of the account "
            "file.",
            item=self.item_label(firing.subject),
            date=tr.date(start),
        )
        policy = self.policy(("penalty_daily_rate", "penalty_rate_multiplier"), (start,))
        self.add(f"penalty:{firing.subject}", tr._("unknown"), "penalty.unknown", text, policy)

    def grace_period(self, firing: RuleFiring) -> None:
        tr = self.tr
        paid_on = date.fromisoformat(firing.fact("paid_on"))
        text = tr._(
            "{item} was paid in full on {date}, within the grace period (until {grace_end}): "
            "it counts as paid on time, and the {amount} of penalty that accrued meanwhile is "
            "waived.",
            item=self.item_label(firing.subject),
            date=tr.date(paid_on),
            grace_end=tr.date(date.fromisoformat(firing.fact("grace_end"))),
            amount=_money(firing.fact("penalty_waived")),
        )
        text = text[:1].upper() + text[1:]
        item = self.item(firing.subject)
        day = item.due_date if item is not None else paid_on
        policy = self.policy(("grace_days", "grace_waives_penalty"), (day,))
        self.add(f"penalty:{firing.subject}", _money(ZERO), "grace.period", text, policy)

    def minimum_payment(self, firing: RuleFiring) -> None:
        tr = self.tr
        due = date.fromisoformat(firing.subject.split()[-1])
        text = tr._(
            "The bill due {due} received {paid}, at least the minimum payment of {minimum}: it "
            "is not overdue. The rest, {revolved}, revolves to {next_due} and bears interest "
            "of {rate} a day from the day after the due date.",
            due=tr.date(due),
            paid=_money(firing.fact("paid")),
            minimum=_money(firing.fact("minimum")),
            revolved=_money(firing.fact("revolved")),
            next_due=tr.date(date.fromisoformat(firing.fact("next_due"))),
            rate=_percent(firing.fact("daily_rate")),
        )
        policy = self.policy(("minimum_payment_ratio", "revolving_daily_rate"), (due,))
        self.add(
            f"revolved:{due.isoformat()}",
            _money(firing.fact("revolved")),
            "revolving.minimum_payment",
            text,
            policy,
        )

    def early_repayment(self, firing: RuleFiring) -> None:
        tr = self.tr
        day = date.fromisoformat(firing.fact("payoff_date"))
        text = tr._(
            "The loan was repaid early on {date} with {amount}: interest is charged only to that "
            "day ({interest}), and the {saved} of interest the schedule would have charged "
            "later is not owed.",
            date=tr.date(day),
            amount=_money(firing.fact("payoff_amount")),
            interest=_money(firing.fact("interest_to_date")),
            saved=_money(firing.fact("interest_saved")),
        )
        self.add(
            f"interest:{firing.subject}",
            _money(firing.fact("interest_to_date")),
            "early_repayment.interest_to_date",
            text,
            self.policy(("overpayment",), (day,)),
        )

    def guarantor(self, firing: RuleFiring) -> None:
        tr = self.tr
        day = date.fromisoformat(firing.subject.split()[-1])
        guarantor = firing.fact("guarantor")
        text = tr._(
            "On {date} the guarantor {guarantor} paid the lender on your behalf: everything "
            "still owed, past due or not yet due, is now owed to the guarantor, and it keeps "
            "running.",
            date=tr.date(day),
            guarantor=guarantor,
        )
        self.add(f"owed_to:{day.isoformat()}", guarantor, "guarantor.compensation", text)

    def waiver(self, firing: RuleFiring) -> None:
        tr = self.tr
        day = date.fromisoformat(firing.subject.split()[-1])
        component = firing.fact("component")
        text = tr._(
            "On {date} the lender waived {amount} of {component}.",
            date=tr.date(day),
            amount=_money(firing.fact("applied")),
            component=tr._(_COMPONENTS.get(component, component)),
        )
        left = Decimal(firing.fact("not_applied"))
        if left > 0:
            text = tr.then(
                text,
                tr._(
                    "The other {amount} was not used: nothing of it was owed.", amount=_money(left)
                ),
            )
        self.add(
            f"waiver:{day.isoformat()}", _money(firing.fact("applied")), "waiver.applied", text
        )

    def fired_text(self, firing: RuleFiring) -> str:
        """The firing in the rule's own words (its ``fired`` template), or ``""``."""
        found = self.rule(firing.rule)
        template = found.text(self.tr.locale).fired if found is not None else ""
        if not template:
            return ""
        try:
            return self.tr._(template).format_map({**dict(firing.facts), "subject": firing.subject})
        except (KeyError, IndexError, ValueError, AttributeError):
            return ""  # the template asks for a fact this firing lacks

    def generic(self, firing: RuleFiring) -> None:
        tr = self.tr
        facts = "; ".join(f"{name} = {value}" for name, value in firing.facts)
        text = self.fired_text(firing) or tr._(
            "{rule} applied to {subject}: {facts}.",
            rule=firing.rule,
            subject=firing.subject,
            facts=facts,
        )
        day = self.a.as_of
        for name, value in firing.facts:
            if name == "date":
                day = date.fromisoformat(value)
        self.add(
            f"{firing.rule}:{firing.subject}",
            "",
            firing.rule,
            text,
            self.policy(firing.policy, (day,)),
        )

    def credit(self) -> None:
        tr, a = self.tr, self.a
        if a.credit <= 0:
            return
        text = tr._(
            "{amount} was paid beyond what was due: it is kept as credit and applied to later "
            "items as they open.",
            amount=_money(a.credit),
        )
        self.add(
            "credit",
            _money(a.credit),
            "payment.credit",
            text,
            self.policy(("overpayment",), (a.as_of,)),
        )

    def episodes(self) -> None:
        tr = self.tr
        for episode in self.a.episodes:
            start = tr.date(episode.start)
            days = tr.days(episode.max_days_past_due)
            amount = _money(episode.max_overdue_amount)
            if episode.end is None:
                value = tr._("{start} – ongoing", start=start)
                text = tr._(
                    "Overdue since {start} and not over: it ends only on the day everything past "
                    "due, penalty included, is paid. So far at most {days} past due and {amount} "
                    "overdue.",
                    start=start,
                    days=days,
                    amount=amount,
                )
            else:
                value = f"{start} – {tr.date(episode.end)}"
                text = tr._(
                    "Overdue from {start} to {end}, the day everything past due, penalty "
                    "included, was paid: at most {days} past due and {amount} overdue.",
                    start=start,
                    end=tr.date(episode.end),
                    days=days,
                    amount=amount,
                )
            policy = self.policy(("grace_days",), (episode.start,))
            self.add(
                f"episode:{episode.start.isoformat()}", value, "episode.tracking", text, policy
            )

    # -- the credit report -----------------------------------------------------------
    def meaning(self, bureau: Bureau, code: str) -> str:
        if code not in bureau.by_code:
            return ""
        status = bureau.status(code)
        return status.name_zh if self.tr.chinese else status.name_en

    def citation(self, subject: str) -> Citation | None:
        if self.bureau is None:
            return None
        try:
            return self.bureau.citation(subject)
        except KeyError:
            return None

    def snapshot(self, bureau: Bureau, key: str) -> date:
        """The day of the month's report: the account's ``snapshot`` value, else the bureau's."""
        year, month = (int(part) for part in key.split("-"))
        applied = self.applied("snapshot", date(year, month, 1))
        rule = applied.value.value if applied is not None and applied.layer != "default" else None
        return bureau.snapshot_day(year, month, rule)

    def days_at(self, day: date) -> int:
        worst = 0
        for item in self.a.items:
            if item.status in ("cancelled", "revolved"):
                continue
            settled = item.settled_on
            if settled is None and item.charged.total == 0 and item.outstanding.total == 0:
                settled = item.open_date
            if self.grace_end(item) < day and (settled is None or settled > day):
                worst = max(worst, (day - item.due_date).days)
        return worst

    def report(self) -> None:
        report, bureau = self.a.report, self.bureau
        if report is None or bureau is None:  # the bureau is not in the registry
            return
        tr = self.tr
        bureau_id = report.bureau
        negative = bureau.negative_codes
        hidden = {m: r for r in report.records if not r.visible for m in r.months}
        for key, code in report.months.items():
            original = report.history.get(key, code)
            if not (original in negative or original == "M"):
                continue
            snap = self.snapshot(bureau, key)
            day = min(snap, report.as_of)
            meaning = self.meaning(bureau, original)
            values = {"month": tr.month(key), "code": original, "meaning": meaning}
            if original == "M":
                text = tr._(
                    "{month}: M ({meaning}). An item was paid after its due date and grace "
                    "period but before the month's report on {date}; M is not negative "
                    "information.",
                    date=tr.date(snap),
                    **values,
                )
            elif original == "D":
                text = tr._(
                    "{month}: D ({meaning}). A guarantor paid the lender on your behalf this "
                    "month; this is negative information.",
                    **values,
                )
            elif original == "B":
                text = tr._(
                    "{month}: B ({meaning}). The debt was written off as bad debt and is still "
                    "unpaid; this is negative information.",
                    **values,
                )
            elif (days := self.days_at(day)) > 0:
                text = tr._(
                    "{month}: {code} ({meaning}). On {date}, the day of the month's report, the "
                    "oldest unpaid item was {days} past due; this is negative information.",
                    date=tr.date(day),
                    days=tr.days(days),
                    **values,
                )
            else:
                text = tr._("{month}: {code} ({meaning}); this is negative information.", **values)
            record = hidden.get(key)
            if record is not None and code != original and record.hidden_from is not None:
                if record.status == "relieved" and record.relief is not None:
                    text = tr.then(
                        text,
                        tr._(
                            "It now shows N: the record is hidden by {relief} from {date}.",
                            relief=self.relief_name(bureau, record.relief),
                            date=tr.date(record.hidden_from),
                        ),
                    )
                else:
                    text = tr.then(
                        text,
                        tr._(
                            "It now shows N: the record was deleted on {date}.",
                            date=tr.date(record.hidden_from),
                        ),
                    )
            if key == report.provisional_month:
                text = tr.then(
                    text,
                    tr._(
                        "The month's report is after {date}: the code is computed at that date and "
                        "may still change.",
                        date=tr.date(report.as_of),
                    ),
                )
            names = ("snapshot", "grace_days") if original not in ("D", "B") else ("snapshot",)
            self.add(
                f"report:{key}",
                code,
                f"{bureau_id}.status",
                text,
                self.policy(names, (day,)),
                citation=self.citation("status"),
            )
        for record in report.records:
            self.record(bureau, record)

    def relief_name(self, bureau: Bureau, relief_id: str) -> str:
        relief = self.relief_of(bureau, relief_id)
        return relief_id if relief is None else self.tr._(relief.name)

    def record(self, bureau: Bureau, record: NegativeRecord) -> None:
        tr = self.tr
        a = self.a
        bureau_id = bureau.id
        years = bureau.retention_years
        span = tr.months(record.first_month, record.last_month)
        key = f"record:{record.first_month}"
        policy = self.policy(("bureau",), (a.as_of,))
        if record.expires_on is None or record.ended_on is None:
            text = tr._(
                "The negative record of {months} is not over: the overdue is unpaid, so its "
                "{years} years of retention have not started. They start on the day everything "
                "past due, penalty included, is paid.",
                months=span,
                years=years,
            )
            self.add(
                f"{key}:expires_on",
                tr._("not yet (unpaid)"),
                f"{bureau_id}.unpaid",
                text,
                policy,
                citation=self.citation("unpaid"),
            )
        else:
            message = (
                N_(
                    "The negative record of {months} ended on {ended}, when the overdue was paid "
                    "off: it was deleted on {expires}, {years} years later."
                )
                if a.as_of >= record.expires_on
                else N_(
                    "The negative record of {months} ended on {ended}, when the overdue was paid "
                    "off: it is deleted on {expires}, {years} years later."
                )
            )
            text = tr._(
                message,
                months=span,
                ended=tr.date(record.ended_on),
                expires=tr.date(record.expires_on),
                years=years,
            )
            self.add(
                f"{key}:expires_on",
                record.expires_on.isoformat(),
                f"{bureau_id}.expires_on",
                text,
                policy,
                citation=self.citation("expires_on"),
            )
        relief = self.relief_of(bureau, record.relief)
        if relief is not None and record.hidden_from is not None:
            message = (
                N_(
                    "It qualifies for {relief}: hidden since {date}, automatically and free of "
                    "charge."
                )
                if a.as_of >= record.hidden_from
                else N_(
                    "It qualifies for {relief}: hidden from {date}, automatically and free of "
                    "charge; nobody needs to be paid for it."
                )
            )
            text = tr._(message, relief=tr._(relief.name), date=tr.date(record.hidden_from))
            self.add(
                f"{key}:hidden_from",
                record.hidden_from.isoformat(),
                relief.id,
                text,
                policy,
                citation=relief.citation,
            )
        episode = self.episode_of(record)
        if episode is None or episode.end is not None:
            return
        for candidate in bureau.reliefs:
            if a.as_of > candidate.ended_by:
                continue
            if candidate.why_not(attrs.evolve(episode, end=candidate.ended_by)):
                continue
            text = tr._(
                "Paid in full by {date}, while the largest overdue amount stays within {limit} "
                "(so far {amount}), it would qualify for {relief} and be hidden automatically.",
                date=tr.date(candidate.ended_by),
                limit=_money(candidate.max_overdue_amount),
                amount=_money(episode.max_overdue_amount),
                relief=tr._(candidate.name),
            )
            self.add(
                f"{key}:relief_deadline",
                candidate.ended_by.isoformat(),
                candidate.id,
                text,
                policy,
                citation=candidate.citation,
            )

    def relief_of(self, bureau: Bureau, relief_id: str | None) -> ReliefPolicy | None:
        if relief_id is None:
            return None
        return next((r for r in bureau.reliefs if r.id == relief_id), None)

    def episode_of(self, record: NegativeRecord) -> Episode | None:
        return next((e for e in self.a.episodes if e.start == record.episode_start), None)

    # -- actions (the remediation planner) -------------------------------------------
    def actions(self) -> None:
        tr = self.tr
        for action in getattr(self.a, "actions", None) or ():
            code = str(getattr(action, "code", ""))
            name = tr._(_ACTIONS[code]) if code in _ACTIONS else str(getattr(action, "title", code))
            relief = self.relief_of(self.bureau, _detail(action, "relief")) if self.bureau else None
            if code == "wait_for_expiry" and relief is not None:
                name = tr._(
                    "Wait for the record to be hidden by {relief}", relief=tr._(relief.name)
                )
            amount = getattr(action, "amount", None)
            deadline = getattr(action, "deadline", None)
            money = _money(amount) if amount is not None else ""
            when = tr.date(deadline) if deadline is not None else ""
            if money and when:
                text = tr._(
                    "{name}: {amount} by {deadline}.", name=name, amount=money, deadline=when
                )
            elif money:
                text = tr._("{name}: {amount}.", name=name, amount=money)
            elif when:
                text = tr._("{name}, by {deadline}.", name=name, deadline=when)
            else:
                text = tr._("{name}.", name=name)
            for sentence in self.effect(getattr(action, "effect", None)):
                text = tr.then(text, sentence)
            citations = tuple(getattr(action, "citations", ()) or ())
            sources = ("；" if tr.chinese else "; ").join(
                tr.cite(c.source if isinstance(c, Citation) else str(c)) for c in citations
            )
            texts = [c.text for c in citations if isinstance(c, Citation)]
            # The planner's citations are described in words only where the catalog
            # translates them all; a Chinese explanation never mixes in English rules.
            translated = [tr._(t) for t in texts]
            if tr.chinese and any(t == u for t, u in zip(texts, translated, strict=True)):
                translated = []
            grades = sorted({c.grade for c in citations if isinstance(c, Citation)})
            self.add(
                f"action:{code}",
                money or (deadline.isoformat() if deadline is not None else ""),
                f"action.{code}",
                text,
                # the weakest grade among the action's sources
                about=(
                    ("" if tr.chinese else " ").join(translated),
                    sources,
                    grades[-1] if grades else "",
                ),
            )

    def effect(self, effect: Any) -> list[str]:
        """Sentences for an action's measured effect (cost saved, months avoided, record)."""
        tr = self.tr
        sentences = []
        saved = getattr(effect, "cost_saved", None)
        if saved is not None and saved > 0:
            sentences.append(tr._("It saves {amount}.", amount=_money(saved)))
        elif saved is not None and saved < 0:
            sentences.append(tr._("It costs {amount} more.", amount=_money(-saved)))
        months = getattr(effect, "negative_months_avoided", None)
        if months:
            sentences.append(
                tr.ngettext(
                    "It keeps {n} negative month off your credit report.",
                    "It keeps {n} negative months off your credit report.",
                    int(months),
                )
            )
        gone = getattr(effect, "record_disappears_on", None)
        if gone is not None:
            sentences.append(
                tr._("The negative record then disappears on {date}.", date=tr.date(gone))
            )
        return sentences


def _detail(action: Any, key: str) -> str | None:
    """One of an action's details, or ``None``."""
    details = getattr(action, "details", None) or {}
    value = dict(details).get(key)
    return None if value is None else str(value)


#: Where the 24% APR line and the 4 × LPR cap come from (conventions: warnings).
_APR_LINE_SOURCE = N_(
    "最高人民法院关于审理民间借贷案件适用法律若干问题的规定 (2020) Art. 25 (4 × LPR, private "
    "lending); regulators' 24% APR line for licensed lenders; creditrules conventions: "
    "warnings (docs/explanation/conventions.md#conventions-warnings)"
)


# ------------------------------------------------------------------------------ not fired


def _reason(rule: Rule, assessment: Assessment, tr: _Words, strict: bool) -> str | None:
    """Why ``rule`` did not fire, translated; ``None`` if it says it took effect after all."""
    said = rule.text(tr.locale).not_fired
    if not callable(said):
        return tr._(said or _NOTHING)
    try:
        reason = said(assessment)
    except Exception as exc:  # a plugin's reason must not break the explanation
        message = (
            f"rule {rule.id!r} ({rule.origin}) raised while saying why it did not fire: "
            f"{type(exc).__name__}: {exc}"
        )
        if strict:
            raise PluginError(message) from exc
        warnings.warn(message, PluginWarning, stacklevel=4)
        return tr._(_NOTHING)
    return tr._(reason) if reason else None


def _not_fired(
    assessment: Assessment, tr: _Words, rules: _Rules, strict: bool
) -> tuple[UnfiredRule, ...]:
    fired = {firing.rule for firing in assessment.rules}
    part_fired = {
        rule.part_of for rule_id in fired if (rule := rules(rule_id)) is not None and rule.part_of
    }
    unfired = []
    for rule_id in assessment.ruleset:
        if rule_id in fired or rule_id in part_fired:
            continue
        rule = rules(rule_id)
        if rule is None:
            unfired.append(
                UnfiredRule(rule=rule_id, description="", citation="", text=tr._(_NOTHING))
            )
            continue
        if not rule.applies_to(assessment.provider):
            continue
        reason = _reason(rule, assessment, tr, strict)
        if reason is None:
            continue
        description = tr._(rule.text(tr.locale).description)
        unfired.append(
            UnfiredRule(
                rule=rule_id, description=description, citation=tr.cite(rule.citation), text=reason
            )
        )
    return tuple(unfired)


# ------------------------------------------------------------------------------ entry point


def _bureau(assessment: Assessment, registry: Registry) -> Bureau | None:
    if assessment.report is None:
        return None
    try:
        return registry.bureau(assessment.report.bureau)
    except KeyError:  # assessed with a bureau this registry lacks: the report is not explained
        return None


def build_explanation(
    assessment: Assessment,
    locale: str = "en",
    *,
    registry: Registry,
    include_not_fired: bool = False,
    ruleset: RuleSet | None = None,
) -> Explanation:
    """Explain every figure of ``assessment`` (what :meth:`Assessment.explain` runs).

    Args:
        assessment: The assessment.
        locale: ``"en"`` or ``"zh_CN"`` (``"zh-CN"`` works too).
        registry: The registry the assessment was made with: its rules say what they
            do and why they did not fire, its bureau made the credit report.
        include_not_fired: Also list the rules in force that did not fire, and why.
        ruleset: Where to look rules up first (default: ``registry.rules``); the core
            rules are looked up last.

    Returns:
        The frozen :class:`~creditrules.Explanation`.

    Raises:
        ValueError: if there is no catalogue for ``locale``; the message lists those available.
        PluginError: if a rule's reason for not firing raises and the registry is strict
            (otherwise a :class:`~creditrules.PluginWarning` names it).
    """
    tr = _Words(locale, registry.providers.get(assessment.provider))
    rules = _Rules(registry.rules if ruleset is None else ruleset)
    figures = _Builder(assessment, tr, rules, _bureau(assessment, registry)).build()
    return Explanation(
        account_id=assessment.account_id,
        as_of=assessment.as_of,
        locale=tr.locale,
        figures=figures,
        not_fired=_not_fired(assessment, tr, rules, registry.strict) if include_not_fired else (),
        record=assessment.record,
    )
