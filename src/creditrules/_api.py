"""The public entry points: :func:`assess` and :func:`simulate` (private module)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TYPE_CHECKING

import attrs

from . import report as _report
from ._engine import ReplayFork, replay, summarize
from ._plugins import Registry, get_registry
from .assessment import Assessment, Components, DueItemResult, RateWarning, unknown_matters
from .bureau import Bureau
from .errors import InputError, InputProblem, PolicyError
from .model import Account, Event, Payment
from .money import EXACT, ZERO, sum_money
from .policy import Policy, PolicySet
from .provider import Provider, check_account
from .record import DecisionRecord, build_record
from .remediation import Action, NegotiatedPlan
from .report import Report
from .rules import Context, Rule, RuleSet

if TYPE_CHECKING:
    from . import _planner
    from .explain import Explanation

__all__ = [
    "WhatIfs",
    "assess",
    "build_report",
    "plan_actions",
    "plan_negotiation",
    "recompute",
    "simulate",
    "verify",
]


@attrs.frozen
class _Composer:
    """The stages of an assessment, with the registry and rules in force.

    ``assess`` composes replay → summary → report → record; the actions are
    planned later, on first access (:class:`_Services`), by a planner that
    simulates through :meth:`simulate` — so no stage calls back into the public
    API and nothing recurses.
    """

    registry: Registry
    ruleset: RuleSet | None = None

    @property
    def rules(self) -> RuleSet:
        return self.ruleset if self.ruleset is not None else self.registry.rules

    def provider(self, account: Account) -> Provider:
        try:
            return self.registry.provider(account.provider)
        except KeyError as exc:
            raise InputError(str(exc.args[0]), path="$.account.provider") from None

    def assess(
        self, account: Account, as_of: date, *, fork: ReplayFork | None = None
    ) -> Assessment:
        if not isinstance(as_of, date) or hasattr(as_of, "hour"):
            raise TypeError(f"as_of must be a datetime.date, got {as_of!r}")
        provider = self.provider(account)
        problems = check_account(provider, account)
        if problems:
            raise InputError([InputProblem(path, message) for path, message in problems])
        rules = self.rules
        # The rules of this account's provider: what ran, what the record names.
        applicable = tuple(r for r in rules if r.applies_to(account.provider))
        try:
            policies = PolicySet.of(provider.policy, account.policy)
        except PolicyError as exc:
            raise InputError(str(exc), path="$.policy") from None
        context = Context(
            account=account,
            as_of=as_of,
            policies=policies,
            provider=provider,
            registry=self.registry,
        )
        if fork is None:
            rules.run(context)
        else:  # a what-if: the replay goes on from the fork's day if it can
            rules.run(context, stop=REPLAY)
            if fork.accepts(context):
                fork.replay(context)
                after = _after_replay(rules)
                if after is not None:
                    rules.run(context, start=after)
            else:
                rules.run(context, start=REPLAY)
        ledger = context.ledger
        if ledger is None:
            raise InputError(
                f"the rules in force ({', '.join(rules.ids)}) produced no ledger: "
                "the timeline.replay rule is missing or does not apply to provider "
                f"{account.provider!r}"
            )
        billed, overdue = summarize(ledger.items, as_of)
        _unknowns(context, provider, account, ledger.items)
        bureau_id = policies.at(as_of).bureau
        try:
            bureau = self.registry.bureau(bureau_id)
        except KeyError as exc:
            raise InputError(str(exc.args[0]), path="$.policy.bureau") from None
        services = _Services(
            self,
            account,
            provider,
            bureau,
            policies,
            rules=applicable,
            first_day=min((account.opened_on, *(i.open_date for i in ledger.items))),
        )
        assessment = Assessment(
            account_id=account.id,
            provider=account.provider,
            as_of=as_of,
            days_past_due=ledger.days_past_due,
            balance=Components.sum((billed, ledger.unopened)),
            overdue=overdue,
            payoff=self.payoff(account, as_of, context),
            # Charged up to as_of: what was billed by then (an installment is billed when
            # its period starts) and the principal lent but not yet billed — never the
            # interest or fees of periods not yet started.
            charged=Components.sum(
                (*(i.charged for i in ledger.items if i.open_date <= as_of), ledger.unopened)
            ),
            paid=Components.sum(i.paid for i in ledger.items),
            credit=ledger.credit,
            episodes=ledger.episodes,
            items=ledger.items,
            rules=tuple(context.firings),
            ruleset=tuple(r.id for r in applicable),
            policy=policies.at(as_of).applied,
            unknowns=tuple(dict.fromkeys(context.unknowns)),
            warnings=_warnings(policies.at(as_of), account),
            owed_to=ledger.owed_to,
            closed_on=ledger.closed_on,
            written_off_on=ledger.written_off_on,
            guarantor_paid_on=ledger.guarantor_paid_on,
            ignored_events=ledger.ignored_events,
            services=services,
        )
        # The credit report and the decision record are built when first read (a
        # what-if's record, say, never is): see _Services.
        return assessment

    def payoff(self, account: Account, as_of: date, context: Context) -> Decimal:
        """What a payment on ``as_of`` must be to leave nothing owed (conventions, figures).

        Everything not settled, less the credit; where the provider's early-repayment
        rule restructures a loan (``overpayment = "prepay"``), the engine's own quote of
        that day — one replay with that payment, the figure the planner uses too.
        """
        ledger = context.ledger
        assert ledger is not None
        # Bills not yet issued are not owed yet; a loan's (or a plan's) later installments are.
        live = [
            i
            for i in ledger.items
            if i.still_owed and (i.open_date <= as_of or i.kind in ("installment", "agreement"))
        ]
        everything = sum_money(i.outstanding.total for i in live) - ledger.credit
        if everything <= 0:
            return ZERO
        if (
            account.loan is None
            or context.policies.at(as_of).overpayment != "prepay"
            or all(i.due_date <= as_of for i in live)
        ):
            return everything
        quote = self._quote(account, as_of, context, everything)
        if quote is None or not 0 < quote - ledger.credit <= everything:
            return everything
        quote -= ledger.credit
        # Payments of one day are applied smallest first: check that the quote, in its
        # place among the day's other payments, still repays the loan.
        same_day = quote < everything and any(p.date == as_of for p in account.payments)
        if same_day and self._quote(account, as_of, context, quote) is None:
            return everything
        return quote

    def _quote(
        self, account: Account, as_of: date, context: Context, amount: Decimal
    ) -> Decimal | None:
        """The engine's early-repayment quote when ``amount`` is paid on ``as_of``, if any."""
        probe = self.rules.run(
            Context(
                account=account.with_events((Payment(as_of, amount),)),
                as_of=as_of,
                policies=context.policies,
                provider=context.provider,
                registry=self.registry,
            )
        )
        for firing in probe.firings:
            if (
                firing.rule == "early_repayment.interest_to_date"
                and firing.fact("payoff_date") == as_of.isoformat()
            ):
                return Decimal(firing.fact("payoff_amount"))
        return None

    def simulate(self, account: Account, events: Sequence[Event], as_of: date) -> Assessment:
        return self.assess(account.with_events(tuple(events)), as_of)

    def what_ifs(self, day: date) -> _planner.Simulate:
        """A ``simulate`` for what-ifs from ``day`` on: :meth:`simulate`'s figures and report.

        The first account it is given is replayed once up to ``day``; each what-if
        of that account (extra events from ``day`` on, assessed on or after ``day``)
        forks that replay and replays only the days after (see
        :class:`~creditrules._engine.ReplayFork`). Like every assessment, a what-if
        builds its credit report and decision record only when they are read (the
        planner reads the report, never the record).
        """
        return _WhatIfs(self, day)

    def forkable(self, account: Account) -> bool:
        """Whether the replay in force for ``account`` is the core one (it can fork)."""
        rules = self.rules
        if REPLAY not in rules:
            return False
        rule = rules[REPLAY]
        return rule.apply is replay and rule.applies_to(account.provider)

    def planner(self, account: Account, as_of: date) -> _planner.Planner:
        assessment = self.assess(account, as_of)
        services = assessment._services
        assert isinstance(services, _Services)
        return services.planner(assessment)


#: The rule whose work a what-if reuses.
REPLAY = "timeline.replay"


def _after_replay(rules: RuleSet) -> str | None:
    """The id of the rule that runs after the replay, if any."""
    ids = [rule.id for rule in rules.phases()]
    index = ids.index(REPLAY) + 1 if REPLAY in ids else len(ids)
    return ids[index] if index < len(ids) else None


class _WhatIfs:
    """``simulate`` that forks one replay of the account (built on first use)."""

    def __init__(self, composer: _Composer, day: date) -> None:
        self.composer = composer
        self.day = day
        self.account: Account | None = None
        #: Whether the account can be replayed up to ``day`` (not if ``day`` is before it
        #: opened, say): otherwise every what-if is replayed in full.
        self.forks = True
        self.fork: ReplayFork | None = None

    def __call__(self, account: Account, events: Sequence[Event], as_of: date) -> Assessment:
        composer = self.composer
        if self.account is None and composer.forkable(account):
            self.account = account
        day = self.day
        forked = self.forks and account is self.account
        if not (forked and as_of >= day and all(e.date >= day for e in events)):
            return composer.simulate(account, events, as_of)
        if self.fork is None:
            try:
                self.fork = self._start(account)
            except InputError:  # e.g. ``day`` before the account opened: no fork
                self.forks = False
                return composer.simulate(account, events, as_of)
        return composer.assess(account.with_events(tuple(events)), as_of, fork=self.fork)

    def _start(self, account: Account) -> ReplayFork:
        composer = self.composer
        provider = composer.provider(account)
        context = composer.rules.run(
            Context(
                account=account,
                as_of=self.day,
                policies=PolicySet.of(provider.policy, account.policy),
                provider=provider,
                registry=composer.registry,
            ),
            stop=REPLAY,
        )
        return ReplayFork(context, self.day)


@attrs.frozen
class _Services:
    """What an assessment made by :func:`assess` can ask for later: its actions, its explanation."""

    composer: _Composer
    account: Account
    provider: Provider
    bureau: Bureau
    policies: PolicySet
    #: The rules in force for the account's provider, and the first day assessed.
    rules: tuple[Rule, ...]
    first_day: date

    def report(self, assessment: Assessment) -> Report:
        return _report.build_report(
            assessment, self.account, bureau=self.bureau, policies=self.policies
        )

    def record(self, assessment: Assessment) -> DecisionRecord:
        return build_record(
            account_id=assessment.account_id,
            as_of=assessment.as_of,
            first_day=self.first_day,
            policies=self.policies,
            rules=self.rules,
            registry=self.composer.registry,
            provider=assessment.provider,
            bureau=self.bureau.id,
        )

    def planner(self, assessment: Assessment) -> _planner.Planner:
        from . import _planner  # lazy: start-up — the planner is only needed when actions are read

        return _planner.Planner(
            assessment,
            self.account,
            provider=self.provider,
            bureau=self.bureau,
            policies=self.policies,
            registry=self.composer.registry,
            simulate=self.composer.what_ifs(assessment.as_of),
        )

    def actions(self, assessment: Assessment) -> tuple[Action, ...]:
        from . import _planner  # lazy: start-up — the planner is only needed when actions are read

        return _planner.plan(self.planner(assessment))

    def explain(
        self, assessment: Assessment, locale: str, *, include_not_fired: bool
    ) -> Explanation:
        from ._explain import build_explanation  # lazy: start-up — only an explanation needs it

        return build_explanation(
            assessment,
            locale,
            registry=self.composer.registry,
            include_not_fired=include_not_fired,
            ruleset=self.composer.rules,
        )

    def __reduce__(self) -> tuple[object, tuple[()]]:
        # A pickled assessment keeps its figures and actions, not the plugins in force.
        return (_no_services, ())


def _no_services() -> None:
    return None


def _unknowns(
    context: Context, provider: Provider, account: Account, items: Sequence[DueItemResult]
) -> None:
    """Add the provider's unknowns that matter for this account, each once.

    See :func:`creditrules.assessment.unknown_matters`; a parameter the account sets
    is known.
    """
    overridden = {value.name for value in account.policy}
    penalty_unknown = any(f.rule == "penalty.unknown" for f in context.firings)
    said_penalty = False
    for name, why in provider.unknown:
        if name not in overridden and unknown_matters(name, context.firings, items):
            context.unknown(f"{name}: {why}")
            said_penalty = said_penalty or name in ("penalty_daily_rate", "penalty_rate_multiplier")
    if penalty_unknown and not said_penalty:
        context.unknown(
            "penalty: no penalty rate is known for this provider; give penalty_daily_rate "
            "from your contract in the account's [policy] table"
        )


#: The APR line regulators hold licensed lenders to (conventions: figures, warnings).
APR_LINE = Decimal("0.24")


def _warnings(policy: Policy, account: Account) -> tuple[RateWarning, ...]:
    """Rates in force above the 24% APR line, each with its annual equivalent.

    The figures are computed with the values as given; a rate far above the line is
    more likely a typing error (a percentage given as a fraction) than a contract.
    """
    found: list[RateWarning] = []
    basis = Decimal(policy.day_basis)
    loan = account.loan

    def above(name: str, annual: Decimal, given: str) -> None:
        if annual > APR_LINE:
            with localcontext(EXACT):  # to 0.01 % a year
                shown = annual.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
            found.append(RateWarning(name, given, shown, APR_LINE))

    if loan is not None:
        given = f"{loan.daily_rate} a day" if loan.daily_rate is not None else f"{loan.annual}"
        above("loan rate", loan.annual, given)
    revolving = policy.revolving_daily_rate
    if revolving is not None:
        above("revolving_daily_rate", revolving * basis, f"{revolving} a day")
    # The penalty as the engine applies it (conventions A.4): the daily rate given, or
    # the multiple of the loan's daily rate, within penalty_cap if there is one.
    penalty, name, given = policy.penalty_daily_rate, "penalty_daily_rate", ""
    if penalty is not None:
        given = f"{penalty} a day"
    elif policy.penalty_rate_multiplier is not None and loan is not None:
        multiplier = policy.penalty_rate_multiplier
        penalty, name = multiplier * loan.daily, "penalty_rate_multiplier"
        given = f"{multiplier} × the loan's daily rate"
    if penalty is not None:
        annual = penalty * basis
        if policy.penalty_cap is not None:
            annual = min(annual, policy.penalty_cap)
        above(name, annual, given)
    return tuple(found)


def _composer(registry: Registry | None, ruleset: RuleSet | None) -> _Composer:
    return _Composer(registry if registry is not None else get_registry(), ruleset)


def assess(
    account: Account,
    as_of: date,
    *,
    ruleset: RuleSet | None = None,
    registry: Registry | None = None,
) -> Assessment:
    """Assess an account at the end of ``as_of``.

    The replay and the summary are computed now; the credit report
    (``assessment.report``), the decision record (``assessment.record``) and the
    remediation plan (``assessment.actions``, which simulates the account several
    times) are computed on first access, so a caller that reads only figures does not
    pay for them.

    Args:
        account: The account, as returned by :func:`creditrules.load_account` or built in code.
        as_of: The assessment date; events after it are not applied.
        ruleset: The rules to run (default: the rules of the registry: the core rules
            plus the plugins' rules).
        registry: The providers, bureaus and rules to assess with (default: the
            installed plugins, :func:`creditrules.get_registry`); e.g. a registry
            with a provider read by :func:`creditrules.load_provider`
            (:meth:`~creditrules.Registry.with_providers`).

    Returns:
        A frozen :class:`~creditrules.Assessment`.

    Raises:
        InputError: if the provider is unknown (the message lists the installed ones)
            or the account breaks the provider's limits.

    >>> from creditrules import Account, Bill, Payment, PolicyValue
    >>> account = Account(
    ...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
    ...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
    ...     policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")],
    ... )
    >>> result = assess(account, as_of=date(2025, 3, 15))
    >>> result.days_past_due, result.overdue.penalty
    (5, Decimal('1.25'))
    """
    return _composer(registry, ruleset).assess(account, as_of)


def simulate(
    account: Account,
    events: Sequence[Event],
    as_of: date,
    *,
    ruleset: RuleSet | None = None,
    registry: Registry | None = None,
) -> Assessment:
    """Assess ``account`` as if ``events`` had also happened; the account is not modified.

    Args:
        account: The account.
        events: Extra events (payments, waivers, …).
        as_of: The assessment date.
        ruleset: As for :func:`assess`.
        registry: As for :func:`assess`.

    Returns:
        The :class:`~creditrules.Assessment` of the account with the extra events.
    """
    return _composer(registry, ruleset).simulate(account, events, as_of)


class WhatIfs:
    """What-ifs of one account from one day on, each replaying only the days after it.

    ``WhatIfs(account, since).simulate(events, as_of)`` gives what
    :func:`simulate` ``(account, events, as_of)`` gives — every figure, the credit
    report, the rule trace and the decision record — for events dated on or after
    ``since`` and an ``as_of`` on or after it. The account is replayed once, up to the
    day before ``since`` (on the first what-if); each what-if goes on from a copy of
    that state and replays only the days from ``since`` to its ``as_of``. Comparing
    ten ways to pay an account with years of history costs about one assessment plus
    ten short replays, not ten assessments.

    A what-if with an event before ``since`` or an ``as_of`` before it, or an account
    whose replay is not the core one (a rule set that replaces ``timeline.replay``),
    is replayed in full: the result is the same, only slower.

    Args:
        account: The account (not modified).
        since (datetime.date): The first day the what-ifs may change (e.g. the as-of
            date).
        ruleset: As for :func:`assess`.
        registry: As for :func:`assess`.

    Attributes:
        account: The account the what-ifs change.
        since: The first day they may change.

    Raises:
        TypeError: if ``since`` is not a :class:`datetime.date`.

    >>> from creditrules import Account, Bill, Payment, PolicyValue
    >>> account = Account(
    ...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
    ...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
    ...     policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")],
    ... )
    >>> what_ifs = WhatIfs(account, since=date(2025, 3, 15))
    >>> for amount in ("200.00", "501.25"):  # paid on the 15th, assessed on the 31st
    ...     after = what_ifs.simulate([Payment(date(2025, 3, 15), amount)], date(2025, 3, 31))
    ...     print(amount, after.days_past_due, after.overdue.total)
    200.00 21 303.66
    501.25 0 0.00
    """

    def __init__(
        self,
        account: Account,
        since: date,
        *,
        ruleset: RuleSet | None = None,
        registry: Registry | None = None,
    ) -> None:
        if not isinstance(since, date) or hasattr(since, "hour"):
            raise TypeError(f"since must be a datetime.date, got {since!r}")
        self.account = account
        self.since = since
        self._what_if = _composer(registry, ruleset).what_ifs(since)

    def simulate(self, events: Sequence[Event], as_of: date) -> Assessment:
        """Assess the account as if ``events`` had also happened (:func:`simulate`).

        Args:
            events: Extra events (payments, waivers, plans, …).
            as_of: The assessment date.

        Returns:
            The :class:`~creditrules.Assessment` of the account with the extra events.
        """
        return self._what_if(self.account, events, as_of)

    def __repr__(self) -> str:
        return f"WhatIfs({self.account.id!r}, since={self.since.isoformat()})"


def recompute(
    account: Account,
    assessment: Assessment,
    *,
    ruleset: RuleSet | None = None,
    registry: Registry | None = None,
) -> Assessment:
    """Assess ``account`` again at ``assessment.as_of`` with what is installed now.

    Args:
        account: The account the assessment was computed from.
        assessment: An earlier assessment (e.g. loaded with :func:`creditrules.from_dict`).
        ruleset: As for :func:`assess`.
        registry: As for :func:`assess`.

    Returns:
        The new :class:`~creditrules.Assessment`; compare its ``record`` with the
        old one's (:meth:`~creditrules.record.DecisionRecord.differences`) to see
        what changed.
    """
    return assess(account, assessment.as_of, ruleset=ruleset, registry=registry)


def verify(
    account: Account,
    assessment: Assessment,
    *,
    ruleset: RuleSet | None = None,
    registry: Registry | None = None,
) -> bool:
    """Tell whether recomputing ``assessment`` from ``account`` gives exactly the same result.

    The result is the same when the account, the versions of creditrules and of
    the plugins, the policy values and the rules in force are (the decision record
    holds them), and every figure comes out equal.

    Args:
        account: The account the assessment was computed from.
        assessment: The assessment to check.
        ruleset: As for :func:`assess`.
        registry: As for :func:`assess`.

    Returns:
        ``True`` if :func:`recompute` gives an equal assessment (record included).

    >>> from creditrules import Account, Bill
    >>> account = Account(
    ...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
    ...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
    ... )
    >>> result = assess(account, as_of=date(2025, 3, 15))
    >>> verify(account, result)
    True
    >>> verify(account, attrs.evolve(result, days_past_due=4))
    False
    """
    if account.id != assessment.account_id:
        return False
    return recompute(account, assessment, ruleset=ruleset, registry=registry) == assessment


def plan_actions(
    account: Account,
    as_of: date,
    *,
    ruleset: RuleSet | None = None,
    registry: Registry | None = None,
) -> tuple[Action, ...]:
    """Plan what to do about ``account`` at ``as_of`` (what ``assess(...).actions`` holds).

    Args:
        account: The account.
        as_of: The assessment date; events after it are left out.
        ruleset: As for :func:`assess`.
        registry: As for :func:`assess`.

    Returns:
        The actions, ranked (see :func:`creditrules.remediation.rank`).

    Raises:
        InputError: as :func:`assess`.
    """
    return assess(account, as_of, ruleset=ruleset, registry=registry).actions


def plan_negotiation(
    account: Account,
    *,
    as_of: date,
    capacity: Decimal | int | str,
    down_payment: Decimal | int | str | None = None,
    start: date | None = None,
    ruleset: RuleSet | None = None,
    registry: Registry | None = None,
) -> NegotiatedPlan:
    """Draft a repayment plan (协商还款) the borrower can pay, within the provider's policy.

    The plan replaces everything owed on ``start`` (after the down payment),
    penalty included, by equal monthly installments no larger than
    ``capacity`` — as few as possible, and never more than the provider's
    ``negotiation_max_term_months`` (60 when unknown, the 5 years of
    商业银行信用卡业务监督管理办法 Art. 70). If even the longest plan needs more
    than ``capacity`` a month, the plan runs the longest term and
    :attr:`~creditrules.NegotiatedPlan.feasible` is ``False``.

    Args:
        account: The account.
        as_of: The assessment date; events after it are left out.
        capacity: What the borrower can pay each month (> 0).
        down_payment: Paid on ``start`` before the plan, if any.
        start: The day the plan would be signed (default ``as_of``; not before it).
        ruleset: As for :func:`assess`.
        registry: As for :func:`assess`.

    Returns:
        The :class:`~creditrules.NegotiatedPlan`, its effect measured by simulation.

    Raises:
        ValueError: for a capacity not above 0, a negative down payment, a start
            before ``as_of``, or nothing owed on ``start``.
        InputError: as :func:`assess`.

    >>> from creditrules import Account, Bill, PolicyValue
    >>> account = Account(
    ...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
    ...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "3000.00")],
    ...     policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract", grade="A")],
    ... )
    >>> plan = plan_negotiation(account, as_of=date(2025, 4, 10), capacity="1100")
    >>> plan.owed, plan.term_months, plan.monthly, plan.first_due
    (Decimal('3046.50'), 3, Decimal('1015.50'), datetime.date(2025, 5, 10))
    """
    from . import _planner  # lazy: start-up — the planner is only needed when planning

    planner = _composer(registry, ruleset).planner(account, as_of)
    return _planner.negotiate(planner, capacity=capacity, down_payment=down_payment, start=start)


def build_report(
    assessment: Assessment,
    account: Account,
    *,
    bureau: Bureau | None = None,
    policies: PolicySet | None = None,
    registry: Registry | None = None,
) -> Report:
    """Simulate the bureau's report of ``account`` at ``assessment.as_of``.

    :func:`assess` stores the same report in ``assessment.report``; call this to see
    the account through another bureau.

    Args:
        assessment: The assessment of ``account`` (its items, episodes, events).
        account: The account (its opening date, events and ``reported`` codes).
        bureau: The bureau; default: the one the policy's ``bureau`` value names,
            from the registry.
        policies: The account's layered policy (for grace and the snapshot rule);
            default: its provider's policy with the account's overrides.
        registry: As for :func:`assess`.

    Returns:
        The frozen :class:`~creditrules.Report`.

    Raises:
        KeyError: if the bureau or provider is not in the registry.
    """
    if policies is None or bureau is None:
        found = registry if registry is not None else get_registry()
        if policies is None:
            provider = found.provider(account.provider)
            policies = PolicySet.of(provider.policy, account.policy)
        if bureau is None:
            bureau = found.bureau(policies.at(assessment.as_of).bureau)
    return _report.build_report(assessment, account, bureau=bureau, policies=policies)
