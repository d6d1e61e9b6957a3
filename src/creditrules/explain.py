"""Explanations: every figure of an assessment, the rule behind it, and why, in words.

:meth:`creditrules.Assessment.explain` turns an assessment into an
:class:`Explanation`: an ordered tuple of :class:`ExplainedFigure` s — the days
past due, what is past due and owed, the cost, each item's penalty (days, base
and rate), each overdue episode, each month of the credit report that is
negative or ``M``, each negative record's deletion or relief date and each
recommended action — every one with the rule that produced it (its
description and citation), the policy values it used (value, layer, source and
confidence grade) and a sentence in the chosen language. On request it also
lists the rules that did **not** fire, and why: each rule says so itself, in
its :attr:`~creditrules.Rule.texts`.

This module holds the values; the sentences go through the gettext catalogues
shipped in ``creditrules/locale`` (domain ``creditrules``): ``en`` and
``zh_CN``.

>>> from datetime import date
>>> from creditrules import Account, Bill, Payment, PolicyValue, assess
>>> account = Account(
...     id="demo", provider="generic", product="revolving", opened_on=date(2025, 1, 1),
...     bills=[Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")],
...     payments=[Payment(date(2025, 3, 15), "501.25")],
...     policy=[PolicyValue("penalty_daily_rate", "0.0005", source="contract §7", grade="A")],
... )
>>> result = assess(account, as_of=date(2025, 3, 31))
>>> figure = result.explain().figure("penalty:bill-2025-03-10")
>>> figure.value, figure.rule, [(p.name, p.value, p.layer) for p in figure.policy][:1]
('1.25', 'penalty.accrual', [('penalty_daily_rate', '0.0005', 'account')])
>>> print(figure.text)  # doctest: +NORMALIZE_WHITESPACE
Penalty on the bill due 2025-03-10: 500.00 × 0.0005 × 5 days = 1.25, charged as 1.25
(rounded half-up to the fen).
>>> print(result.explain("zh_CN").figure("penalty:bill-2025-03-10").text)
2025年3月10日到期的账单的罚息：500.00 × 0.0005 × 5天 = 1.25，计收1.25元（四舍五入到分）。

Maintaining the catalogues: every message is an English ``msgid`` in
``locale/<locale>/LC_MESSAGES/creditrules.po``; after editing a ``.po`` file,
compile it with ``pybabel compile -D creditrules -d src/creditrules/locale``
(Babel, in the ``dev`` extra). The tests check that every message used in the
explanations, the core rules' texts or the command line, every core rule
description and every citation of the built-in bureau is in both catalogues and
translated into Chinese, and that the ``.mo`` files are up to date.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import TYPE_CHECKING

import attrs

from ._convert import ACCOUNT_FILE_SOURCE
from ._i18n import DOMAIN, LOCALE_DIR, N_, Messages, available_locales, translation
from .policy import PARAMETERS, convention
from .record import DecisionRecord

if TYPE_CHECKING:
    from .assessment import Assessment

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "ExplainedFigure",
    "Explanation",
    "PolicyUse",
    "UnfiredRule",
    "available_locales",
    "explain",
    "translation",
]


@attrs.frozen
class PolicyUse:
    """A policy value a figure used.

    Attributes:
        name: The parameter (``penalty_daily_rate``).
        value: Its value, as text.
        layer: ``"default"`` (engine convention), ``"provider"`` or ``"account"``.
        source: Where the value comes from (URL, legal citation, contract clause), in
            the explanation's language: the provider's own translation, else legal style
            (《征信业管理条例》第十六条).
        grade: Confidence grade ``A``–``D``.
        note: What a reader should know about the value, if anything (translated
            where the provider or the catalogue gives a translation).
    """

    name: str
    value: str
    layer: str
    source: str
    grade: str
    note: str = ""


@attrs.frozen
class ExplainedFigure:
    """One figure of an assessment, the rule behind it and a sentence saying why.

    Attributes:
        figure: Stable id: ``days_past_due``, ``overdue``, ``balance``, ``cost``,
            ``credit``, ``penalty:<item>``, ``revolved:<due date>``, ``interest:<item>``,
            ``owed_to:<date>``, ``waiver:<date>``, ``episode:<start>``,
            ``report:<YYYY-MM>``, ``record:<first month>:expires_on`` (or
            ``:hidden_from``, ``:relief_deadline``), ``action:<code>``, or
            ``<rule>:<subject>`` for a plugin's rule.
        value: The figure as text (an amount, a date, a status code, a count).
        rule: The id of the rule that produced it (a ruleset rule, a bureau rule
            such as ``pboc.expires_on``, a relief id, or ``action.<code>``).
        description: What the rule says, in the explanation's language where the
            catalog has it.
        citation: The law, policy or convention the rule rests on, cited in the
            explanation's language (in Chinese: 《征信业管理条例》第十六条).
        text: The sentence explaining the figure, in the explanation's language.
        policy: The policy values used, with layer, source and grade.
        grade: The rule's confidence grade, where it has one (bureau rules, reliefs).
    """

    figure: str
    value: str
    rule: str
    description: str
    citation: str
    text: str
    policy: tuple[PolicyUse, ...] = ()
    grade: str = ""


@attrs.frozen
class UnfiredRule:
    """A rule in force that produced nothing for this account, and why.

    Attributes:
        rule: The rule id.
        description: What the rule says (translated where the catalog has it).
        citation: What it rests on, cited in the explanation's language.
        text: Why it did not fire, in the explanation's language.
    """

    rule: str
    description: str
    citation: str
    text: str


@attrs.frozen
class Explanation:
    """Why an assessment's figures are what they are, in one language.

    Serialise it with :func:`creditrules.to_json`; render it for people with
    :meth:`as_text`.

    Attributes:
        account_id: The account's id.
        as_of: The assessment date.
        locale: The language of the sentences (``en``, ``zh_CN``).
        figures: Every figure, in reading order.
        not_fired: With ``include_not_fired``, the rules that did not fire and why.
        record: The assessment's decision record, if it has one.
    """

    account_id: str
    as_of: date
    locale: str
    figures: tuple[ExplainedFigure, ...]
    not_fired: tuple[UnfiredRule, ...] = ()
    record: DecisionRecord | None = None

    def figure(self, figure_id: str) -> ExplainedFigure:
        """Return the figure with this id.

        Raises:
            KeyError: if there is none.
        """
        for figure in self.figures:
            if figure.figure == figure_id:
                return figure
        raise KeyError(figure_id)

    def by_rule(self, rule: str) -> tuple[ExplainedFigure, ...]:
        """Return the figures produced by ``rule``."""
        return tuple(f for f in self.figures if f.rule == rule)

    def as_text(self) -> str:
        """Render the explanation as plain text, one block per figure (for the terminal).

        Returns:
            The text, in the explanation's language, without trailing newline.
        """
        tr = Messages(self.locale)
        lines = [_title(self, tr)]
        for figure in self.figures:
            first, *details = _figure_lines(figure, tr)
            lines += ["", f"• {first}", *(f"  {line}" for line in details)]
        if self.not_fired:
            lines += ["", tr._("Rules that did not fire")]
            lines += [f"• {line}" for line in _unfired_lines(self, tr)]
        return "\n".join(lines)


def _title(explanation: Explanation, tr: Messages) -> str:
    """The first line of an explanation's text: whose explanation, as of when."""
    return tr._(
        "Explanation of {account} as of {date}",
        account=explanation.account_id,
        date=tr.date(explanation.as_of),
    )


def _figure_lines(figure: ExplainedFigure, tr: Messages) -> list[str]:
    """A figure's lines: its sentence, then its rule, its source and the policy it used."""
    lines = [figure.text]
    if figure.description:
        lines.append(
            tr._("Rule {rule}: {description}", rule=figure.rule, description=figure.description)
        )
    else:
        lines.append(tr._("Rule {rule}", rule=figure.rule))
    if figure.citation:
        if figure.grade:
            lines.append(
                tr._(
                    "Source: {citation} (grade {grade})",
                    citation=figure.citation,
                    grade=figure.grade,
                )
            )
        else:
            lines.append(tr._("Source: {citation}", citation=figure.citation))
    lines.extend(_policy_line(tr, use) for use in figure.policy)
    return lines


def _unfired_lines(explanation: Explanation, tr: Messages) -> list[str]:
    """One line per rule that did not fire: the rule and why."""
    return [
        tr._("{rule}: {reason}", rule=rule.rule, reason=rule.text) for rule in explanation.not_fired
    ]


#: Short names of the policy parameters, for people.
_PARAMETER_LABELS = {
    "grace_days": N_("grace period in days"),
    "grace_waives_penalty": N_("no penalty if paid within grace"),
    "penalty_from": N_("penalty runs from"),
    "penalty_daily_rate": N_("daily penalty rate"),
    "penalty_rate_multiplier": N_("penalty rate as a multiple of the contract rate"),
    "penalty_base": N_("what the penalty accrues on"),
    "penalty_cap": N_("cap on the annual penalty rate"),
    "day_basis": N_("days per year"),
    "allocation_order": N_("order in which a payment is applied"),
    "overpayment": N_("what a payment beyond what is due does"),
    "minimum_payment_ratio": N_("minimum payment ratio"),
    "revolving_daily_rate": N_("daily revolving interest rate"),
    "bill_installment_fees": N_("bill installment fee rates"),
    "max_term_months": N_("longest term in months"),
    "max_principal": N_("largest principal"),
    "negotiation_max_term_months": N_("longest negotiated plan in months"),
    "negotiation_penalty_stops": N_("penalty stops under a negotiated plan"),
    "bureau": N_("credit bureau"),
    "snapshot": N_("monthly report day"),
}
_LAYERS = {
    "default": N_("engine default"),
    "provider": N_("provider policy"),
    "account": N_("your account file"),
}


def _policy_line(tr: Messages, use: PolicyUse) -> str:
    source = use.source
    if use.source == ACCOUNT_FILE_SOURCE:
        source = tr._(
            "stated in your account file (from your contract); creditrules cannot verify it"
        )
    elif use.layer == "default" and use.name in PARAMETERS:
        source = tr.source(convention(PARAMETERS[use.name].spec))
    layer = tr._(_LAYERS[use.layer]) if use.layer in _LAYERS else use.layer
    label = _PARAMETER_LABELS.get(use.name)
    if label is None:
        return tr._(
            "Policy {name} = {value}: {layer}, grade {grade}, {source}",
            name=use.name,
            value=use.value,
            layer=layer,
            grade=use.grade,
            source=source,
        )
    return tr._(
        "Policy {name} ({label}) = {value}: {layer}, grade {grade}, {source}",
        name=use.name,
        label=tr._(label),
        value=use.value,
        layer=layer,
        grade=use.grade,
        source=source,
    )


def explain(
    assessment: Assessment,
    locale: str = "en",
    *,
    include_not_fired: bool = False,
    ruleset: object = None,
) -> Explanation:
    """Explain every figure of ``assessment`` (deprecated: warns a DeprecationWarning).

    Call :meth:`creditrules.Assessment.explain` instead: it explains with the rules
    and bureau of the registry the assessment was made with.

    Args:
        assessment: The assessment.
        locale: ``"en"`` or ``"zh_CN"`` (``"zh-CN"`` works too).
        include_not_fired: Also list the rules in force that did not fire, and why.
        ruleset: No longer used: the rules are those of the assessment's registry.

    Returns:
        The frozen :class:`Explanation`.

    Raises:
        ValueError: if there is no catalogue for ``locale``; the message lists those available.
    """
    warnings.warn(
        "creditrules.explain.explain() is deprecated; call assessment.explain(locale, "
        "include_not_fired=...) instead",
        DeprecationWarning,
        stacklevel=2,
    )
    return assessment.explain(locale, include_not_fired=include_not_fired)
