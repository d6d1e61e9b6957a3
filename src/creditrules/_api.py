"""The public entry points: :func:`assess` and :func:`simulate` (private module)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from ._engine import summarize
from ._planner import plan
from ._plugins import get_registry
from .assessment import Assessment, Components
from .errors import InputError, InputProblem, PolicyError
from .model import Account, Event
from .policy import PolicySet
from .provider import check_account
from .record import build_record
from .remediation import planning
from .report import build_report
from .rules import Context, RuleSet


def assess(account: Account, as_of: date, *, ruleset: RuleSet | None = None) -> Assessment:
    """Assess an account at the end of ``as_of``.

    Args:
        account: The account, as returned by :func:`creditrules.load_account` or built in code.
        as_of: The assessment date; events after it are not applied.
        ruleset: The rules to run (default: the core rules plus installed plugins' rules).

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
    if not isinstance(as_of, date) or hasattr(as_of, "hour"):
        raise TypeError(f"as_of must be a datetime.date, got {as_of!r}")
    registry = get_registry()
    try:
        provider = registry.provider(account.provider)
    except KeyError as exc:
        raise InputError(str(exc.args[0]), path="$.account.provider") from None
    problems = check_account(provider, account)
    if problems:
        raise InputError([InputProblem(path, message) for path, message in problems])
    rules = ruleset if ruleset is not None else registry.rules
    try:
        policies = PolicySet(provider=provider.policy, account=account.policy)
    except PolicyError as exc:
        raise InputError(str(exc), path="$.policy") from None
    context = rules.run(Context(account=account, as_of=as_of, policies=policies, provider=provider))
    ledger = context.ledger
    assert ledger is not None, "the ruleset has no timeline.replay rule"
    billed, overdue = summarize(ledger.items, as_of)
    balance = Components.sum((billed, ledger.unopened))
    overridden = {value.name for value in account.policy}
    for name, why in provider.unknown:
        if name not in overridden:
            context.unknown(f"{name}: {why}")
    if any(f.rule == "penalty.unknown" for f in context.firings):
        context.unknown(
            "penalty: no penalty rate is known for this provider; give penalty_daily_rate "
            "from your contract in the account's [policy] table"
        )
    # -- credit report (report.py): look the bureau up once per assessment --
    bureau_id = policies.at(as_of).bureau
    try:
        bureau = registry.bureau(bureau_id)
    except KeyError as exc:
        raise InputError(str(exc.args[0]), path="$.policy.bureau") from None
    # -- end credit report --
    assessment = Assessment(
        account_id=account.id,
        provider=account.provider,
        as_of=as_of,
        days_past_due=ledger.days_past_due,
        balance=balance,
        overdue=overdue,
        charged=Components.sum(i.charged for i in ledger.items),
        paid=Components.sum(i.paid for i in ledger.items),
        credit=ledger.credit,
        episodes=ledger.episodes,
        items=ledger.items,
        rules=tuple(context.firings),
        ruleset=rules.ids,
        policy=policies.at(as_of).applied,
        unknowns=tuple(context.unknowns),
        owed_to=ledger.owed_to,
        closed_on=ledger.closed_on,
        written_off_on=ledger.written_off_on,
        guarantor_paid_on=ledger.guarantor_paid_on,
        ignored_events=ledger.ignored_events,
    )
    report = build_report(assessment, account, bureau=bureau, policies=policies)
    # -- decision record (record.py) --
    record = build_record(
        account_id=account.id,
        as_of=as_of,
        first_day=min((account.opened_on, *(i.open_date for i in ledger.items))),
        policies=policies,
        rules=rules,
        registry=registry,
        provider=account.provider,
        bureau=bureau.id,
    )
    # -- end decision record --
    assessment = attrs.evolve(assessment, report=report, record=record)
    # -- remediation (remediation.py): simulations made while planning skip this --
    if not planning():
        actions = plan(
            assessment,
            account,
            provider=provider,
            bureau=bureau,
            policies=policies,
            ruleset=ruleset,
            registry=registry,
        )
        assessment = attrs.evolve(assessment, actions=actions)
    # -- end remediation --
    return assessment


def simulate(
    account: Account, events: Sequence[Event], as_of: date, *, ruleset: RuleSet | None = None
) -> Assessment:
    """Assess ``account`` as if ``events`` had also happened; the account is not modified.

    Args:
        account: The account.
        events: Extra events (payments, waivers, …).
        as_of: The assessment date.
        ruleset: As for :func:`assess`.

    Returns:
        The :class:`~creditrules.Assessment` of the account with the extra events.
    """
    return assess(account.with_events(tuple(events)), as_of, ruleset=ruleset)


# -- decision record (record.py) ---------------------------------------------------


def recompute(
    account: Account, assessment: Assessment, *, ruleset: RuleSet | None = None
) -> Assessment:
    """Assess ``account`` again at ``assessment.as_of`` with what is installed now.

    Args:
        account: The account the assessment was computed from.
        assessment: An earlier assessment (e.g. loaded with :func:`creditrules.from_dict`).
        ruleset: As for :func:`assess`.

    Returns:
        The new :class:`~creditrules.Assessment`; compare its ``record`` with the
        old one's (:meth:`~creditrules.record.DecisionRecord.differences`) to see
        what changed.
    """
    return assess(account, assessment.as_of, ruleset=ruleset)


def verify(account: Account, assessment: Assessment, *, ruleset: RuleSet | None = None) -> bool:
    """Tell whether recomputing ``assessment`` from ``account`` gives exactly the same result.

    The result is the same when the account, the versions of creditrules and of
    the plugins, the policy values and the rules in force are (the decision record
    holds them), and every figure comes out equal.

    Args:
        account: The account the assessment was computed from.
        assessment: The assessment to check.
        ruleset: As for :func:`assess`.

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
    return recompute(account, assessment, ruleset=ruleset) == assessment
