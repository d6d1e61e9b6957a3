"""The provider conformance suite: it passes a good provider and names what a broken one breaks.

Broken providers are registered in-process (``get_registry(extra=...)``); the suite's
test methods are called directly, and the plain ``check_*`` functions are asserted on
hand-made accounts, so no pytest runs inside pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import creditrules
from creditrules import (
    Account,
    Bill,
    Context,
    InputError,
    LoanTerms,
    Payment,
    PolicyValue,
    Provider,
    ProviderFact,
    hookimpl,
)
from creditrules._plugins import get_registry, reset_registry
from creditrules.testing.conformance import (
    FEATURES,
    ProviderConformance,
    check_figures_in_range,
    check_golden_case,
    check_limit,
    check_money_conserved,
    check_order_independent,
    check_paid_on_time,
    check_penalty_monotone,
    check_policy_sources,
    check_readme,
    check_round_trip,
    check_unknowns,
    check_versions,
    golden_case_paths,
    load_golden_case,
)

RATE = PolicyValue("penalty_daily_rate", "0.0005", source="Broken Co. terms §7", grade="B")
CONTRACT = PolicyValue("penalty_daily_rate", "0.0005", source="contract §8", grade="A")
GRACE = PolicyValue("grace_days", 0, source="Broken Co. terms §8", grade="C")
MARCH = Bill(date(2025, 3, 1), date(2025, 3, 10), "1000.00")


# ----------------------------------------------------------------- broken providers


def _without_source() -> Provider:
    """A provider with a policy value whose source was blanked, and a grade E."""
    blank = attrs.evolve(RATE)
    object.__setattr__(blank, "source", "")  # PolicyValue refuses this; a plugin might not
    graded = attrs.evolve(GRACE)
    object.__setattr__(graded, "grade", "E")
    fact = ProviderFact("reporter", "Reports monthly.", source="Broken Co. report", grade="B")
    object.__setattr__(fact, "source", " ")
    return Provider(
        id="broken-source", products=("revolving",), policy=(blank, graded), facts=(fact,)
    )


def _overlapping() -> Provider:
    """A provider whose two versions of grace_days are both in force from 2025."""
    provider = Provider(id="broken-versions", products=("revolving",), policy=(RATE,))
    later = PolicyValue(
        "grace_days", 3, source="Broken Co. notice 2025", grade="B", effective_from=date(2025, 1, 1)
    )
    object.__setattr__(provider, "policy", (RATE, GRACE, later))  # Provider refuses this
    return provider


class BrokenPlugin:
    """An in-process plugin registering providers that break the conformance rules."""

    @hookimpl
    def register_providers(self, register: Any) -> None:
        """Register the broken providers."""
        for name in ("broken-penalty", "broken-order", "broken-negative"):
            register(Provider(id=name, products=("revolving",), policy=(RATE, GRACE)))
        register(Provider(id="broken-fee", products=("revolving",), policy=(GRACE,)))
        register(  # not broken: every account must give its contract's penalty rate
            Provider(
                id="contract-rate",
                products=("revolving",),
                required=(("penalty_daily_rate", "no public source states it"),),
            )
        )
        register(_without_source())
        register(_overlapping())

    @hookimpl
    def adjust_timeline(self, provider: Provider, context: Context) -> None:
        """Break the timeline, one way per provider."""
        if provider.id == "broken-penalty":
            # Counts lateness backwards: a payment d days (1–60) after the last due date
            # before it is booked 61 - d days after it, so paying later costs less.
            dues = sorted({item.due_date for item in context.items})
            events = []
            for event in context.events:
                passed = [day for day in dues if day < event.date]
                if isinstance(event, Payment) and passed and event.date not in dues:
                    late = (event.date - passed[-1]).days
                    if late <= 60:
                        event = attrs.evolve(event, date=passed[-1] + timedelta(days=61 - late))
                events.append(event)
            context.events = sorted(events, key=lambda e: e.date)
        elif provider.id == "broken-order" and context.account.payments:
            # Drops the payment listed first in the file, whatever its date.
            first = context.account.payments[0]
            context.events = [e for e in context.events if e is not first]
        elif provider.id == "broken-negative":
            # Gives every item a negative fee, as a bad rounding split might.
            context.items = [attrs.evolve(i, fees=Decimal("-0.02")) for i in context.items]
        elif provider.id == "broken-fee":
            # Charges 1.00 of penalty on every item, even one paid on time.
            context.items = [attrs.evolve(i, penalty=Decimal("1.00")) for i in context.items]


@pytest.fixture
def broken() -> Iterator[None]:
    """Register the broken providers in-process for one test."""
    get_registry(extra=(("broken", BrokenPlugin()),))
    yield
    reset_registry()


FAST = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class BrokenPenaltySuite(ProviderConformance):
    provider_id = "broken-penalty"
    hypothesis_settings = FAST


class BrokenOrderSuite(ProviderConformance):
    provider_id = "broken-order"
    hypothesis_settings = FAST


class BrokenFeeSuite(ProviderConformance):
    provider_id = "broken-fee"
    hypothesis_settings = FAST


def _account(provider: str, *payments: Payment, **fields: Any) -> Account:
    """A revolving account with March's 1,000.00 bill."""
    return Account(
        id="t",
        provider=provider,
        product="revolving",
        opened_on=date(2025, 1, 1),
        bills=(MARCH,),
        payments=payments,
        **fields,
    )


# ----------------------------------------------------------------- a good provider


class TestGenericConformance(ProviderConformance):
    """The suite itself passes on the built-in generic provider (with a contract rate)."""

    provider_id = "generic"
    account_policy = (CONTRACT,)


# ----------------------------------------------------------------- penalty


def test_suite_fails_a_penalty_that_decreases_with_lateness(broken: None) -> None:
    """The monotonicity check fails a provider whose penalty shrinks as payments come later."""
    with pytest.raises(
        AssertionError,
        match=r"penalty decreased from [\d.]+ to [\d.]+ when the payment of [\d.]+ on "
        r"\d{4}-\d\d-\d\d moved to \d{4}-\d\d-\d\d",
    ):
        BrokenPenaltySuite().test_penalty_never_decreases_when_paying_later()


def test_penalty_message_names_the_payment_and_the_figures(broken: None) -> None:
    """The message says by how much the penalty fell and which payment moved where."""
    account = _account("broken-penalty", Payment(date(2025, 3, 15), "1002.50"))
    problems = check_penalty_monotone(account, payment=0, days=1, as_of=date(2025, 6, 30))
    assert problems == [
        "penalty decreased from 28.71 to 28.21 when the payment of 1002.50 on 2025-03-15 "
        "moved to 2025-03-16 (as of 2025-06-30)"
    ]


def test_penalty_that_grows_with_lateness_passes() -> None:
    """A payment moved later on a well-behaved provider is no problem."""
    account = _account("generic", Payment(date(2025, 3, 15), "1002.50"), policy=(CONTRACT,))
    assert check_penalty_monotone(account, payment=0, days=10, as_of=date(2025, 6, 30)) == []


# ----------------------------------------------------------------- sources and versions


def test_suite_fails_a_policy_value_without_source(broken: None) -> None:
    """A value with an empty source or a grade outside A–D fails, each named."""
    with pytest.raises(AssertionError) as failure:
        suite_for("broken-source").test_policy_values_are_sourced()
    assert str(failure.value).splitlines() == [
        "policy value penalty_daily_rate has no source",
        "policy value grace_days has grade 'E', not one of A, B, C, D",
        "fact reporter has no source",
    ]


def test_suite_fails_overlapping_versions(broken: None) -> None:
    """Two versions of one parameter in force on the same day fail, with their dates."""
    with pytest.raises(AssertionError) as failure:
        suite_for("broken-versions").test_versions_do_not_overlap()
    assert str(failure.value) == (
        "versions of grace_days overlap: always–open and 2025-01-01–open "
        "(both in force on 2025-01-01)"
    )


def test_versions_that_end_before_they_start_are_named() -> None:
    """A version whose effective_to precedes its effective_from is reported."""
    value = PolicyValue("grace_days", 0, source="x", grade="A", effective_from=date(2025, 1, 1))
    object.__setattr__(value, "effective_to", date(2024, 1, 1))
    provider = Provider(id="p")
    object.__setattr__(provider, "policy", (value,))
    assert check_versions(provider) == [
        "a version of grace_days ends on 2024-01-01, before it starts on 2025-01-01"
    ]


def test_unknown_parameter_without_reason_is_named() -> None:
    """A parameter listed as unknown must say why."""
    provider = Provider(id="p", unknown=(("grace_days", " "),))
    assert check_policy_sources(provider) == ["unknown parameter grace_days gives no reason"]


def test_built_in_providers_are_sourced_and_do_not_overlap() -> None:
    """The installed providers pass the provider-level checks."""
    for provider in get_registry().providers.values():
        assert check_policy_sources(provider) == []
        assert check_versions(provider) == []


def test_readme_must_name_every_value() -> None:
    """The README check names each parameter the README leaves out."""
    provider = Provider(id="p", policy=(RATE,), unknown=(("grace_days", "not published"),))
    assert check_readme(provider, "| penalty_daily_rate | 0.0005 |") == [
        "the README does not mention grace_days, which the provider lists as unknown: "
        "say what that means for users"
    ]
    assert check_readme(provider, "grace_days")[0].startswith(
        "the README does not mention policy value penalty_daily_rate"
    )


# ----------------------------------------------------------------- order, money, on time


def test_suite_fails_a_result_that_depends_on_event_order(broken: None) -> None:
    """A provider that reads the input order fails the order check, naming what changed."""
    with pytest.raises(AssertionError, match="changed when the payments and events were listed"):
        BrokenOrderSuite().test_event_order_does_not_matter()


def test_order_and_money_messages(broken: None) -> None:
    """Dropping a payment is reported as unconserved money and as order dependence."""
    first, second = Payment(date(2025, 3, 5), "600.00"), Payment(date(2025, 3, 8), "400.00")
    account = _account("broken-order", first, second)
    as_of = date(2025, 3, 31)
    assert check_money_conserved(account, as_of) == [
        "money is not conserved as of 2025-03-31: payments up to that day total 1000.00, "
        "but 400.00 was allocated and 0.00 kept as credit (600.00 unaccounted for)"
    ]
    reordered = attrs.evolve(account, payments=(second, first))
    assert check_order_independent(account, reordered, as_of) == [
        "the assessment as of 2025-03-31 changed when the payments and events were listed in "
        "another order: balance.principal: 600.00 vs 400.00; balance.penalty: 6.30 vs 4.20; "
        "balance.total: 606.30 vs 404.20"
    ]


def test_suite_fails_a_penalty_charged_on_time(broken: None) -> None:
    """A provider that charges items paid on time fails the on-time check."""
    with pytest.raises(AssertionError, match="paying every due item in full on its due date"):
        BrokenFeeSuite().test_paying_on_time_costs_nothing()


def test_on_time_messages(broken: None) -> None:
    """Each consequence of a charge on an on-time item is named."""
    problems = check_paid_on_time(_account("broken-fee"), date(2025, 4, 30))
    what = "paying every due item in full on its due date (as of 2025-04-30)"
    assert problems == [
        f"{what} charged a penalty of 1.00 (bill-2025-03-10)",
        f"{what} opened an overdue episode starting 2025-03-11 (items bill-2025-03-10)",
        f"{what} left the account 51 days past due",
        f"{what} left 1.00 past due",
        f"{what} put the negative code '1' on the credit report for 2025-03",
        f"{what} put the negative code '2' on the credit report for 2025-04",
    ]


def test_negative_figures_are_named(broken: None) -> None:
    """A negative fee on an item is reported with the item, the figure and the date."""
    problems = check_figures_in_range(_account("broken-negative"), date(2025, 3, 5))
    assert problems == [
        "balance fees is -0.02 (as of 2025-03-05)",
        "charged fees is -0.02 (as of 2025-03-05)",
        "item bill-2025-03-10 has scheduled fees of -0.02 (as of 2025-03-05)",
        "item bill-2025-03-10 has charged fees of -0.02 (as of 2025-03-05)",
        "item bill-2025-03-10 has outstanding fees of -0.02 (as of 2025-03-05)",
    ]


def test_penalty_without_a_rate_is_reported(broken: None) -> None:
    """A penalty charged when no rate is known fails the unknowns check."""
    assert check_unknowns(_account("generic"), date(2025, 3, 31)) == []
    assert check_unknowns(_account("broken-fee"), date(2025, 3, 31)) == [
        "a penalty of 1.00 was charged as of 2025-03-31, although neither the provider nor "
        "the account states a penalty rate"
    ]


def test_unknown_parameters_must_be_reported(broken: None) -> None:
    """Fenqile's unknown penalty, grace and base are reported when the account omits them."""
    loan = LoanTerms("1200.00", 12, "equal_installment", date(2025, 1, 20), annual_rate="0.15")
    account = Account(
        id="t", provider="fenqile", product="installment", opened_on=date(2025, 1, 20), loan=loan
    )
    assert check_unknowns(account, date(2025, 4, 30)) == []


def test_round_trip_of_a_good_account() -> None:
    """A plain account and its assessment survive saving and loading."""
    account = _account("generic", Payment(date(2025, 3, 15), "1002.50"), policy=(CONTRACT,))
    assert check_round_trip(account, date(2025, 4, 30)) == []


# ----------------------------------------------------------------- limits


def test_accepted_breach_is_named() -> None:
    """An account the provider should refuse but accepts is reported with the path."""
    loan = LoanTerms("1000.00", 48, "equal_installment", date(2025, 1, 1), annual_rate="0.1")
    account = Account(
        id="t", provider="generic", product="installment", opened_on=date(2025, 1, 1), loan=loan
    )
    assert check_limit(account, path="$.loan.term_months", what="a loan of 48 months") == [
        "a loan of 48 months was accepted: assess must raise InputError at $.loan.term_months"
    ]


def test_breach_refused_elsewhere_is_named() -> None:
    """A refusal at another path than the limit's is reported too."""
    account = _account("no-such-provider")
    (message,) = check_limit(account, path="$.loan.term_months", what="a long loan")
    assert message.startswith("a long loan was refused, but not at $.loan.term_months: ")
    assert "unknown provider" in message


def test_suite_checks_values_required_from_the_contract(broken: None) -> None:
    """A provider with [required] values passes; an account without one must be refused."""
    suite = suite_for("contract-rate", hypothesis_settings=FAST)
    suite.test_limits_raise_input_error()
    suite.test_money_is_conserved()
    account = _account("contract-rate")
    assert check_limit(account, path="$.policy.penalty_daily_rate", what="no rate") == []


def test_suite_checks_the_limits_of_a_provider_that_declares_them() -> None:
    """For fenqile the suite generates installment-only, over-36-month and revolving breaches."""
    suite_for("fenqile", account_policy=(CONTRACT,)).test_limits_raise_input_error()


# ----------------------------------------------------------------- declarations


def suite_for(provider_id: str, **attributes: Any) -> ProviderConformance:
    """An instance of a ProviderConformance subclass for ``provider_id``."""
    cls = type("Suite", (ProviderConformance,), {"provider_id": provider_id, **attributes})
    suite: ProviderConformance = cls()
    return suite


def test_unknown_feature_is_refused() -> None:
    """Declaring an unsupported feature that does not exist is an error naming the known ones."""
    suite = suite_for("generic", unsupported={"refinancing"})
    with pytest.raises(ValueError, match=r"unknown features \['refinancing'\]; known: revolving"):
        suite.account_strategy()
    assert "waiver" in FEATURES and "equal_principal" in FEATURES


def test_unsupported_features_are_not_generated() -> None:
    """Unsupported products, methods and events never appear in the generated accounts."""
    suite = suite_for(
        "generic", unsupported={"revolving", "interest_first", "waiver", "written_off"}
    )

    @settings(max_examples=30, deadline=None, database=None)
    @given(suite.account_strategy())
    def check(account: Account) -> None:
        assert account.product == "installment"
        assert account.loan is not None and account.loan.method != "interest_first"
        assert not {e.type for e in account.events} & {"waiver", "written_off"}

    check()


def test_missing_provider_says_how_to_install_it() -> None:
    """A provider no plugin registers fails with the installed ids and an install hint."""
    with pytest.raises(AssertionError, match=r"unknown provider 'acme'.*entry-point group"):
        suite_for("acme").test_provider_is_registered()


def test_provider_id_is_required() -> None:
    """A subclass that forgets provider_id is told so."""
    with pytest.raises(TypeError, match="must set provider_id"):
        suite_for("").test_provider_is_registered()


# ----------------------------------------------------------------- golden cases

CASE = """\
format = 1

[case]
as_of = 2025-03-31
description = "A bill of 1,000.00 paid five days late costs 2.50."

[account]
id = "late-bill"
provider = "generic"
product = "revolving"
opened_on = 2025-01-01

[policy]
penalty_daily_rate = "0.0005"

[[bills]]
statement_date = 2025-03-01
due_date = 2025-03-10
amount = "1000.00"

[[payments]]
date = 2025-03-15
amount = "1002.50"

[expect]
{expect}
"""

GOOD_EXPECT = """\
days_past_due = 0
penalty = "2.50"
overdue_total = "0.00"
balance_total = 0
cost = "2.50"
credit = "0.00"
paid_total = "1002.50"
episodes = 1
months = { "2025-03" = "M" }
"""


def _case(tmp_path: Path, expect: str, name: str = "late-bill.toml") -> Path:
    path = tmp_path / name
    path.write_text(CASE.format(expect=expect), encoding="utf-8")
    return path


def test_golden_case_that_matches_passes(tmp_path: Path) -> None:
    """A case whose every figure matches gives no problem."""
    case = load_golden_case(_case(tmp_path, GOOD_EXPECT))
    assert (case.name, case.as_of, case.account.id) == (
        "late-bill.toml",
        date(2025, 3, 31),
        "late-bill",
    )
    assert case.expect.penalty == Decimal("2.50")
    assert check_golden_case(case) == []


def test_golden_case_names_every_wrong_figure(tmp_path: Path) -> None:
    """Each figure that differs is reported with the actual and expected values."""
    expect = """\
days_past_due = 3
penalty = "2.00"
episodes = 0
months = { "2025-03" = "1", "2018-01" = "N" }
unknowns_contain = ["grace_days"]
"""
    problems = check_golden_case(load_golden_case(_case(tmp_path, expect)))
    assert problems == [
        "golden case late-bill.toml: days_past_due is 0, expected 3",
        "golden case late-bill.toml: episodes is 1, expected 0",
        "golden case late-bill.toml: penalty is 2.50, expected 2.00",
        "golden case late-bill.toml: the credit report as of 2025-03-31 does not show 2018-01 "
        "(it shows the 60 months up to the as-of date)",
        "golden case late-bill.toml: the credit report shows 'M' for 2025-03, expected '1'",
        "golden case late-bill.toml: no unknown mentions 'grace_days' (unknowns: none)",
    ]


def test_golden_case_may_expect_an_error(tmp_path: Path) -> None:
    """``error`` expects assess to raise InputError with that text."""
    path = _case(tmp_path, 'error = "unknown provider"')
    text = path.read_text(encoding="utf-8").replace('provider = "generic"', 'provider = "nope"')
    path.write_text(text, encoding="utf-8")
    assert check_golden_case(load_golden_case(path)) == []
    ok = load_golden_case(_case(tmp_path, 'error = "too long"', "ok.toml"))
    assert check_golden_case(ok) == [
        "golden case ok.toml: expected an InputError saying 'too long', but assess accepted it"
    ]


def test_golden_case_may_name_an_account_file(tmp_path: Path) -> None:
    """``account_file`` in [case] points to an account file relative to the case."""
    source = load_golden_case(_case(tmp_path, GOOD_EXPECT))
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "late.toml").write_text(
        creditrules.dump_account(source.account), encoding="utf-8"
    )
    path = tmp_path / "by-file.toml"
    path.write_text(
        '[case]\nas_of = 2025-03-31\naccount_file = "accounts/late.toml"\n\n'
        '[expect]\npenalty = "2.50"\n',
        encoding="utf-8",
    )
    case = load_golden_case(path)
    assert case.account == source.account
    assert check_golden_case(case) == []
    assert golden_case_paths(tmp_path) == [path, tmp_path / "late-bill.toml"]


def test_bad_golden_case_is_an_input_error_with_paths(tmp_path: Path) -> None:
    """A misspelt expectation or a bad value is an InputError naming file and path."""
    path = _case(tmp_path, 'penalti = "2.50"\ndays_past_due = -1\nmonths = ["2025-03"]')
    with pytest.raises(InputError) as error:
        load_golden_case(path)
    assert error.value.file == str(path)
    assert [p.path for p in error.value.problems] == [
        "$.expect.penalti",
        "$.expect.days_past_due",
        "$.expect.months",
    ]
    assert error.value.problems[0].message.startswith("unknown key (did you mean 'penalty'?)")


def test_golden_case_without_case_table_is_refused(tmp_path: Path) -> None:
    """A file with no [case] table (e.g. a plain account file) says what is missing."""
    path = tmp_path / "plain.toml"
    path.write_text(CASE.format(expect="").split("[case]")[0] + "[expect]\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_golden_case(path)
    assert [p.path for p in error.value.problems][:3] == ["$.case", "$.case.as_of", "$.expect"]


def test_suite_runs_each_golden_case_and_names_the_description(tmp_path: Path) -> None:
    """The suite's golden-case test prefixes problems with the case's description."""
    path = _case(tmp_path, 'penalty = "9.99"')
    suite = suite_for("generic", golden_dir=tmp_path)
    with pytest.raises(AssertionError) as failure:
        suite.test_golden_case(path)
    assert str(failure.value).splitlines() == [
        "late-bill.toml: A bill of 1,000.00 paid five days late costs 2.50.",
        "golden case late-bill.toml: penalty is 2.50, expected 9.99",
    ]
    other = suite_for("huabei", golden_dir=tmp_path)
    with pytest.raises(AssertionError, match="is for provider 'generic', not 'huabei'"):
        other.test_golden_case(_case(tmp_path, GOOD_EXPECT, "good.toml"))


def test_suite_without_golden_cases(tmp_path: Path) -> None:
    """No golden_dir skips; a golden_dir that is missing or empty fails, saying so."""
    with pytest.raises(pytest.skip.Exception, match="no golden_dir declared"):
        suite_for("generic").test_golden_case(None)
    with pytest.raises(pytest.fail.Exception, match="has no golden case files"):
        suite_for("generic", golden_dir=tmp_path).test_golden_case(None)
    with pytest.raises(pytest.fail.Exception, match="does not exist"):
        suite_for("generic", golden_dir=tmp_path / "x").test_golden_case(None)
