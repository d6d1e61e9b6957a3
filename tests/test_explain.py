"""Tests for creditrules.explain and its builder: every figure with its rule, policy and words."""

from __future__ import annotations

import ast
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

import creditrules
from creditrules import (
    Account,
    Assessment,
    Bill,
    Citation,
    Explanation,
    GuarantorPaid,
    Payment,
    PluginWarning,
    PolicyValue,
    Rule,
    RuleFiring,
    Waiver,
    assess,
    from_dict,
    get_registry,
    hookimpl,
    load_account,
    to_dict,
    to_json,
)
from creditrules._explain import build_explanation
from creditrules._i18n import split_sources
from creditrules._plugins import Registry, reset_registry
from creditrules.cli import build_cli
from creditrules.errors import PluginError
from creditrules.explain import explain
from creditrules.policy import convention
from creditrules.rules import CORE_RULES, Context, RuleText
from creditrules.testing import strategies as cs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RATE = PolicyValue("penalty_daily_rate", "0.0005", source="contract §7", grade="A")


def _revolving(*events: Any, policy: tuple[PolicyValue, ...] = (RATE,), **fields: Any) -> Account:
    payments = tuple(e for e in events if isinstance(e, Payment))
    others = tuple(e for e in events if not isinstance(e, Payment))
    return Account(
        id="demo",
        provider="generic",
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=fields.pop("bills", [Bill(date(2025, 3, 1), date(2025, 3, 10), "500.00")]),
        payments=payments,
        events=others,
        policy=policy,
        **fields,
    )


def _explain(assessment: Any, locale: str = "en", **options: Any) -> Explanation:
    """Run the builder with the installed plugins' registry."""
    return build_explanation(assessment, locale, registry=get_registry(), **options)


def _grace(days: int, **more: Any) -> tuple[PolicyValue, ...]:
    values = [RATE, PolicyValue("grace_days", days, source="contract §6", grade="A")]
    values += [
        PolicyValue(name, value, source="contract §6", grade="A") for name, value in more.items()
    ]
    return tuple(values)


# ------------------------------------------------------------------------------ figures


def test_penalty_figure_gives_days_base_and_rate() -> None:
    """A late bill's penalty figure states base × rate × days, the rounding and the policy."""
    result = assess(_revolving(Payment(date(2025, 3, 15), "501.25")), as_of=date(2025, 3, 31))
    figure = result.explain().figure("penalty:bill-2025-03-10")
    assert figure.value == "1.25"
    assert figure.rule == "penalty.accrual"
    assert figure.description == get_registry().rules["penalty.accrual"].description
    assert figure.citation == convention("A.4")
    assert "500.00 × 0.0005 × 5 days = 1.25" in figure.text
    used = {p.name: p for p in figure.policy}
    assert used["penalty_daily_rate"].value == "0.0005"
    assert used["penalty_daily_rate"].layer == "account"
    assert used["penalty_daily_rate"].source == "contract §7"
    assert used["penalty_daily_rate"].grade == "A"
    assert used["penalty_base"].layer == "default"


def test_penalty_over_several_intervals_lists_each() -> None:
    """A partial payment splits the penalty into one term per interval, each with its end date."""
    account = _revolving(Payment(date(2025, 3, 15), "200.00"), Payment(date(2025, 3, 20), "303.00"))
    text = assess(account, as_of=date(2025, 3, 31)).explain().figure("penalty:bill-2025-03-10").text
    assert "500.00 × 0.0005 × 5 days (to 2025-03-15)" in text
    assert "301.25 × 0.0005 × 5 days (to 2025-03-20)" in text


def test_days_past_due_names_the_oldest_unpaid_item() -> None:
    """The days-past-due figure names the oldest unpaid item and counts from its due date."""
    result = assess(_revolving(), as_of=date(2025, 3, 14))
    figure = result.explain().figure("days_past_due")
    assert figure.value == "4"
    assert "the bill due 2025-03-10 is still unpaid: 4 days past due" in figure.text
    zh = result.explain("zh_CN").figure("days_past_due").text
    assert zh.startswith("截至2025年3月14日，2025年3月10日到期的账单仍未还清，已逾期4天")


def test_an_item_within_grace_says_so() -> None:
    """An unpaid item still within grace is past due, and the sentence says grace still saves it."""
    result = assess(_revolving(policy=_grace(3)), as_of=date(2025, 3, 12))
    figure = result.explain().figure("days_past_due")
    assert "still within the grace period (until 2025-03-13)" in figure.text
    assert [p.name for p in figure.policy] == ["grace_days"]


def test_payment_within_grace_explains_the_waived_penalty() -> None:
    """Paid within grace: the penalty figure is 0.00 from grace.period, and accrual did not fire."""
    account = _revolving(Payment(date(2025, 3, 12), "500.00"), policy=_grace(3))
    explanation = assess(account, as_of=date(2025, 3, 31)).explain(include_not_fired=True)
    figure = explanation.figure("penalty:bill-2025-03-10")
    assert (figure.value, figure.rule) == ("0.00", "grace.period")
    assert "within the grace period (until 2025-03-13)" in figure.text
    assert "the 0.50 of penalty that accrued meanwhile is waived" in figure.text
    reasons = {r.rule: r.text for r in explanation.not_fired}
    assert reasons["penalty.accrual"] == "No penalty: every late item was paid within grace."
    assert reasons["grace.missed"] == "No item was still unpaid at the end of its grace period."


def test_missed_grace_charges_the_grace_days_back() -> None:
    """Grace missed with penalty from the due date: the figure adds the grace days charged back."""
    account = _revolving(Payment(date(2025, 3, 15), "501.25"), policy=_grace(3))
    figure = assess(account, as_of=date(2025, 3, 31)).explain().figure("penalty:bill-2025-03-10")
    assert figure.value == "1.25"
    assert "500.00 × 0.0005 × 2 days, plus the 3 days of the grace period" in figure.text
    assert {"grace_days", "penalty_from"} <= {p.name for p in figure.policy}


def test_unknown_penalty_rate() -> None:
    """Without a rate the penalty figure is 'unknown' and accrual is listed as not fired."""
    explanation = assess(_revolving(policy=()), as_of=date(2025, 3, 31)).explain(
        include_not_fired=True
    )
    figure = explanation.figure("penalty:bill-2025-03-10")
    assert (figure.value, figure.rule) == ("unknown", "penalty.unknown")
    assert "no penalty rate is known" in figure.text
    assert figure.policy[0].name == "penalty_daily_rate" and figure.policy[0].value == "unset"
    reasons = {r.rule: r.text for r in explanation.not_fired}
    assert reasons["penalty.accrual"] == "No penalty rate is known, so no penalty was computed."


def test_policy_values_are_those_in_force_when_the_penalty_accrued() -> None:
    """An effective-dated rate is cited as it was when the penalty accrued, not at as_of."""
    old = PolicyValue(
        "penalty_daily_rate",
        "0.0005",
        source="terms 2024",
        grade="B",
        effective_to=date(2025, 3, 31),
    )
    new = PolicyValue(
        "penalty_daily_rate",
        "0.0007",
        source="terms 2025",
        grade="B",
        effective_from=date(2025, 4, 1),
    )
    account = _revolving(Payment(date(2025, 3, 15), "501.25"), policy=(old, new))
    result = assess(account, as_of=date(2025, 5, 31))
    figure = result.explain().figure("penalty:bill-2025-03-10")
    rates = [(p.value, p.source) for p in figure.policy if p.name == "penalty_daily_rate"]
    assert rates == [("0.0005", "terms 2024")]
    # An assessment built without a record (no services to build one on first access).
    without_record = _explain(attrs.evolve(result, record=None, services=None))
    fallback = without_record.figure("penalty:bill-2025-03-10").policy
    assert [(p.value, p.source) for p in fallback if p.name == "penalty_daily_rate"] == [
        ("0.0007", "terms 2025")
    ]


def test_totals_episodes_and_waivers() -> None:
    """Overdue, balance, cost, the episode and a waiver each have a figure."""
    account = _revolving(
        Payment(date(2025, 3, 20), "503.00"), Waiver(date(2025, 3, 20), "penalty", "0.50")
    )
    explanation = assess(account, as_of=date(2025, 3, 31)).explain()
    assert explanation.figure("overdue").value == "0.00"
    assert explanation.figure("balance").value == "0.00"
    assert explanation.figure("cost").value == "2.50"
    episode = explanation.figure("episode:2025-03-11")
    assert episode.value == "2025-03-11 – 2025-03-20"
    assert "at most 10 days past due" in episode.text
    assert explanation.figure("waiver:2025-03-20").text == (
        "On 2025-03-20 the lender waived 0.50 of penalty."
    )


def test_credit_and_guarantor() -> None:
    """An overpayment's credit and a guarantor's payment are explained."""
    account = _revolving(
        Payment(date(2025, 3, 5), "600.00"), GuarantorPaid(date(2025, 3, 6), guarantor="G")
    )
    explanation = assess(account, as_of=date(2025, 3, 31)).explain()
    assert explanation.figure("credit").value == "100.00"
    assert explanation.figure("owed_to:2025-03-06").value == "G"


def test_report_months_and_record_dates() -> None:
    """A negative month, the record's deletion date and its relief date are explained."""
    account = _revolving(Payment(date(2025, 5, 20), "530.00"))
    result = assess(account, as_of=date(2025, 12, 31))
    explanation = result.explain()
    month = explanation.figure("report:2025-03")
    assert (month.value, month.rule, month.grade) == ("1", "pboc.status", "D")
    assert "On 2025-03-31, the day of the month's report" in month.text
    assert "21 days past due" in month.text
    assert explanation.figure("report:2025-04").value == "2"
    record = result.report.records[0] if result.report else None
    assert record is not None and record.expires_on is not None
    expiry = explanation.figure("record:2025-03:expires_on")
    assert expiry.value == record.expires_on.isoformat() == "2030-05-20"
    assert (expiry.rule, expiry.grade) == ("pboc.expires_on", "A")
    assert "Art. 16" in expiry.citation
    relief = explanation.figure("record:2025-03:hidden_from")
    assert (relief.value, relief.rule) == ("2026-01-01", "pboc-2025-one-time")
    assert "free of charge" in relief.text


def test_a_relieved_month_says_it_now_shows_n() -> None:
    """After the relief, the month's figure shows N and says why."""
    account = _revolving(Payment(date(2025, 5, 20), "530.00"))
    explanation = assess(account, as_of=date(2026, 1, 1)).explain("zh_CN")
    figure = explanation.figure("report:2025-03")
    assert figure.value == "N"
    assert "自2026年1月1日起不再展示，现显示为 N" in figure.text


def test_an_unpaid_eligible_episode_gets_the_relief_deadline() -> None:
    """An unpaid 2025 episode small enough for the relief gets its 2026-03-31 deadline."""
    explanation = assess(_revolving(), as_of=date(2026, 2, 10)).explain()
    figure = explanation.figure("record:2025-03:relief_deadline")
    assert figure.value == "2026-03-31"
    assert figure.rule == "pboc-2025-one-time"
    unpaid = explanation.figure("record:2025-03:expires_on")
    assert unpaid.rule == "pboc.unpaid"
    after = assess(_revolving(), as_of=date(2026, 4, 1)).explain()
    with pytest.raises(KeyError):
        after.figure("record:2025-03:relief_deadline")


def test_m_month_is_not_negative() -> None:
    """A month paid late before the snapshot shows M and says it is not negative."""
    account = _revolving(Payment(date(2025, 3, 15), "501.25"))
    figure = assess(account, as_of=date(2025, 3, 31)).explain().figure("report:2025-03")
    assert figure.value == "M"
    assert "M is not negative information" in figure.text


def test_early_repayment_and_not_fired_reasons() -> None:
    """The jiebei example explains its early repayment; the CLI's examples explain completely."""
    account = load_account(EXAMPLES / "jiebei.toml")
    explanation = assess(account, as_of=date(2025, 6, 30)).explain(include_not_fired=True)
    figure = explanation.figure("interest:installment-6")
    assert figure.value == "32.55"
    assert "297.31 of interest" in figure.text
    assert figure.policy[0].name == "overpayment" and figure.policy[0].value == "prepay"
    penalty = explanation.figure("penalty:installment-3")
    assert [p.name for p in penalty.policy][:2] == ["penalty_daily_rate", "penalty_rate_multiplier"]
    reasons = {r.rule: r.text for r in explanation.not_fired}
    assert reasons["items.bills"] == "The account has no bills: it is not a revolving account."
    assert "early_repayment.interest_to_date" not in reasons


def test_not_fired_on_a_revolving_account() -> None:
    """On a revolving account, early repayment did not fire because it is no loan."""
    account = _revolving(Payment(date(2025, 3, 15), "501.25"))
    explanation = assess(account, as_of=date(2025, 3, 31)).explain(include_not_fired=True)
    reasons = {r.rule: r.text for r in explanation.not_fired}
    assert reasons["early_repayment.interest_to_date"] == "The account is not an installment loan."
    assert reasons["grace.period"] == "The policy gives no grace period (grace_days = 0)."
    assert "penalty.accrual" not in reasons
    assert "timeline.replay" not in reasons  # its steps fired


def test_not_fired_is_empty_unless_asked() -> None:
    """Without include_not_fired the explanation lists only figures."""
    assert assess(_revolving(), as_of=date(2025, 3, 31)).explain().not_fired == ()


def test_revolving_interest_and_plugin_rules() -> None:
    """The huabei example explains its revolved bill, its interest and the plugin's own rule."""
    account = load_account(EXAMPLES / "huabei.toml")
    explanation = assess(account, as_of=date(2025, 6, 30)).explain()
    revolved = explanation.figure("revolved:2025-03-10")
    assert revolved.value == "1,782.00"
    assert "0.05% a day" in revolved.text
    assert explanation.figure("interest:revolved-2025-03-10").value == "27.62"
    plugin = explanation.figure("huabei.bill_installment:bill-2025-05-10")
    assert "fee = 135.00" in plugin.text
    assert plugin.policy[0].name == "bill_installment_fees"


def test_unexpected_facts_are_shown_as_they_are() -> None:
    """A firing without the facts a core rule fires (a plugin replaced it) is shown generically."""
    result = assess(_revolving(), as_of=date(2025, 3, 14))
    odd = RuleFiring("penalty.accrual", "bill-2025-03-10", (("flat_fee", "30.00"),))
    explanation = attrs.evolve(result, rules=(odd,)).explain()
    figure = explanation.figure("penalty.accrual:bill-2025-03-10")
    assert figure.text == "penalty.accrual applied to bill-2025-03-10: flat_fee = 30.00."


@attrs.frozen
class _Effect:
    cost_saved: Decimal | None = None
    negative_months_avoided: int | None = None
    record_disappears_on: date | None = None


@attrs.frozen
class _Action:
    code: str
    title: str = ""
    deadline: date | None = None
    amount: Decimal | None = None
    effect: _Effect = _Effect()
    citations: tuple[Citation, ...] = ()


class _WithActions:
    """An assessment with an ``actions`` field (as the remediation planner adds it)."""

    def __init__(self, assessment: Assessment, actions: tuple[_Action, ...]) -> None:
        self._assessment = assessment
        self.actions = actions

    def __getattr__(self, name: str) -> Any:
        return getattr(self._assessment, name)


def test_actions_are_explained_in_both_languages() -> None:
    """Each action becomes a figure with its amount, deadline, effect and citations."""
    result = assess(_revolving(), as_of=date(2025, 3, 14))
    citation = Citation("x", "Pay what is past due.", "domain brief A.6", "D")
    actions = (
        _Action(
            "pay_overdue_now",
            deadline=date(2025, 3, 31),
            amount=Decimal("502.00"),
            effect=_Effect(Decimal("8.50"), 1, None),
            citations=(citation,),
        ),
        _Action("beware_repair_scams"),
        _Action("acme.hardship", title="Ask Acme for its hardship programme"),
    )
    stub: Any = _WithActions(result, actions)
    en = _explain(stub)
    figure = en.figure("action:pay_overdue_now")
    assert figure.value == "502.00"
    assert figure.text == (
        "Pay what is past due now: 502.00 by 2025-03-31. It saves 8.50. "
        "It keeps 1 negative month off your credit report."
    )
    assert (figure.citation, figure.grade) == ("domain brief A.6", "D")
    assert en.figure("action:beware_repair_scams").text == (
        "Beware of paid 'credit repair': it is a scam."
    )
    assert en.figure("action:acme.hardship").text == "Ask Acme for its hardship programme."
    assert figure.description == "Pay what is past due."
    chinese = _explain(stub, "zh_CN").figure("action:pay_overdue_now")
    assert chinese.description == ""  # never an English rule in a Chinese explanation
    zh = chinese.text
    assert zh == (
        "立即还清逾期欠款：2025年3月31日前，金额502.00元。可节省8.50元。"
        "可避免信用报告上出现1个月的不良记录。"
    )


# ------------------------------------------------------------------------------ rules' own words

LATE_FEE = "acme.late_fee"


def _late_fee(context: Context) -> None:
    """Fire a 30.00 late fee on each bill paid after its due date."""
    for bill in context.account.bills:
        late = [p.date for p in context.account.payments if p.date > bill.due_date]
        if late:
            days = (min(late) - bill.due_date).days
            context.fire(LATE_FEE, bill.id, fee="30.00", days=days)


def _late_fee_rule(**texts: RuleText) -> Rule:
    return Rule(
        LATE_FEE,
        "Charges a late fee of 30.00 on each bill paid after its due date.",
        "Acme terms §9",
        _late_fee,
        texts=texts,
    )


ACME_TEXTS = {
    "en": RuleText(
        fired="A late fee of {fee} on {subject}, paid {days} days late.",
        not_fired="No bill was paid late, so there is no late fee.",
    ),
    "zh_CN": RuleText(
        description="每笔逾期还款的账单收取30.00元滞纳金。",
        fired="{subject}逾期{days}天还款，收取滞纳金{fee}元。",
        not_fired="没有逾期还款的账单，因此不收滞纳金。",
    ),
}


class _Acme:
    """A third-party plugin registering rules after the replay."""

    def __init__(self, *rules: Rule) -> None:
        self.rules = rules

    @hookimpl
    def register_rules(self, register: Any) -> None:
        """Register the plugin's rules."""
        for rule in self.rules:
            register(rule, after="timeline.replay")


@pytest.fixture
def acme() -> Any:
    """A factory of fresh registries with the Acme plugin's rules; the cache is reset after."""

    def load(*rules: Rule) -> Registry:
        return get_registry(extra=(("acme", _Acme(*rules)),))

    yield load
    reset_registry()


def test_a_third_party_rule_explains_itself_in_english_and_chinese(acme: Any) -> None:
    """A plugin rule's own texts say what it did, in en and in zh_CN, through explain()."""
    registry = acme(_late_fee_rule(**ACME_TEXTS))
    late = _revolving(Payment(date(2025, 3, 15), "501.25"))
    result = assess(late, as_of=date(2025, 3, 31), registry=registry)
    en = result.explain().figure(f"{LATE_FEE}:bill-2025-03-10")
    assert en.text == "A late fee of 30.00 on bill-2025-03-10, paid 5 days late."
    assert en.description == "Charges a late fee of 30.00 on each bill paid after its due date."
    assert (en.rule, en.citation) == (LATE_FEE, "Acme terms §9")
    zh = result.explain("zh-CN").figure(f"{LATE_FEE}:bill-2025-03-10")
    assert zh.text == "bill-2025-03-10逾期5天还款，收取滞纳金30.00元。"
    assert zh.description == "每笔逾期还款的账单收取30.00元滞纳金。"
    assert build_explanation(result, "zh_CN", registry=registry) == result.explain("zh_CN")


def test_a_third_party_rule_says_why_it_did_not_fire(acme: Any) -> None:
    """A plugin rule that produced nothing gives its own reason, in en and in zh_CN."""
    registry = acme(_late_fee_rule(**ACME_TEXTS))
    on_time = _revolving(Payment(date(2025, 3, 5), "500.00"))
    result = assess(on_time, as_of=date(2025, 3, 31), registry=registry)
    en = {r.rule: r for r in result.explain(include_not_fired=True).not_fired}
    assert en[LATE_FEE].text == "No bill was paid late, so there is no late fee."
    zh = {r.rule: r for r in result.explain("zh_CN", include_not_fired=True).not_fired}
    assert zh[LATE_FEE].text == "没有逾期还款的账单，因此不收滞纳金。"
    assert zh[LATE_FEE].description == "每笔逾期还款的账单收取30.00元滞纳金。"
    assert (
        "acme.late_fee：没有逾期还款的账单"
        in result.explain("zh_CN", include_not_fired=True).as_text()
    )


def test_a_rule_without_texts_is_explained_generically(acme: Any) -> None:
    """Without texts, or with a template naming a fact the firing lacks, the facts are listed."""
    for rule in (
        _late_fee_rule(),
        _late_fee_rule(en=RuleText(fired="A fee of {amount} on {subject}.")),
    ):
        registry = acme(rule)
        late = _revolving(Payment(date(2025, 3, 15), "501.25"))
        result = assess(late, as_of=date(2025, 3, 31), registry=registry)
        figure = build_explanation(result, registry=registry).figure(f"{LATE_FEE}:bill-2025-03-10")
        assert figure.text == f"{LATE_FEE} applied to bill-2025-03-10: fee = 30.00; days = 5."
        on_time = assess(_revolving(), as_of=date(2025, 3, 5), registry=registry)
        reasons = {
            r.rule: r.text
            for r in build_explanation(
                on_time, "zh_CN", registry=registry, include_not_fired=True
            ).not_fired
        }
        assert reasons[LATE_FEE] == "该规则对本账户未产生任何结果。"


def test_a_reason_can_depend_on_the_account(acme: Any) -> None:
    """A not_fired function reads the assessment; returning "" keeps the rule off the list."""

    def reason(assessment: Assessment) -> str:
        return "" if assessment.days_past_due else "Nothing was late."

    registry = acme(_late_fee_rule(en=RuleText(not_fired=reason)))
    for as_of, expected in ((date(2025, 3, 5), "Nothing was late."), (date(2025, 3, 12), None)):
        result = assess(_revolving(), as_of=as_of, registry=registry)
        explanation = build_explanation(result, registry=registry, include_not_fired=True)
        assert {r.rule: r.text for r in explanation.not_fired}.get(LATE_FEE) == expected


def test_a_failing_reason_warns_or_raises_in_strict_mode(acme: Any) -> None:
    """A reason that raises is a PluginWarning naming the rule (a PluginError when strict)."""

    def reason(assessment: Assessment) -> str:
        raise RuntimeError("boom")

    registry = acme(_late_fee_rule(en=RuleText(not_fired=reason)))
    result = assess(_revolving(), as_of=date(2025, 3, 5), registry=registry)
    with pytest.warns(PluginWarning, match="acme.late_fee.*RuntimeError: boom"):
        explanation = build_explanation(result, registry=registry, include_not_fired=True)
    assert {r.rule: r.text for r in explanation.not_fired}[LATE_FEE] == (
        "It produced nothing for this account."
    )
    strict = attrs.evolve(registry, strict=True)
    with pytest.raises(PluginError, match=r"acme\.late_fee"):
        build_explanation(result, registry=strict, include_not_fired=True)


def test_a_rule_not_for_this_provider_is_not_listed(acme: Any) -> None:
    """A rule declared for another provider is not among the rules that did not fire."""
    rule = attrs.evolve(_late_fee_rule(**ACME_TEXTS), providers=("acme",))
    registry = acme(rule)
    result = assess(_revolving(), as_of=date(2025, 3, 5), registry=registry)
    explanation = build_explanation(result, registry=registry, include_not_fired=True)
    assert LATE_FEE not in {r.rule for r in explanation.not_fired}


def test_rule_text_falls_back_to_english_then_to_the_description() -> None:
    """Rule.text(locale) takes each part from the locale, else English, else the description."""
    rule = _late_fee_rule(en=RuleText(fired="Fee {fee}.", not_fired="None."))
    assert rule.text("zh_CN") == RuleText(
        description=rule.description, fired="Fee {fee}.", not_fired="None."
    )
    assert rule.text("zh_cn") == rule.text("zh-CN") == rule.text("fr")
    assert _late_fee_rule().text() == RuleText(description=rule.description)
    assert rule == _late_fee_rule()  # the texts are not part of a rule's identity
    with pytest.raises(TypeError):
        rule.texts["en"] = RuleText()  # type: ignore[index]


def test_core_rules_say_why_they_did_not_fire() -> None:
    """Every core rule but the replay itself carries its own reason for not firing."""
    silent = [rule.id for rule in CORE_RULES if not rule.text().not_fired]
    assert silent == ["timeline.replay"]


def test_the_values_module_imports_no_builder() -> None:
    """creditrules.explain holds values only: it imports no builder, registry or composer."""
    source = Path(creditrules.explain.__file__).read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"_explain", "_plugins", "_api", "rules", "_planner"}, imported


def test_the_old_entry_point_is_deprecated() -> None:
    """creditrules.explain.explain warns and returns what Assessment.explain returns."""
    result = assess(_revolving(), as_of=date(2025, 3, 31))
    with pytest.warns(DeprecationWarning, match=r"assessment\.explain"):
        old = explain(result, "zh_CN", include_not_fired=True)
    assert old == result.explain("zh_CN", include_not_fired=True)


# ------------------------------------------------------------------------------ values


def test_explanation_round_trips_through_json() -> None:
    """An explanation serialises with to_json and loads back equal."""
    explanation = assess(_revolving(), as_of=date(2025, 3, 31)).explain(
        "zh_CN", include_not_fired=True
    )
    data = json.loads(to_json(explanation))
    assert data["locale"] == "zh_CN"
    assert data["figures"][0]["figure"] == "days_past_due"
    assert from_dict(Explanation, to_dict(explanation)) == explanation


def test_explanations_compare_equal() -> None:
    """Explaining the same assessment twice gives equal values."""
    result = assess(_revolving(), as_of=date(2025, 3, 31))
    assert result.explain("zh_CN") == result.explain("zh-CN")
    assert result.explain("en") != result.explain("zh_CN")


def test_unknown_locale_is_a_clear_error() -> None:
    """An unknown locale raises ValueError listing the available ones."""
    result = assess(_revolving(), as_of=date(2025, 3, 31))
    with pytest.raises(
        ValueError, match="no creditrules catalog for locale 'de'; available: en, zh_CN"
    ):
        result.explain("de")


def test_as_text_renders_rules_sources_and_policy() -> None:
    """as_text() shows each sentence with its rule, source and policy values, in its language."""
    result = assess(_revolving(Payment(date(2025, 3, 15), "501.25")), as_of=date(2025, 3, 31))
    text = result.explain(include_not_fired=True).as_text()
    assert text.startswith("Explanation of demo as of 2025-03-31\n")
    assert "  Rule penalty.accrual: Penalty accrues per day" in text
    assert f"  Source: {convention('A.4')}\n" in text
    assert "  Policy penalty_daily_rate (daily penalty rate) = 0.0005: your account file, " in text
    assert "\nRules that did not fire\n" in text
    zh = result.explain("zh_CN", include_not_fired=True).as_text()
    assert zh.startswith("账户 demo 截至2025年3月31日的计算说明\n")
    assert "  规则 penalty.accrual：罚息按政策规定的计算基数和日利率逐日计算" in zh
    assert (
        "参数 penalty_daily_rate（罚息日利率）= 0.0005：您的账户文件，可信度 A，来源：contract §7"
        in zh
    )
    assert "\n未触发的规则\n" in zh


@given(cs.accounts(provider=None), st.data())
def test_every_figure_is_explained_for_any_account(account: Account, data: st.DataObject) -> None:
    """For any account: DPD, penalties, negative months and records have figures; ids unique."""
    as_of = data.draw(cs.as_of_dates(account))
    result = assess(account, as_of=as_of)
    for locale in ("en", "zh_CN"):
        explanation = result.explain(locale, include_not_fired=True)
        ids = [f.figure for f in explanation.figures]
        assert len(ids) == len(set(ids))
        assert explanation.figure("days_past_due").value == str(result.days_past_due)
        accrued = {f.subject for f in result.rules if f.rule == "penalty.accrual"}
        for item in result.items:
            if item.id in accrued:
                figure = explanation.figure(f"penalty:{item.id}")
                assert figure.value == f"{item.charged.penalty:,.2f}"
        report = result.report
        assert report is not None
        for month, code in report.history.items():
            if month in report.months and code not in ("N", "*", "/", "C"):
                assert explanation.figure(f"report:{month}").value == report.months[month]
        for record in report.records:
            assert explanation.figure(f"record:{record.first_month}:expires_on")
        fired = {f.rule for f in result.rules}
        unfired = [r.rule for r in explanation.not_fired]
        assert len(unfired) == len(set(unfired))
        assert not fired & set(unfired)
        assert set(unfired) <= set(result.ruleset)


# ------------------------------------------------------------------------------ command line


def _file(tmp_path: Path, account: Account | None = None) -> str:
    from creditrules import dump_account

    path = tmp_path / "account.toml"
    path.write_text(dump_account(account or _revolving()), encoding="utf-8")
    return str(path)


def _invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env={"COLUMNS": "100", **(env or {})}).invoke(build_cli(), list(args))


def test_cli_explain_in_chinese(tmp_path: Path) -> None:
    """`explain --lang zh_CN` prints the Chinese explanation and the decision record."""
    result = _invoke("explain", _file(tmp_path), "--as-of", "2025-03-14", "--lang", "zh_CN")
    assert result.exit_code == 0, result.output
    assert "账户 demo 截至2025年3月14日的计算说明" in result.output
    assert "已逾期4天" in result.output
    assert "决策记录：creditrules " in result.output
    assert "政策哈希 sha256:" in result.output


def test_cli_explain_language_from_the_environment(tmp_path: Path) -> None:
    """CREDITRULES_LANG sets the default language of `explain`."""
    result = _invoke(
        "explain", _file(tmp_path), "--as-of", "2025-03-14", env={"CREDITRULES_LANG": "zh_CN"}
    )
    assert result.exit_code == 0, result.output
    assert "计算说明" in result.output


def test_cli_explain_all_and_json(tmp_path: Path) -> None:
    """`explain --all` lists the rules that did not fire; `--json` prints the value."""
    path = _file(tmp_path)
    text = _invoke("explain", path, "--as-of", "2025-03-14", "--all")
    assert text.exit_code == 0, text.output
    assert "Rules that did not fire" in text.output
    assert (
        "• early_repayment.interest_to_date: The account is not an installment loan." in text.output
    )
    data = json.loads(_invoke("explain", path, "--as-of", "2025-03-14", "--json").output)
    assert data["locale"] == "en"
    assert data["figures"][0] == {
        "figure": "days_past_due",
        "value": "4",
        "rule": "timeline.replay",
        "description": get_registry().rules["timeline.replay"].description,
        "citation": convention("A.2–A.6"),
        "text": "On 2025-03-14, the bill due 2025-03-10 is still unpaid: 4 days past due (day 1 "
        "is the day after the due date).",
        "policy": [],
        "grade": "",
    }
    assert data["record"]["account_id"] == "demo"


def test_cli_assess_and_report_with_lang(tmp_path: Path) -> None:
    """`assess --explain` adds the explanation; `report --explain` the report's figures only."""
    path = _file(tmp_path)
    assessed = _invoke("assess", path, "--as-of", "2025-04-30", "--lang", "zh_CN", "--explain")
    assert assessed.exit_code == 0, assessed.output
    assert "逾期天数" in assessed.output  # the usual view first, in Chinese too
    assert "2025年3月10日到期的账单的罚息" in assessed.output
    reported = _invoke("report", path, "--as-of", "2025-04-30", "--lang", "en", "--explain")
    assert reported.exit_code == 0, reported.output
    assert "2025-03: 1 (1–30 days past due). On 2025-03-31" in reported.output
    assert "2025-04: 2 (31–60 days past due)" in reported.output
    assert "Penalty on" not in reported.output
    plain = _invoke("assess", path, "--as-of", "2025-04-30")
    assert "Explanation of" not in plain.output


def test_cli_lang_errors(tmp_path: Path) -> None:
    """An unknown --lang, or --explain with --json, is a usage error (exit 2)."""
    path = _file(tmp_path)
    unknown = _invoke("assess", path, "--lang", "fr")
    assert unknown.exit_code == 2
    assert "'en', 'zh_CN'" in unknown.output
    both = _invoke("report", path, "--explain", "--json")
    assert both.exit_code == 2
    assert "creditrules explain FILE --json" in both.output


# ------------------------------------------------------------------------------ layout and sources


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_the_explanation_is_laid_out_at_the_console_width(locale: str) -> None:
    """render_explanation wraps every line of as_text() under its start, within 80 cells."""
    from rich.cells import cell_len
    from rich.console import Console

    from creditrules._render.explanation import render_explanation

    result = assess(_revolving(Payment(date(2025, 3, 15), "501.25")), as_of=date(2025, 3, 31))
    explanation = result.explain(locale, include_not_fired=True)
    console = Console(width=80, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(render_explanation(explanation, record=True))
    lines = console.export_text().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert max(cell_len(line) for line in explanation.as_text().splitlines()) > 80
    assert "".join("".join(lines).split()).startswith("".join(explanation.as_text().split()))
    assert any(line.startswith("  ") and not line.startswith("   ") for line in lines)


def test_sources_are_cited_in_the_explanations_language() -> None:
    """Citations and policy sources are in Chinese legal style, source by source, in zh_CN."""
    result = assess(_revolving(Payment(date(2025, 5, 20), "530.00")), as_of=date(2025, 12, 31))
    zh = result.explain("zh_CN")
    assert zh.figure("days_past_due").citation.startswith("creditrules 计算约定 A.2–A.6（docs/")
    expiry = zh.figure("record:2025-03:expires_on")
    assert expiry.citation == "《征信业管理条例》（国务院令第631号）第十六条"
    assert result.explain().figure("record:2025-03:expires_on").citation.endswith("Art. 16")
    status = zh.figure("report:2025-03").citation
    assert status.startswith("解析人民银行征信报告的公开代码")
    assert "；creditrules 计算约定 A.7" in status
    used = {use.name: use for use in zh.figure("penalty:bill-2025-03-10").policy}
    assert used["penalty_daily_rate"].source == "contract §7"
    assert split_sources("a (b; c); d") == ("a (b; c)", "d")
