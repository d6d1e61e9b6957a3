"""The rules engine: named rules, run in a declared order over one account.

An assessment is the work of a :class:`RuleSet`: an ordered tuple of
:class:`Rule` s, each with a stable id, a one-line description and the
citation it rests on. *Phase* rules have an ``apply`` function that derives
facts from the :class:`Context` (the due items, the ordered events, the
replayed ledger, …); *mechanics* (``apply`` is ``None``) are steps performed
inside another rule — e.g. ``penalty.accrual`` inside ``timeline.replay`` — and
are declared so that every figure can name the rule behind it.

Plugins add or replace rules by id (see :meth:`RuleSet.replace`,
:meth:`RuleSet.insert_after`); the assessment records the ruleset in force and
every firing.

>>> [rule.id for rule in CORE_RULES.phases()]
['items.bills', 'items.schedule', 'events.order', 'provider.adjust', 'timeline.replay']
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from . import _engine
from ._i18n import N_
from .assessment import RuleFiring
from .errors import CreditRulesError, InputError, InputProblem, PluginError, PluginWarning
from .ledger import ItemSpec, Ledger
from .model import Account, Event
from .policy import PolicySet, convention
from .provider import Provider

if TYPE_CHECKING:
    from ._plugins import Registry
    from .assessment import Assessment

__all__ = ["CORE_RULES", "Context", "Rule", "RuleSet", "RuleText"]


def _provider_ids(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)


@attrs.frozen
class RuleText:
    """What a rule says in one language, for :meth:`creditrules.Assessment.explain`.

    Attributes:
        description: One line saying what the rule does (empty: the rule's
            :attr:`Rule.description`).
        fired: How a firing reads: a :meth:`str.format` template over the firing's
            facts and ``{subject}`` (``"Fee of {fee} on {subject}."``). Empty, or a
            placeholder the firing lacks: the facts are listed as they are.
        not_fired: Why the rule produced nothing for an account: a sentence, or a
            function of the :class:`~creditrules.Assessment` returning one when the
            reason depends on the account. A function returning ``""`` says the rule
            did take effect (through other rules' firings), so it is not listed.

    Texts not in creditrules' catalogues are shown as written; the built-in rules
    give English message ids, which the explanation translates.
    """

    description: str = ""
    fired: str = ""
    not_fired: str | Callable[[Assessment], str] = ""


def _texts(value: Mapping[str, RuleText]) -> Mapping[str, RuleText]:
    return MappingProxyType(dict(value))


def _locale_key(locale: str) -> str:
    return locale.replace("-", "_").lower()


@attrs.frozen
class Rule:
    """A named rule.

    Attributes:
        id: Stable id, dotted (``penalty.accrual``).
        description: One line saying what it does.
        citation: The law, policy or convention it rests on.
        apply: For a phase rule, the function run over the :class:`Context`;
            ``None`` for a mechanic performed inside another rule.
        part_of: For a mechanic, the id of the phase rule that performs it.
        origin: Who registered it (``creditrules`` or a plugin name).
        providers: The provider ids it applies to; ``None`` (the default) means every
            provider. The engine skips a phase rule on other providers' accounts.
        texts: What the rule says, by locale (``"en"``, ``"zh_CN"``): see
            :class:`RuleText` and :meth:`text`. Not part of the rule's identity.
    """

    id: str
    description: str
    citation: str
    apply: Callable[[Context], None] | None = attrs.field(default=None, eq=False)
    part_of: str = ""
    origin: str = "creditrules"
    providers: frozenset[str] | None = attrs.field(default=None, converter=_provider_ids)
    texts: Mapping[str, RuleText] = attrs.field(
        factory=dict, converter=_texts, eq=False, repr=False
    )

    def applies_to(self, provider_id: str) -> bool:
        """Whether the rule runs on accounts of ``provider_id``."""
        return self.providers is None or provider_id in self.providers

    def text(self, locale: str = "en") -> RuleText:
        """Return what the rule says in ``locale``, each part falling back to English.

        A part the rule gives neither in ``locale`` nor in ``"en"`` is empty, except
        the description, which falls back to :attr:`description`.

        >>> rule = Rule("x.fee", "Charges a fee.", "contract", texts={
        ...     "en": RuleText(not_fired="No fee was due."),
        ...     "zh_CN": RuleText(description="收取手续费。")})
        >>> rule.text("zh-CN").description, rule.text("zh-CN").not_fired
        ('收取手续费。', 'No fee was due.')
        >>> rule.text("fr").description
        'Charges a fee.'
        """
        wanted = _locale_key(locale)
        found = [t for key, t in self.texts.items() if _locale_key(key) == wanted]
        chain = [*found, *(t for key, t in self.texts.items() if key == "en")]
        description = next((t.description for t in chain if t.description), self.description)
        fired = next((t.fired for t in chain if t.fired), "")
        not_fired = next((t.not_fired for t in chain if t.not_fired), "")
        return RuleText(description=description, fired=fired, not_fired=not_fired)


@attrs.define
class Context:
    """The working state rules read and write during one assessment.

    Attributes:
        account: The account assessed (never modified).
        as_of: The assessment date.
        policies: The layered, effective-dated policy.
        items: Due-item specifications derived so far (bills, installments).
        events: The account's events in canonical order (after ``events.order``).
        ledger: The replayed timeline (after ``timeline.replay``).
        firings: Rule firings so far (use :meth:`fire`).
        unknowns: What could not be computed, and why.
        extra: Facts added by plugin rules, by name.
        provider: The account's provider (``None`` when assessing without plugins).
        registry: The plugin registry in force for this assessment (``None`` when
            rules are run without one); the ``provider.adjust`` rule calls the
            provider's plugin through it.
    """

    account: Account
    as_of: date
    policies: PolicySet
    provider: Provider | None = None
    items: list[ItemSpec] = attrs.field(factory=list)
    events: list[Event] = attrs.field(factory=list)
    ledger: Ledger | None = None
    firings: list[Any] = attrs.field(factory=list)
    unknowns: list[str] = attrs.field(factory=list)
    extra: dict[str, Any] = attrs.field(factory=dict)
    registry: Registry | None = attrs.field(default=None, repr=False)

    def fire(self, rule: str, subject: str, policy: Iterable[str] = (), **facts: object) -> None:
        """Record that ``rule`` produced facts about ``subject``."""
        # The facts are written as text only when someone reads them.
        self.firings.append(
            RuleFiring._owning(
                rule, subject, facts, policy if type(policy) is tuple else tuple(policy)
            )
        )

    def unknown(self, message: str) -> None:
        """Record something the engine cannot compute (once)."""
        if message not in self.unknowns:
            self.unknowns.append(message)


def _rule_tuple(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


@attrs.frozen
class RuleSet:
    """An ordered set of rules with unique ids."""

    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple)

    @rules.validator
    def _unique(self, attribute: Any, rules: tuple[Rule, ...]) -> None:
        seen: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in seen:
                raise PluginError(
                    f"rule {rule.id!r} is registered twice ({seen[rule.id].origin} and "
                    f"{rule.origin}); use replace to override a rule"
                )
            seen[rule.id] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    def __getitem__(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids in order."""
        return tuple(rule.id for rule in self.rules)

    def phases(self) -> tuple[Rule, ...]:
        """The rules that run (those with an ``apply`` function), in order."""
        return tuple(rule for rule in self.rules if rule.apply is not None)

    def replace(self, rule: Rule) -> RuleSet:
        """Return a ruleset where the rule with ``rule.id`` is replaced.

        Raises:
            PluginError: if there is no rule with that id.
        """
        if rule.id not in self:
            raise PluginError(f"cannot replace unknown rule {rule.id!r} ({rule.origin})")
        return RuleSet(rule if r.id == rule.id else r for r in self.rules)

    def insert_after(self, anchor: str, rule: Rule) -> RuleSet:
        """Return a ruleset with ``rule`` inserted after the rule ``anchor``."""
        return self._insert(anchor, rule, 1)

    def insert_before(self, anchor: str, rule: Rule) -> RuleSet:
        """Return a ruleset with ``rule`` inserted before the rule ``anchor``."""
        return self._insert(anchor, rule, 0)

    def append(self, rule: Rule) -> RuleSet:
        """Return a ruleset with ``rule`` at the end."""
        return RuleSet((*self.rules, rule))

    def _insert(self, anchor: str, rule: Rule, offset: int) -> RuleSet:
        ids = self.ids
        if anchor not in ids:
            raise PluginError(
                f"rule {rule.id!r} ({rule.origin}) anchors on unknown rule {anchor!r}"
            )
        index = ids.index(anchor) + offset
        return RuleSet((*self.rules[:index], rule, *self.rules[index:]))

    def run(
        self, context: Context, *, start: str | None = None, stop: str | None = None
    ) -> Context:
        """Run every phase rule over ``context`` in order, and return it.

        ``start`` and ``stop`` run part of them: from the rule ``start`` (included)
        up to the rule ``stop`` (excluded), as when a replay already done is reused.

        A rule a plugin registered that raises anything but a
        :class:`~creditrules.CreditRulesError` is stopped there. On an account of a
        provider the plugin registered (or with no registry, or a strict one), the
        assessment fails with a :class:`~creditrules.PluginError` naming the plugin
        (and its distribution, when the context has a registry) and the rule — never
        the raw exception. On an account of a provider the plugin does not own, what
        the rule did is undone and left out: a :class:`~creditrules.PluginWarning`
        names the plugin and the rule, and the assessment goes on as without it (a
        plugin's fault never breaks another provider's assessments).

        Raises:
            InputError: if the as-of date is outside the supported range or before
                the account opened (see :meth:`creditrules.Account.as_of_problems`).
            PluginError: if a plugin's rule raised.
        """
        problems = context.account.as_of_problems(context.as_of)
        if problems:
            raise InputError([InputProblem(path, message) for path, message in problems])
        provider_id = context.account.provider
        phases = self.phases()
        ids = [rule.id for rule in phases]
        first = ids.index(start) if start is not None else 0
        last = ids.index(stop) if stop is not None else len(phases)
        for rule in phases[first:last]:
            assert rule.apply is not None
            if not rule.applies_to(provider_id):
                continue
            if rule.origin == "creditrules":
                rule.apply(context)
                continue
            registry = context.registry
            foreign = (
                registry is not None
                and not registry.strict
                and registry.owner(provider_id) != rule.origin
            )
            saved = _Saved.of(context) if foreign else None
            try:
                rule.apply(context)
            except CreditRulesError:
                raise
            except Exception as exc:
                if saved is None:
                    raise PluginError(_rule_failure(rule, context, exc)) from exc
                saved.restore(context)
                warnings.warn(
                    f"{_rule_failure(rule, context, exc)}; the rule is left out of this "
                    "assessment (the account's provider is not the plugin's)",
                    PluginWarning,
                    stacklevel=2,
                )
        return context


@attrs.frozen
class _Saved:
    """What a rule may change in a context, kept to undo a foreign plugin rule that raised."""

    items: list[ItemSpec]
    events: list[Event]
    ledger: Ledger | None
    firings: int
    unknowns: list[str]
    extra: dict[str, Any]

    @classmethod
    def of(cls, context: Context) -> _Saved:
        return cls(
            list(context.items),
            list(context.events),
            context.ledger,
            len(context.firings),
            list(context.unknowns),
            dict(context.extra),
        )

    def restore(self, context: Context) -> None:
        context.items = self.items
        context.events = self.events
        context.ledger = self.ledger
        del context.firings[self.firings :]
        context.unknowns = self.unknowns
        context.extra = self.extra


def _rule_failure(rule: Rule, context: Context, exc: Exception) -> str:
    """Word the failure of a plugin's rule: the plugin, its distribution, the rule, the error."""
    who = f"plugin {rule.origin!r}"
    if context.registry is not None:
        who = context.registry.describe(rule.origin)
    return (
        f"creditrules {who} failed in its rule {rule.id!r} while assessing account "
        f"{context.account.id!r} (provider {context.account.provider!r}): "
        f"{type(exc).__name__}: {exc}"
    )


def _fired(assessment: Assessment) -> frozenset[str]:
    return frozenset(firing.rule for firing in assessment.rules)


def _ever(assessment: Assessment, name: str) -> list[Any]:
    """Every value of the policy parameter ``name`` in force on some day of the account."""
    record = assessment.record
    values = record.policy if record is not None else assessment.policy
    return [applied.value.value for applied in values if applied.value.name == name]


def _has_grace(assessment: Assessment) -> bool:
    return any(_ever(assessment, "grace_days"))


def _not_adjusted(assessment: Assessment) -> str:
    if _fired(assessment) - set(CORE_RULES.ids):  # a plugin's own rules took effect
        return ""
    return N_("The provider's plugin changed nothing for this account.")


def _no_grace_waiver(assessment: Assessment) -> str:
    if _has_grace(assessment):
        return N_(
            "No penalty was waived for payment within grace: no item was paid after its "
            "due date and within grace, or no penalty accrued meanwhile."
        )
    return N_("The policy gives no grace period (grace_days = 0).")


def _grace_never_missed(assessment: Assessment) -> str:
    if _has_grace(assessment):
        return N_("No item was still unpaid at the end of its grace period.")
    return N_("There is no grace period to miss (grace_days = 0).")


def _no_penalty(assessment: Assessment) -> str:
    fired = _fired(assessment)
    if "penalty.unknown" in fired:
        return N_("No penalty rate is known, so no penalty was computed.")
    if "grace.period" in fired:
        return N_("No penalty: every late item was paid within grace.")
    return N_("No penalty: nothing was past due.")


def _rate_always_known(assessment: Assessment) -> str:
    if "penalty.accrual" in _fired(assessment):
        return N_("A penalty rate is known for every item that was past due.")
    return N_("No item bore penalty, so no penalty rate was needed.")


def _not_repaid_early(assessment: Assessment) -> str:
    if "items.schedule" not in _fired(assessment):
        return N_("The account is not an installment loan.")
    if "prepay" in _ever(assessment, "overpayment"):
        return N_("The loan was not repaid early.")
    return N_(
        "The policy keeps a payment beyond what is due as credit, not as early "
        "repayment (overpayment = credit)."
    )


def _no_minimum_payment(assessment: Assessment) -> str:
    if "items.bills" not in _fired(assessment):
        return N_("The account is not a revolving account.")
    if any(value is not None for value in _ever(assessment, "minimum_payment_ratio")):
        return N_("No bill received at least its minimum payment while leaving a rest to revolve.")
    return N_("The policy has no minimum-payment facility (minimum_payment_ratio is unset).")


def _why_not(reason: str | Callable[[Assessment], str]) -> Mapping[str, RuleText]:
    """The texts of a core rule: English message ids, translated by the catalogues."""
    return {"en": RuleText(not_fired=reason)}


def _core_rules() -> RuleSet:
    def mechanic(
        rule_id: str,
        description: str,
        citation: str,
        not_fired: str | Callable[[Assessment], str] = "",
    ) -> Rule:
        return Rule(
            rule_id,
            description,
            citation,
            part_of="timeline.replay",
            texts=_why_not(not_fired) if not_fired else {},
        )

    return RuleSet(
        (
            Rule(
                "items.bills",
                "Each bill of a revolving account is a due item.",
                convention("A.2"),
                _engine.bill_items,
                texts=_why_not(N_("The account has no bills: it is not a revolving account.")),
            ),
            Rule(
                "items.schedule",
                "An installment loan's schedule (to the fen, last period absorbs rounding) "
                "gives one due item per period.",
                convention("A.2") + "; " + convention("A.1"),
                _engine.schedule_items,
                texts=_why_not(
                    N_("The account has no loan schedule: it is not an installment loan.")
                ),
            ),
            Rule(
                "events.order",
                "Events are replayed in date order; same-day events in a fixed order "
                "(waivers, payments, guarantor, write-off, closing), so input order never "
                "matters.",
                convention("A.5"),
                _engine.order_events,
                texts=_why_not(N_("The account has no payments or other events.")),
            ),
            Rule(
                "provider.adjust",
                "The provider's plugin applies behaviour its policy parameters cannot "
                "express (adjust_timeline hook, called once per assessment).",
                "provider plugin",
                _engine.provider_adjust,
                texts=_why_not(_not_adjusted),
            ),
            Rule(
                "timeline.replay",
                "Replays the account interval by interval: accrual, posting, allocation, "
                "grace, days past due and episodes.",
                convention("A.2–A.6"),
                _engine.replay,
            ),
            mechanic(
                "grace.period",
                "An item fully paid within grace counts as on time: no episode, and no "
                "penalty if the policy waives it.",
                convention("A.3"),
                _no_grace_waiver,
            ),
            mechanic(
                "grace.missed",
                "An item unpaid at the end of grace is delinquent; penalty runs from "
                "D+1 or from the end of grace, as the policy says.",
                convention("A.3"),
                _grace_never_missed,
            ),
            mechanic(
                "penalty.accrual",
                "Penalty accrues per day on the policy's base at its daily rate, from "
                "D+1 through the payment date inclusive, in closed form per interval.",
                convention("A.4"),
                _no_penalty,
            ),
            mechanic(
                "penalty.unknown",
                "No penalty rate is known for the item: penalty is not computed.",
                convention("A.4"),
                _rate_always_known,
            ),
            mechanic(
                "accrual.posting",
                "Accruals are rounded half-up to the fen and posted at each payment "
                "or waiver and at the as-of date.",
                convention("A.1"),
                N_("No interest or penalty accrued."),
            ),
            mechanic(
                "payment.waterfall",
                "A payment goes to the oldest open item first, and within it in the "
                "policy's allocation order.",
                convention("A.5"),
                N_("No payment was made."),
            ),
            mechanic(
                "payment.credit",
                "Money beyond everything due is kept as credit and applied to later "
                "items as they open.",
                convention("A.5"),
                N_("No payment exceeded what was due."),
            ),
            mechanic(
                "early_repayment.interest_to_date",
                "Repaying an installment loan early charges interest only to the repayment date.",
                "民法典 Art. 677",
                _not_repaid_early,
            ),
            mechanic(
                "revolving.minimum_payment",
                "A revolving bill paid at least to the minimum by the end of grace is "
                "not overdue; the rest revolves into a new item that bears revolving "
                "interest from D+1 and falls due with the next bill.",
                "revolving consumer credit as secondary explainers describe it (a minimum "
                "payment, then revolving interest on the rest); the provider sets the figures",
                _no_minimum_payment,
            ),
            mechanic(
                "waiver.applied",
                "A waiver forgives a component of the oldest items first.",
                convention("A.5"),
                N_("The lender waived nothing."),
            ),
            mechanic(
                "agreement.plan",
                "A signed repayment plan (协商还款) replaces everything owed on its date; a "
                "shortfall is waived, an excess is a plan fee.",
                "商业银行信用卡业务监督管理办法 Art. 70 (cards); no equivalent rule was found "
                "for online lenders",
                N_("No negotiated repayment plan was signed."),
            ),
            mechanic(
                "guarantor.compensation",
                "A guarantor paid the lender (代偿): the debt is now owed to the "
                "guarantor and keeps running.",
                "court case, 2025: the guarantor pays the funder and the claim passes to "
                "it (digipub.cc/dy/article/KJ3EILPC05566TBX.html)",
                N_("No guarantor paid the lender on your behalf."),
            ),
            mechanic(
                "episode.tracking",
                "An episode runs from the first day an item is past due beyond grace "
                "until everything past due, penalty included, is paid.",
                convention("A.6"),
                N_("Nothing was ever past due beyond grace: no overdue episode."),
            ),
        )
    )


#: The core ruleset, before plugins add or replace rules.
CORE_RULES: RuleSet = _core_rules()
